// npm run db:import-legacy -- --from <postgres url of the old database> --clinic <slug> [--dry-run]
// Brings a clinic running the old system over (CONTRACT.md, "The old schema"); see README "Moving from the old system".
import { parseArgs } from 'node:util';
import { closeDb, getDbHandle } from '../lib/db/client';
import { runMigrations } from '../lib/db/migrate';
import { readLegacyDatabase } from '../lib/queries/legacy-source';
import { importLegacyClinic, type LegacyImportReport } from '../lib/services/legacy-import';

const USAGE = `Usage: npm run db:import-legacy -- --from <postgres url of the old database> --clinic <slug> [--dry-run]

Imports the old system's users, patients, appointment types, weekly hours and appointments into the
clinic <slug> on DATABASE_URL (the embedded database when it is unset), in one transaction. The old
database is only read. Run it again to bring over what was added there since; nothing is imported twice.

  --from      the old database, e.g. postgres://user:password@host:5432/clinic
  --clinic    the slug of the clinic to import into (made first with npm run clinic:create)
  --dry-run   print what it would do, change nothing
  --help      this text`;

function refuse(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

let values: { from?: string; clinic?: string; 'dry-run'?: boolean; help?: boolean };
try {
  ({ values } = parseArgs({
    strict: true,
    allowPositionals: false,
    options: {
      from: { type: 'string' },
      clinic: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (err) {
  refuse(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`, 2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const missing = (['from', 'clinic'] as const).filter((o) => values[o] === undefined);
if (missing.length > 0) refuse(`Missing ${missing.map((o) => `--${o}`).join(', ')}\n\n${USAGE}`, 2);

function print(r: LegacyImportReport): void {
  const line = (s = '') => console.log(s);
  line(`${r.dry_run ? 'Dry run (nothing was written)' : 'Imported'} into clinic ${r.clinic.slug} (time zone ${r.clinic.timezone}).`);
  line('');
  line('table                      read  imported  matched  already  skipped');
  for (const [table, c] of Object.entries(r.tables)) {
    line(
      `${table.padEnd(25)} ${[c.read, c.imported, c.matched, c.already, c.skipped].map((n, i) => String(n).padStart(i === 0 ? 5 : [9, 8, 8, 8][i - 1]!)).join(' ')}`,
    );
  }
  line('');
  if (r.skipped.length === 0) line('Skipped: none.');
  else {
    line(`Skipped (${r.skipped.length}):`);
    for (const s of r.skipped) line(`  ${s.table} ${s.old_id}: ${s.reason}${s.detail ? ` (${s.detail})` : ''}`);
  }
  line('');
  if (r.outside_hours.length === 0) line('Future appointments outside the imported hours: none.');
  else {
    line('Future appointments outside the imported hours:');
    for (const o of r.outside_hours) {
      for (const a of o.appointments) line(`  ${o.email}: ${a.date} ${a.time} ${a.patient} (calendar event ${a.calendar_event_id})`);
    }
  }
}

try {
  const source = await readLegacyDatabase(values.from!);
  const { db, driver } = await getDbHandle();
  await runMigrations(db, driver);
  const report = await importLegacyClinic(db, { clinicSlug: values.clinic!, source, dryRun: values['dry-run'] === true });
  print(report);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await closeDb();
}
