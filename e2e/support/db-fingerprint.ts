import { fingerprintSql, TABLES_SQL, toFingerprint } from '../../test/support/fingerprint-sql';
import { withDb } from './db';

/** Every row of every table of the e2e database, hashed per table: a refusal must leave it equal. */
export async function dbFingerprint(): Promise<Record<string, string>> {
  return withDb(async (db) => {
    const { rows: tables } = await db.query<{ name: string }>(TABLES_SQL);
    const { rows } = await db.query<{ t: string; n: number; h: string }>(fingerprintSql(tables.map((t) => t.name)));
    return toFingerprint(rows);
  });
}
