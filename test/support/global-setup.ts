import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { adminQuery, databaseUrl } from './pg';

declare module 'vitest' {
  export interface ProvidedContext {
    dbTemplate: string;
    dbRunId: string;
  }
}

/**
 * Once per run: a template database migrated with the real migrations in drizzle/. Each test
 * file clones it (CREATE DATABASE … TEMPLATE), so files never share data.
 */
export default async function setup(project: TestProject) {
  const runId = `${Date.now().toString(36)}${process.pid}`;
  const template = `cbc_t_${runId}_tmpl`;
  await adminQuery(`CREATE DATABASE ${template}`);
  const pool = new pg.Pool({ connectionString: databaseUrl(template) });
  await migrate(drizzle({ client: pool }), { migrationsFolder: 'drizzle' });
  await pool.end();
  project.provide('dbTemplate', template);
  project.provide('dbRunId', runId);

  return async () => {
    const client = new pg.Client({ connectionString: databaseUrl('postgres') });
    await client.connect();
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`cbc_t_${runId}_%`]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await client.end();
  };
}
