// Run by `npm run dev` before the server starts: a local AUTH_SECRET and APP_ENCRYPTION_KEY, migrations and demo data.
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { closeDb, getDbHandle } from '../lib/db/client';
import { runMigrations } from '../lib/db/migrate';
import { seedDemo } from '../lib/demo/seed';

// Auth.js needs a secret even under `next dev`; a fresh clone gets a random one of its own in
// .env.local (git-ignored), kept across restarts so sessions survive them.
const envFile = '.env.local';
const hasSecret = process.env.AUTH_SECRET || (existsSync(envFile) && /^AUTH_SECRET=\S+/m.test(readFileSync(envFile, 'utf8')));
if (!hasSecret) {
  appendFileSync(envFile, `\n# written by npm run dev (local development only)\nAUTH_SECRET=${randomBytes(33).toString('base64')}\n`);
  console.log(`Wrote a local AUTH_SECRET to ${envFile}.`);
}
// The same for the key that encrypts clinics' LINE channels (README: APP_ENCRYPTION_KEY).
const hasKey = process.env.APP_ENCRYPTION_KEY || (existsSync(envFile) && /^APP_ENCRYPTION_KEY=\S+/m.test(readFileSync(envFile, 'utf8')));
if (!hasKey) {
  appendFileSync(envFile, `\n# written by npm run dev (local development only)\nAPP_ENCRYPTION_KEY=${randomBytes(32).toString('base64')}\n`);
  console.log(`Wrote a local APP_ENCRYPTION_KEY to ${envFile}.`);
}

const { db, driver } = await getDbHandle();
await runMigrations(db, driver);
const summary = await seedDemo(db);
console.log(
  `Demo data loaded (${driver}): clinic ${summary.clinicId}, ${summary.created.events} new calendar events, ${summary.created.schedules} new weekly schedules.`,
);
await closeDb();
