import 'server-only';
import { createHash } from 'node:crypto';
import type { DbOrTx } from '../db/client';
import { namedRows } from '../db/prepared';

/** Every agent key starts with it, so a stray token is refused before any lookup. */
export const AGENT_KEY_PREFIX = 'cbk_';

export function hashAgentKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Rows a key's count of one minute is spread over (rate_limit_buckets, unlogged). A request counts
 * in the row of its database connection (backend pid modulo this), and a connection runs one
 * statement at a time, so the requests one server has in flight at once mostly land on different
 * rows instead of queueing on one row lock.
 */
export const RATE_LIMIT_SHARDS = 16;

/** The agent's count of requests in the current minute of its key, this one included. */
export interface AgentKeyMinute {
  count: number;
  /** seconds until the minute's window ends */
  resetSeconds: number;
}

// One statement: find the key (with its clinic's cache version) and count this request in the key's
// minute; the minute's first request also refreshes last_used_at and drops the key's windows older
// than an hour. A key the condition does not match is counted nothing.
const keyUseSql = (keyCondition: string) => `
WITH k AS (
  SELECT k.id, k.clinic_id, c.cache_version
  FROM agent_keys k JOIN clinics c ON c.id = k.clinic_id
  WHERE ${keyCondition}
), hit AS (
  INSERT INTO rate_limit_buckets AS b (bucket, window_start, shard, count)
  SELECT 'agent:' || k.id, date_trunc('minute', now()), pg_backend_pid() % ${RATE_LIMIT_SHARDS}, 1 FROM k
  ON CONFLICT (bucket, window_start, shard) DO UPDATE SET count = b.count + 1
  RETURNING b.bucket, b.window_start, b.shard, b.count
), total AS (
  SELECT hit.bucket,
    (hit.count + coalesce((
      SELECT sum(o.count) FROM rate_limit_buckets o
      WHERE o.bucket = hit.bucket AND o.window_start = hit.window_start AND o.shard <> hit.shard
    ), 0))::int AS count,
    ceil(extract(epoch FROM hit.window_start + interval '1 minute' - now()))::int AS reset
  FROM hit
), touched AS (
  UPDATE agent_keys SET last_used_at = now() WHERE id = (SELECT id FROM k) AND (SELECT count FROM total) = 1 RETURNING 1
), dropped AS (
  DELETE FROM rate_limit_buckets
  WHERE bucket = (SELECT bucket FROM total) AND window_start < now() - interval '1 hour' AND (SELECT count FROM total) = 1 RETURNING 1
)
SELECT k.id, k.clinic_id, k.cache_version, total.count, total.reset FROM k CROSS JOIN total`;

/** A presented key: unknown and revoked keys match nothing. */
const USE_KEY_SQL = keyUseSql('k.key_hash = $1 AND k.revoked_at IS NULL');
/** A key already known by id (a caller made without presenting it). */
const COUNT_USE_SQL = keyUseSql('k.id = $1');

type KeyUseRow = { id: number; clinic_id: number; cache_version: string | number; count: number; reset: number };
const minuteOf = (row: KeyUseRow): AgentKeyMinute => ({ count: row.count, resetSeconds: row.reset });

/**
 * Authenticates a presented key and counts its use, in one round trip (a named prepared statement):
 * the key's clinic and cache version, and this request's count in the key's minute, or null for an
 * unknown or revoked key. The count is the request's own shard row after its increment (row-locked,
 * so exact) plus the other shards as committed when the statement began: requests one after another
 * are limited exactly; requests of one key in flight at the same moment may not see each other's
 * increments, so at most (that number − 1) more than the limit get through, bounded by the servers'
 * database connections. Every request still counts, so the next one sees them all.
 */
export async function presentAgentKey(
  db: DbOrTx,
  key: string,
): Promise<{ id: number; clinicId: number; clinicVersion: number; minute: AgentKeyMinute } | null> {
  if (!key.startsWith(AGENT_KEY_PREFIX) || key.length > 200) return null;
  const [row] = await namedRows<KeyUseRow>(db, 'agent_key_use', USE_KEY_SQL, [hashAgentKey(key)]);
  if (!row) return null;
  return { id: row.id, clinicId: row.clinic_id, clinicVersion: Number(row.cache_version), minute: minuteOf(row) };
}

/**
 * Counts a use of a key known by id, by the same statement as presentAgentKey: for an agent caller
 * that was not made from a presented key. Null when no such key exists.
 */
export async function countAgentKeyUse(db: DbOrTx, keyId: number): Promise<AgentKeyMinute | null> {
  const [row] = await namedRows<KeyUseRow>(db, 'agent_key_count_use', COUNT_USE_SQL, [keyId]);
  return row ? minuteOf(row) : null;
}
