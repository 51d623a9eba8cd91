import 'server-only';
import type { Db, DriverName } from './client';
import { MIGRATIONS_FOLDER } from './client';

/** Applies `drizzle/` with the migrator that belongs to the driver. Idempotent. */
export async function runMigrations(db: Db, driver: DriverName): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER };
  if (driver === 'pglite') {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(db as never, config);
  } else if (driver === 'neon') {
    const { migrate } = await import('drizzle-orm/neon-serverless/migrator');
    await migrate(db as never, config);
  } else {
    const { migrate } = await import('drizzle-orm/node-postgres/migrator');
    await migrate(db as never, config);
  }
}
