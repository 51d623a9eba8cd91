// Creates this run's database, applies drizzle/ and loads the demo clinic plus a second clinic
// ("other"), so tests can prove one clinic never sees the other.
import pg from 'pg';
import { closeDb, getDbHandle } from '../../lib/db/client';
import { runMigrations } from '../../lib/db/migrate';
import { clinics, users } from '../../lib/db/schema';
import { seedDemo } from '../../lib/demo/seed';

const url = new URL(process.env.DATABASE_URL!);
const name = url.pathname.slice(1);
const admin = new URL(url);
admin.pathname = '/postgres';
const client = new pg.Client({ connectionString: admin.toString() });
await client.connect();
await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
await client.query(`CREATE DATABASE ${name}`);
await client.end();

const { db, driver } = await getDbHandle();
await runMigrations(db, driver);
// Without Taiwan's holidays: specs pick their dates relative to today (weekdayAfter), and a holiday
// falling under one of them would close it on some days of the year only. clinic-holidays.spec.ts
// makes and removes its own.
await seedDemo(db, { taiwanCalendar: false });
const [other] = await db.insert(clinics).values({ name: 'Other Clinic', slug: 'other' }).onConflictDoNothing().returning({ id: clinics.id });
if (other) await db.insert(users).values({ clinicId: other.id, email: 'other@clinic.test', name: 'Dr. Other' });
await closeDb();
console.log(`e2e database ${name} ready`);
