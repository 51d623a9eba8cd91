// npm run db:migrate — applies drizzle/ to DATABASE_URL, or to the embedded database.
import { closeDb, getDbHandle } from '../lib/db/client';
import { runMigrations } from '../lib/db/migrate';

const { db, driver } = await getDbHandle();
await runMigrations(db, driver);
console.log(`Migrations applied (${driver}).`);
await closeDb();
