import 'server-only';
import { sql } from 'drizzle-orm';
import { RATE_LIMIT_SHARDS } from '../auth/agent-keys';
import type { Caller } from '../auth/caller';
import { getDb, queryRows } from '../db/client';
import { AppError } from '../errors';

function limitPerMinute(): number {
  const n = Number(process.env.AGENT_RATE_LIMIT_PER_MINUTE ?? 120);
  return Number.isFinite(n) && n > 0 ? n : 120;
}

export { RATE_LIMIT_SHARDS } from '../auth/agent-keys';

/**
 * Counts an agent request in the current minute of its key; over the limit it is 429 rate_limited.
 * The first request of a window also refreshes the key's last_used_at and drops the key's windows
 * older than an hour. One statement, one round trip; the table is unlogged (drizzle/0005), so the
 * commit waits for no WAL flush.
 *
 * The count is the request's own shard row after its increment (row-locked, so exact) plus the
 * other shards as committed when the statement began. Requests one after another are therefore
 * limited exactly. Requests of one key that are in flight at the same moment may not see each
 * other's increments: at most (that number − 1) more than the limit are let through, which is
 * bounded by the database connections of the servers (DATABASE_POOL_MAX each). Every request still
 * counts, so the next one sees them all.
 */
export async function enforceAgentRateLimit(caller: Caller): Promise<void> {
  if (caller.kind !== 'agent') return;
  // Counted already when the key was looked up (lib/auth/agent-keys.ts presentAgentKey): same rule.
  if (caller.minute) return refuseOverLimit(caller.minute.count, caller.minute.resetSeconds);
  const db = await getDb();
  const bucket = `agent:${caller.agentKeyId}`;
  const [row] = await queryRows<{ count: number; reset: number }>(
    db,
    sql`
    WITH hit AS (
      INSERT INTO rate_limit_buckets AS b (bucket, window_start, shard, count)
      VALUES (${bucket}, date_trunc('minute', now()), pg_backend_pid() % ${RATE_LIMIT_SHARDS}, 1)
      ON CONFLICT (bucket, window_start, shard) DO UPDATE SET count = b.count + 1
      RETURNING b.window_start, b.shard, b.count
    ), total AS (
      SELECT (hit.count + coalesce((
          SELECT sum(o.count) FROM rate_limit_buckets o
          WHERE o.bucket = ${bucket} AND o.window_start = hit.window_start AND o.shard <> hit.shard
        ), 0))::int AS count,
        ceil(extract(epoch FROM hit.window_start + interval '1 minute' - now()))::int AS reset
      FROM hit
    ), touched AS (
      UPDATE agent_keys SET last_used_at = now() WHERE id = ${caller.agentKeyId} AND (SELECT count FROM total) = 1 RETURNING 1
    ), dropped AS (
      DELETE FROM rate_limit_buckets WHERE bucket = ${bucket} AND window_start < now() - interval '1 hour' AND (SELECT count FROM total) = 1 RETURNING 1
    )
    SELECT count, reset FROM total`,
  );
  refuseOverLimit(row!.count, row!.reset);
}

function refuseOverLimit(count: number, resetSeconds: number): void {
  const limit = limitPerMinute();
  if (count > limit) {
    throw new AppError('rate_limited', 'Too many requests for this agent key; slow down', {
      limit_per_minute: limit,
      retry_after_seconds: Math.max(1, resetSeconds),
    });
  }
}
