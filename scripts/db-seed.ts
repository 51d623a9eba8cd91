// npm run db:seed — loads the demo clinic (idempotent).
import { closeDb, getDbHandle } from '../lib/db/client';
import { runMigrations } from '../lib/db/migrate';
import { seedDemo } from '../lib/demo/seed';

const { db, driver } = await getDbHandle();
await runMigrations(db, driver);
const summary = await seedDemo(db);
console.log(
  `Demo data loaded (${driver}): clinic ${summary.clinicId}, ${summary.created.events} new calendar events, ${summary.created.schedules} new weekly schedules.`,
);
await closeDb();
