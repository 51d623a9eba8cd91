// npm run clinic:create -- --name "…" --slug … --timezone Asia/Taipei --admin-email … [--admin-name "…"] [--practitioner]
// Creates a clinic and its first admin on DATABASE_URL (or the embedded database), then says what to do next.
import { parseArgs } from 'node:util';
import { closeDb, getDbHandle } from '../lib/db/client';
import { runMigrations } from '../lib/db/migrate';
import { AppError } from '../lib/errors';
import { TAIWAN_YEARS } from '../lib/holidays/taiwan';
import { createClinicSchema, type CreateClinicInput } from '../lib/schemas/clinics';
import { createClinic } from '../lib/services/clinics';

const USAGE = `Usage: npm run clinic:create -- --name <name> --slug <slug> --timezone <IANA zone> --admin-email <email> [--admin-name <name>] [--practitioner]

Creates a clinic and its first admin on DATABASE_URL (the embedded database when it is unset).

  --name          the clinic's name, e.g. "Sunrise Physiotherapy"
  --slug          2 to 64 lower-case letters, digits and hyphens, e.g. sunrise
  --timezone      an IANA time zone, e.g. Asia/Taipei
  --admin-email   the Google account the first admin signs in with
  --admin-name    the admin's name (default: the part of the email before the @)
  --practitioner  the admin also sees patients (gets a calendar)
  --help          this text`;

/** The command-line option behind each field of the request, for messages. */
const OPTION: Record<string, string> = {
  name: '--name',
  slug: '--slug',
  timezone: '--timezone',
  admin_email: '--admin-email',
  admin_name: '--admin-name',
  admin_is_practitioner: '--practitioner',
};

function refuse(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    strict: true,
    allowPositionals: false,
    options: {
      name: { type: 'string' },
      slug: { type: 'string' },
      timezone: { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-name': { type: 'string' },
      practitioner: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}
try {
  args = parse();
} catch (err) {
  refuse(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`, 2);
}
const { values } = args;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const missing = (['name', 'slug', 'timezone', 'admin-email'] as const).filter((o) => values[o] === undefined);
if (missing.length > 0) refuse(`Missing ${missing.map((o) => `--${o}`).join(', ')}\n\n${USAGE}`, 2);

const input: CreateClinicInput = {
  name: values.name!,
  slug: values.slug!,
  timezone: values.timezone!,
  admin_email: values['admin-email']!,
  ...(values['admin-name'] !== undefined ? { admin_name: values['admin-name'] } : {}),
  admin_is_practitioner: values.practitioner,
};
// Checked before the database is opened: a typo costs nothing and creates nothing.
const checked = createClinicSchema.safeParse(input);
if (!checked.success) {
  const field = (key: PropertyKey | undefined) => String(key ?? 'input');
  const given = (key: PropertyKey | undefined) => JSON.stringify((input as unknown as Record<string, unknown>)[field(key)]);
  refuse(checked.error.issues.map((i) => `${OPTION[field(i.path[0])] ?? field(i.path[0])} ${given(i.path[0])}: ${i.message}`).join('\n'), 1);
}

try {
  const { db, driver } = await getDbHandle();
  await runMigrations(db, driver);
  const { clinic, admin, taiwanCalendarDays } = await createClinic(db, input);
  const appUrl = (process.env.APP_BASE_URL ?? process.env.AUTH_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
  console.log(`Clinic "${clinic.name}" created (slug ${clinic.slug}, time zone ${clinic.timezone}, database: ${driver}).`);
  console.log(`Its first admin: ${admin.name} <${admin.email}>${admin.isPractitioner ? ', also a practitioner' : ''}.`);
  if (taiwanCalendarDays > 0) {
    console.log(
      `Taiwan's office calendar ${TAIWAN_YEARS.join(' and ')} loaded: ${taiwanCalendarDays} holidays and make-up workdays (Settings → Clinic → Holidays).`,
    );
  }
  console.log('');
  console.log('Next:');
  console.log(`  1. Sign in at ${appUrl}/signin with the Google account of ${admin.email}.`);
  console.log('  2. Set up the appointment types and invite the members under profile menu → Clinic.');
  console.log(`  3. Create the AI agent's key: npm run agent-key -- --clinic ${clinic.slug}`);
} catch (err) {
  console.error(err instanceof AppError ? err.message : err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await closeDb();
}
