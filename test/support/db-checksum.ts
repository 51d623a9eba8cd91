import pg from 'pg';

export interface ChecksumOptions {
  /** tables whose content changes on every request by design (e.g. rate-limit counters) */
  ignoreTables?: string[];
  /** columns that change on every request by design, per table (e.g. agent_keys.last_used_at) */
  ignoreColumns?: Record<string, string[]>;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * A fingerprint of every row of every table of the public schema: one md5 per table over its rows
 * as JSON, sorted, so two equal fingerprints mean no row was added, removed or changed. Sequences
 * are left out (a refused insert may use up an id, which changes no data).
 */
export class DatabaseChecksum {
  private client: pg.Client | undefined;
  private sql = '';

  constructor(private readonly url: string, private readonly options: ChecksumOptions = {}) {}

  async open(): Promise<void> {
    this.client = new pg.Client({ connectionString: this.url });
    await this.client.connect();
    const { rows } = await this.client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const tables = rows.map((r) => r.table_name).filter((t) => !(this.options.ignoreTables ?? []).includes(t));
    if (tables.length === 0) throw new Error('DatabaseChecksum: no tables in the public schema');
    this.sql = tables.map((t) => {
      const drop = (this.options.ignoreColumns?.[t] ?? []).map(literal).join(', ');
      const row = drop ? `(to_jsonb(r) - ARRAY[${drop}]::text[])::text` : 'to_jsonb(r)::text';
      return `SELECT ${literal(t)} AS t, count(*)::int AS n, md5(coalesce(string_agg(${row}, E'\\n' ORDER BY ${row}), '')) AS h FROM public.${ident(t)} r`;
    }).join('\nUNION ALL\n');
  }

  /** `table: rows md5` lines, one per table, in table order. */
  async take(): Promise<string> {
    if (!this.client) throw new Error('DatabaseChecksum: call open() first');
    const { rows } = await this.client.query<{ t: string; n: number; h: string }>(this.sql);
    return rows.map((r) => `${r.t}: ${r.n} ${r.h}`).join('\n');
  }

  async close(): Promise<void> {
    await this.client?.end();
    this.client = undefined;
  }
}
