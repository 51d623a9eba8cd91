import { createHash } from 'node:crypto';
import { withDb } from './db';

/**
 * Request bookkeeping, not data: agent rate-limit counters and a key's last use. Everything else of
 * the public schema counts (as test/support/db-fingerprint.ts does for the Vitest suite).
 */
const IGNORED_TABLES = ['rate_limit_buckets'];
const IGNORED_COLUMNS: Record<string, string[]> = { agent_keys: ['last_used_at'] };

/** A hash per table of all its rows (as sorted JSON), so a test can prove a refusal changed nothing. */
export async function dbFingerprint(): Promise<Record<string, string>> {
  return withDb(async (db) => {
    const { rows: tables } = await db.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`);
    const out: Record<string, string> = {};
    for (const { name } of tables) {
      if (IGNORED_TABLES.includes(name)) continue;
      const dropped = (IGNORED_COLUMNS[name] ?? []).map((c) => ` - '${c}'`).join('');
      const { rows } = await db.query<{ n: number; rows: string | null }>(
        `SELECT count(*)::int AS n, string_agg(j, E'\\n' ORDER BY j) AS rows
           FROM (SELECT (to_jsonb(t)${dropped})::text AS j FROM "${name.replace(/"/g, '""')}" t) s`);
      out[name] = `${rows[0]!.n}:${createHash('sha256').update(rows[0]!.rows ?? '').digest('hex').slice(0, 16)}`;
    }
    return out;
  });
}
