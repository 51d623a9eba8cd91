import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '@/lib/db/client';

/**
 * Request bookkeeping that every authenticated agent request updates, refused or not: the
 * per-minute counters of the rate limit and the key's `last_used_at`. Not data a request changes.
 */
export const BOOKKEEPING = {
  tables: ['rate_limit_buckets', '__drizzle_migrations'],
  columns: { agent_keys: ['last_used_at'] } as Record<string, string[]>,
};

/**
 * A hash of every row of every table of the public schema, per table, so that a test can prove a
 * refused request changed nothing (and name the table it did change). Rows are compared as JSON,
 * sorted, so the physical order does not matter; sequences are not rows, so a rolled-back insert
 * that used up an id does not count as a change.
 */
export async function dbFingerprint(db: DbOrTx, ignore = BOOKKEEPING): Promise<Record<string, string>> {
  const tables = await queryRows<{ name: string }>(db, sql`
    SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`);
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    if (ignore.tables.includes(name)) continue;
    const dropped = (ignore.columns[name] ?? []).map((c) => sql` - ${c}::text`);
    const [row] = await queryRows<{ n: number; rows: string | null }>(db, sql`
      SELECT count(*)::int AS n, string_agg(j, E'\n' ORDER BY j) AS rows
        FROM (SELECT (to_jsonb(t)${sql.join(dropped, sql``)})::text AS j FROM ${sql.identifier(name)} t) s`);
    out[name] = `${row!.n}:${createHash('sha256').update(row!.rows ?? '').digest('hex').slice(0, 16)}`;
  }
  return out;
}
