import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { closeDb, getDb, queryRows } from '@/lib/db/client';
import { adminQuery, databaseUrl } from './pg';

/**
 * Points the app's database module at a fresh database of the given driver: a clone of the run's
 * migrated PostgreSQL template, or an in-memory PGlite migrated by drizzle/.
 *
 * `elsewhere` runs plain SQL the way another server instance (or an admin in psql) would: on
 * PostgreSQL through a connection of its own, on PGlite (one connection only) through the same
 * database; never through anything of this process's memory.
 */
export function useDriver(driver: 'postgres' | 'pglite'): { elsewhere: <T = Record<string, unknown>>(text: string) => Promise<T[]> } {
  const name = `cbc_t_${inject('dbRunId')}_${driver}${randomBytes(3).toString('hex')}`;
  let other: pg.Client | undefined;
  beforeAll(async () => {
    await closeDb();
    process.env.DATABASE_DRIVER = driver;
    if (driver === 'pglite') {
      process.env.PGLITE_DATA_DIR = 'memory://';
      delete process.env.DATABASE_URL;
    } else {
      await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${inject('dbTemplate')}`);
      process.env.DATABASE_URL = databaseUrl(name);
      other = new pg.Client({ connectionString: databaseUrl(name) });
      await other.connect();
    }
  });
  afterAll(async () => {
    await other?.end();
    await closeDb();
    if (driver !== 'pglite') await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
  return {
    elsewhere: async <T>(text: string) => (other ? (await other.query(text)).rows : await queryRows<T>(await getDb(), sql.raw(text))) as T[],
  };
}
