import pg from 'pg';

/**
 * Drops this run's database. The servers may still hold connections (Playwright stops them after
 * global teardown), so their pools are ended from the database side first, quietly.
 */
export default async function globalTeardown() {
  const url = new URL(process.env.E2E_DATABASE_URL!);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await client.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`).catch(() => undefined);
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.end();
}
