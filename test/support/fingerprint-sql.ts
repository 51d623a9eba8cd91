// The one definition of "the database did not change", for Vitest (test/support/db-fingerprint.ts)
// and Playwright (e2e/support/db-fingerprint.ts) alike: plain SQL, no app imports.

/**
 * Request bookkeeping, not data: the agent rate-limit counters and a key's `last_used_at`, which
 * every authenticated agent request updates, refused or not; and drizzle's migration log.
 */
export const BOOKKEEPING = {
  tables: ['rate_limit_buckets', '__drizzle_migrations'],
  columns: { agent_keys: ['last_used_at'] } as Record<string, string[]>,
};

export const TABLES_SQL = `SELECT table_name AS name FROM information_schema.tables
  WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * One query giving, per table, its row count and an md5 of all its rows as JSON, sorted: equal
 * fingerprints mean no row was added, removed or changed. Sequences are not rows, so a refused
 * insert that used up an id is no change.
 */
export function fingerprintSql(tables: string[], ignore = BOOKKEEPING): string {
  const kept = tables.filter((t) => !ignore.tables.includes(t));
  if (kept.length === 0) throw new Error('fingerprint: no tables in the public schema');
  return kept
    .map((t) => {
      const drop = (ignore.columns[t] ?? []).map(literal).join(', ');
      const row = drop ? `(to_jsonb(r) - ARRAY[${drop}]::text[])::text` : 'to_jsonb(r)::text';
      return `SELECT ${literal(t)} AS t, count(*)::int AS n, md5(coalesce(string_agg(${row}, E'\\n' ORDER BY ${row}), '')) AS h FROM public.${ident(t)} r`;
    })
    .join('\nUNION ALL\n');
}

/** Per table `rows:md5`, so a failing test names the table that changed. */
export function toFingerprint(rows: Array<{ t: string; n: number; h: string }>): Record<string, string> {
  return Object.fromEntries(rows.map((r) => [r.t, `${r.n}:${r.h}`]));
}
