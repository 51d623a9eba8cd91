import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { closeDb, getDb, type Db } from '@/lib/db/client';
import { adminQuery, databaseUrl } from './pg';

/**
 * Gives the calling test file its own PostgreSQL database, cloned from the run's migrated template,
 * and points the app's database module (DATABASE_URL) at it.
 */
export function useTestDatabase(): { db: () => Db; url: () => string } {
  let db: Db | undefined;
  let url = '';
  const name = `cbc_t_${inject('dbRunId')}_${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${inject('dbTemplate')}`);
    url = databaseUrl(name);
    await closeDb();
    process.env.DATABASE_URL = url;
    process.env.DATABASE_DRIVER = 'postgres';
    db = await getDb();
  });
  afterAll(async () => {
    await closeDb();
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
  return {
    db: () => {
      if (!db) throw new Error('useTestDatabase: database not ready (use it inside tests)');
      return db;
    },
    url: () => url,
  };
}
