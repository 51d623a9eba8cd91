import { sql } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '@/lib/db/client';
import { BOOKKEEPING, fingerprintSql, TABLES_SQL, toFingerprint } from './fingerprint-sql';

export { BOOKKEEPING };

/** Every row of every table of the public schema, hashed per table (see fingerprint-sql.ts). */
export async function dbFingerprint(db: DbOrTx, ignore = BOOKKEEPING): Promise<Record<string, string>> {
  const tables = (await queryRows<{ name: string }>(db, sql.raw(TABLES_SQL))).map((r) => r.name);
  return toFingerprint(await queryRows<{ t: string; n: number; h: string }>(db, sql.raw(fingerprintSql(tables, ignore))));
}
