import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Caller } from '@/lib/auth/caller';
import { getDb, type Db } from '@/lib/db/client';
import { appointments, auditLog, calendarEvents, patients, users } from '@/lib/db/schema';
import { getClinicSettings } from '@/lib/queries/clinic';
import { getDayView, getMonthView } from '@/lib/queries/calendar';
import { readLegacyDatabase } from '@/lib/queries/legacy-source';
import { findAppointmentType, slotsByPractitioner } from '@/lib/queries/slots';
import { getWeeklySchedule } from '@/lib/queries/weekly-schedule';
import { createClinic } from '@/lib/services/clinics';
import { importLegacyClinic, type LegacyImportReport } from '@/lib/services/legacy-import';
import { fixedClock } from '@/lib/time/clock';
import { dbFingerprint } from '../support/db-fingerprint';
import { useDriver } from '../support/drivers';
import { useOldDatabase } from '../support/legacy-db';
import { adminQuery, databaseUrl } from '../support/pg';

// issue 17: `npm run db:import-legacy` on an old database built here from the old schema
// (CONTRACT.md, "The old schema"), into a clinic on PostgreSQL and on PGlite.

// Asia/Taipei is UTC+8 all year. 2027-03-08 is a Monday; the clock says 2027-03-01 08:00 in Taipei.
const OLD_DATA = `
INSERT INTO users (id, email, full_name, role, created_at) VALUES
  (1, 'Dr.Chen@old.example', '陳醫師', 'practitioner', '2024-01-02T03:00:00Z'),
  (2, 'admin@old.example', 'Admin', 'admin', '2024-01-01T00:00:00Z'),
  (3, 'dr.wang@old.example', '王醫師', 'practitioner', '2024-01-03T00:00:00Z'),
  (4, 'other@elsewhere.example', 'Elsewhere', 'practitioner', '2024-01-04T00:00:00Z');
INSERT INTO patients (id, full_name, phone_number, line_user_id, created_at) VALUES
  (1, '王小明', '0912000001', 'U-line-1', '2024-02-01T00:00:00Z'),
  (2, '李美玲', NULL, NULL, '2024-02-02T00:00:00Z'),
  (3, '王小明 (dup)', '0912000001', 'U-line-1', '2024-02-03T00:00:00Z'),
  (4, '陳大文', '0912000004', 'U-line-4', '2024-02-04T00:00:00Z');
INSERT INTO appointment_types (id, name, duration_minutes) VALUES (1, '初診', 60), (2, '複診', 30);
INSERT INTO practitioner_availability (id, user_id, day_of_week, start_time, end_time, is_available) VALUES
  (1, 1, 1, '09:00', '12:00', true),
  (2, 1, 2, '09:00', '17:00', false),
  (3, 1, 3, '14:00', '18:00', true),
  (4, 3, 1, '08:00', '12:00', true);
INSERT INTO appointments (id, user_id, patient_id, appointment_type_id, start_time, end_time, status, gcal_event_id, created_at, updated_at) VALUES
  (1, 1, 1, 1, '2027-03-08T01:00:00Z', '2027-03-08T02:00:00Z', 'confirmed', 'gcal-old-1', '2027-01-05T06:07:08Z', '2027-01-06T06:07:08Z'),
  (2, 1, 2, 2, '2027-03-08T02:00:00Z', '2027-03-08T02:30:00Z', 'confirmed', NULL, '2027-01-07T00:00:00Z', '2027-01-07T00:00:00Z'),
  (3, 1, 3, 2, '2027-03-08T03:00:00Z', '2027-03-08T03:30:00Z', 'canceled_by_patient', NULL, '2027-01-08T00:00:00Z', '2027-01-09T00:00:00Z'),
  (4, 1, 1, 2, '2027-03-08T01:30:00Z', '2027-03-08T02:00:00Z', 'confirmed', NULL, '2027-01-10T00:00:00Z', '2027-01-10T00:00:00Z'),
  (5, 1, 4, 2, '2027-03-08T01:30:00Z', '2027-03-08T02:00:00Z', 'canceled_by_clinic', NULL, '2027-01-11T00:00:00Z', '2027-01-11T00:00:00Z'),
  (6, 1, 4, 1, '2027-03-10T15:30:00Z', '2027-03-10T16:30:00Z', 'confirmed', NULL, '2027-01-12T00:00:00Z', '2027-01-12T00:00:00Z'),
  (7, 1, 4, 2, '2027-03-09T23:30:00Z', '2027-03-10T00:00:00Z', 'confirmed', 'gcal-old-7', '2027-01-13T00:00:00Z', '2027-01-13T00:00:00Z'),
  (8, 1, 2, 2, '2027-03-15T03:00:00Z', '2027-03-15T02:30:00Z', 'confirmed', NULL, '2027-01-14T00:00:00Z', '2027-01-14T00:00:00Z'),
  (9, 3, 4, 1, '2027-03-08T01:00:00Z', '2027-03-08T02:00:00Z', 'confirmed', NULL, '2027-01-15T00:00:00Z', '2027-01-15T00:00:00Z'),
  (10, 1, 1, 2, '2027-02-01T01:00:00Z', '2027-02-01T01:30:00Z', 'confirmed', NULL, '2026-12-20T00:00:00Z', '2026-12-20T00:00:00Z'),
  (11, 4, 1, 2, '2027-03-08T05:00:00Z', '2027-03-08T05:30:00Z', 'confirmed', NULL, '2027-01-16T00:00:00Z', '2027-01-16T00:00:00Z');
SELECT setval('users_id_seq', 10); SELECT setval('patients_id_seq', 10); SELECT setval('appointments_id_seq', 20);
`;

const clock = fixedClock('2027-03-01T00:00:00Z');

const tableCounts = (r: LegacyImportReport) => r.tables;

for (const driver of ['postgres', 'pglite'] as const) {
  describe(`db:import-legacy into ${driver}`, () => {
    useDriver(driver);
    const old = useOldDatabase(OLD_DATA);
    let db: Db;
    let clinicId = 0;
    let oldChecksum: Record<string, string> = {};
    const run = async (dryRun: boolean) =>
      importLegacyClinic(db, { clinicSlug: 'sunrise', source: await readLegacyDatabase(old.url()), dryRun, clock });
    const adminCaller = async (): Promise<Caller> => {
      const [admin] = await db.select().from(users).where(eq(users.email, 'admin@old.example'));
      return { kind: 'user', clinicId, userId: admin!.id, role: 'admin', isPractitioner: admin!.isPractitioner, name: admin!.name };
    };
    const userId = async (email: string) => (await db.select({ id: users.id }).from(users).where(eq(users.email, email)))[0]!.id;

    beforeAll(async () => {
      db = await getDb();
      const created = await createClinic(db, {
        name: 'Sunrise',
        slug: 'sunrise',
        timezone: 'Asia/Taipei',
        admin_email: 'admin@old.example',
        admin_is_practitioner: false,
      });
      clinicId = created.clinic.id;
      await createClinic(db, {
        name: 'Elsewhere',
        slug: 'elsewhere',
        timezone: 'Asia/Taipei',
        admin_email: 'other@elsewhere.example',
        admin_is_practitioner: true,
      });
      oldChecksum = await old.checksum();
    });

    let dry: LegacyImportReport;
    it('a dry run reports what it would do and writes nothing', async () => {
      const before = await dbFingerprint(db);
      dry = await run(true);
      expect(dry.dry_run).toBe(true);
      expect(tableCounts(dry).appointments).toEqual({ read: 11, imported: 7, matched: 0, already: 0, skipped: 4 });
      expect(await dbFingerprint(db)).toEqual(before);
    });

    it('imports users, patients, types, weekly hours and appointments, listing every skipped row with its reason', async () => {
      const report = await run(false);
      // The same report, but for the new ids (a rolled-back dry run still uses up sequence numbers).
      const ids = (r: LegacyImportReport) => JSON.stringify({ ...r, dry_run: true }).replace(/"(calendar_event_id|practitioner_id)":\d+/g, '"$1":0');
      expect(ids(report)).toBe(ids(dry));
      expect(report.tables).toEqual({
        users: { read: 4, imported: 2, matched: 1, already: 0, skipped: 1 },
        patients: { read: 4, imported: 3, matched: 1, already: 0, skipped: 0 },
        appointment_types: { read: 2, imported: 2, matched: 0, already: 0, skipped: 0 },
        practitioner_availability: { read: 4, imported: 3, matched: 0, already: 0, skipped: 1 },
        appointments: { read: 11, imported: 7, matched: 0, already: 0, skipped: 4 },
      });
      const chen = await userId('dr.chen@old.example');
      const [first] = await db.select({ id: calendarEvents.id }).from(calendarEvents).where(eq(calendarEvents.gcalEventId, 'gcal-old-1'));
      expect(report.skipped).toEqual([
        { table: 'users', old_id: 4, reason: 'email_in_other_clinic', detail: 'other@elsewhere.example' },
        { table: 'practitioner_availability', old_id: 2, reason: 'not_available' },
        { table: 'appointments', old_id: 4, reason: 'overlaps_confirmed', detail: '2027-03-08 09:30–10:00 overlaps old appointment 1 (09:00–10:00)' },
        { table: 'appointments', old_id: 6, reason: 'crosses_midnight', detail: '2027-03-10 23:30 → 2027-03-11 00:30' },
        { table: 'appointments', old_id: 8, reason: 'ends_before_start', detail: '2027-03-15T03:00:00.000Z → 2027-03-15T02:30:00.000Z' },
        { table: 'appointments', old_id: 11, reason: 'practitioner_not_imported', detail: 'user 4' },
      ]);
      expect(first).toBeDefined();
      // 23:30 UTC is 07:30 the next day in Taipei: a Wednesday, whose hours are 14:00–18:00.
      expect(report.outside_hours).toEqual([
        {
          practitioner_id: chen,
          email: 'dr.chen@old.example',
          appointments: [{ calendar_event_id: expect.any(Number), date: '2027-03-10', time: '07:30-08:00', patient: '陳大文' }],
        },
      ]);
      const [audit] = await db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.clinicId, clinicId), eq(auditLog.action, 'clinic.legacy_imported')));
      expect(audit).toMatchObject({ actorType: 'system', entityType: 'clinic', entityId: String(clinicId) });
      expect(audit!.details).toMatchObject({ tables: report.tables, skipped: report.skipped });
    });

    it('keeps status, gcal_event_id, created_at and updated_at, on the local date and times; duplicates by LINE id are one patient', async () => {
      const chen = await userId('dr.chen@old.example');
      const rows = await db
        .select({
          date: calendarEvents.date,
          start: calendarEvents.startTime,
          end: calendarEvents.endTime,
          gcal: calendarEvents.gcalEventId,
          createdAt: calendarEvents.createdAt,
          updatedAt: calendarEvents.updatedAt,
          status: appointments.status,
          patient: patients.fullName,
        })
        .from(calendarEvents)
        .innerJoin(appointments, eq(appointments.calendarEventId, calendarEvents.id))
        .innerJoin(patients, eq(patients.id, appointments.patientId))
        .where(eq(calendarEvents.userId, chen))
        .orderBy(calendarEvents.date, calendarEvents.startTime, appointments.status);
      expect(rows.map((r) => [r.date, r.start, r.end, r.status, r.patient, r.gcal])).toEqual([
        ['2027-02-01', '09:00:00', '09:30:00', 'confirmed', '王小明', null],
        ['2027-03-08', '09:00:00', '10:00:00', 'confirmed', '王小明', 'gcal-old-1'],
        ['2027-03-08', '09:30:00', '10:00:00', 'canceled_by_clinic', '陳大文', null],
        ['2027-03-08', '10:00:00', '10:30:00', 'confirmed', '李美玲', null],
        ['2027-03-08', '11:00:00', '11:30:00', 'canceled_by_patient', '王小明', null],
        ['2027-03-10', '07:30:00', '08:00:00', 'confirmed', '陳大文', 'gcal-old-7'],
      ]);
      const one = rows.find((r) => r.gcal === 'gcal-old-1')!;
      expect(one.createdAt.toISOString()).toBe('2027-01-05T06:07:08.000Z');
      expect(one.updatedAt.toISOString()).toBe('2027-01-06T06:07:08.000Z');
      const people = await db
        .select({ name: patients.fullName, line: patients.lineUserId })
        .from(patients)
        .where(eq(patients.clinicId, clinicId))
        .orderBy(patients.id);
      expect(people).toEqual([
        { name: '王小明', line: 'U-line-1' },
        { name: '李美玲', line: null },
        { name: '陳大文', line: 'U-line-4' },
      ]);
      const members = await db
        .select({ email: users.email, role: users.role, p: users.isPractitioner })
        .from(users)
        .where(eq(users.clinicId, clinicId))
        .orderBy(users.email);
      expect(members).toEqual([
        { email: 'admin@old.example', role: 'admin', p: false },
        { email: 'dr.chen@old.example', role: 'practitioner', p: true },
        { email: 'dr.wang@old.example', role: 'practitioner', p: true },
      ]);
    });

    it('the day view, month counts, slots and weekly schedule answer as the old data implies', async () => {
      const caller = await adminCaller();
      const chen = await userId('dr.chen@old.example');
      const wang = await userId('dr.wang@old.example');
      const day = await getDayView(db, caller, { practitionerId: chen, date: '2027-03-08' });
      expect(day.default_schedule).toEqual([{ start_time: '09:00', end_time: '12:00' }]);
      expect(
        day.events.map((e) => [e.start_time, e.end_time, e.type === 'appointment' && e.patient_name, e.type === 'appointment' && e.outside_hours]),
      ).toEqual([
        ['09:00', '10:00', '王小明', false],
        ['10:00', '10:30', '李美玲', false],
      ]);
      const wed = await getDayView(db, caller, { practitionerId: chen, date: '2027-03-10' });
      expect(wed.events).toEqual([
        expect.objectContaining({ start_time: '07:30', end_time: '08:00', outside_hours: true, appointment_type_name: '複診' }),
      ]);
      const month = await getMonthView(db, caller, { practitionerId: chen, month: '2027-03', page: 1, limit: 31 });
      expect(month.days.filter((d) => d.appointment_count > 0)).toEqual([
        { date: '2027-03-08', appointment_count: 2, exception_count: 0 },
        { date: '2027-03-10', appointment_count: 1, exception_count: 0 },
      ]);
      const feb = await getMonthView(db, caller, { practitionerId: chen, month: '2027-02', page: 1, limit: 31 });
      expect(feb.days.filter((d) => d.appointment_count > 0)).toEqual([{ date: '2027-02-01', appointment_count: 1, exception_count: 0 }]);
      const week = await getWeeklySchedule(db, caller, chen);
      expect(week).toMatchObject({
        monday: [{ start_time: '09:00', end_time: '12:00' }],
        tuesday: [],
        wednesday: [{ start_time: '14:00', end_time: '18:00' }],
        sunday: [],
      });
      expect(await getWeeklySchedule(db, caller, wang)).toMatchObject({ monday: [{ start_time: '08:00', end_time: '12:00' }], tuesday: [] });
      const clinic = await getClinicSettings(db, clinicId);
      const [typeRow] = await db
        .select({ id: appointments.appointmentTypeId })
        .from(appointments)
        .innerJoin(calendarEvents, eq(calendarEvents.id, appointments.calendarEventId))
        .where(eq(calendarEvents.startTime, '10:00:00'));
      const type = await findAppointmentType(db, clinicId, typeRow!.id);
      const slots = await slotsByPractitioner(db, { clinic, practitionerIds: [chen, wang], type, from: '2027-03-08', to: '2027-03-09', clock });
      const starts = (id: number, date: string) =>
        slots
          .get(id)
          ?.find((d) => d.date === date)
          ?.available_slots.map((s) => s.start_time) ?? [];
      expect(starts(chen, '2027-03-08')).toEqual(['10:30', '11:00', '11:30']);
      expect(starts(wang, '2027-03-08')).toEqual(['08:00', '08:30', '10:00', '10:30', '11:00', '11:30']);
      expect(starts(chen, '2027-03-09')).toEqual([]);
    });

    it('a second run changes nothing', async () => {
      const before = await dbFingerprint(db);
      const again = await run(false);
      expect(again.tables.appointments).toEqual({ read: 11, imported: 0, matched: 0, already: 7, skipped: 4 });
      expect(again.tables.patients).toEqual({ read: 4, imported: 0, matched: 0, already: 4, skipped: 0 });
      expect(await dbFingerprint(db)).toEqual(before);
    });

    it('never writes to the old database', async () => {
      expect(await old.checksum()).toEqual(oldChecksum);
    });

    it('a re-run brings over what was added to the old database since', async () => {
      await old.query(`INSERT INTO patients (id, full_name, line_user_id) VALUES (20, '新病人', 'U-line-20');
        INSERT INTO appointments (id, user_id, patient_id, appointment_type_id, start_time, end_time, status)
          VALUES (30, 1, 20, 2, '2027-03-08T03:30:00Z', '2027-03-08T04:00:00Z', 'confirmed')`);
      const report = await run(false);
      expect(report.tables.patients).toEqual({ read: 5, imported: 1, matched: 0, already: 4, skipped: 0 });
      expect(report.tables.appointments).toEqual({ read: 12, imported: 1, matched: 0, already: 7, skipped: 4 });
      const day = await getDayView(db, await adminCaller(), { practitionerId: await userId('dr.chen@old.example'), date: '2027-03-08' });
      expect(day.events.map((e) => e.start_time)).toEqual(['09:00', '10:00', '11:30']);
    });

    it('to retry a row, delete what the import made of it: the next run imports it anew', async () => {
      const chen = await userId('dr.chen@old.example');
      const [ten] = await db
        .select({ id: calendarEvents.id })
        .from(calendarEvents)
        .where(and(eq(calendarEvents.userId, chen), eq(calendarEvents.date, '2027-03-08'), eq(calendarEvents.startTime, '10:00:00')));
      await db.delete(calendarEvents).where(eq(calendarEvents.id, ten!.id));
      const report = await run(false);
      expect(report.tables.appointments).toEqual({ read: 12, imported: 1, matched: 0, already: 7, skipped: 4 });
      const day = await getDayView(db, await adminCaller(), { practitionerId: chen, date: '2027-03-08' });
      expect(day.events.map((e) => [e.start_time, e.type === 'appointment' && e.patient_name])).toEqual([
        ['09:00', '王小明'],
        ['10:00', '李美玲'],
        ['11:30', '新病人'],
      ]);
    });
  });
}

describe('npm run db:import-legacy (the script)', () => {
  const old = useOldDatabase(OLD_DATA);
  const target = `cbc_t_${inject('dbRunId')}_legacycli${randomBytes(3).toString('hex')}`;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE ${target} TEMPLATE ${inject('dbTemplate')}`);
    env = { ...process.env, DATABASE_URL: databaseUrl(target), DATABASE_DRIVER: 'postgres' };
    delete env.PGLITE_DATA_DIR;
  });
  afterAll(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`);
  });
  const script = (file: string, ...args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', file, ...args], { env, stdio: 'pipe' });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.once('error', reject);
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });

  it('refuses without --from and --clinic, dry-runs, then imports, printing the counts and every skipped row', async () => {
    const usage = await script('scripts/import-legacy.ts', '--clinic', 'sunrise');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Missing --from');
    const created = await script(
      'scripts/clinic-create.ts',
      '--name',
      'Sunrise',
      '--slug',
      'sunrise',
      '--timezone',
      'Asia/Taipei',
      '--admin-email',
      'admin@old.example',
    );
    expect(created.code, created.stderr).toBe(0);
    const unknown = await script('scripts/import-legacy.ts', '--from', old.url(), '--clinic', 'nowhere');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No clinic with the slug "nowhere"');

    const dry = await script('scripts/import-legacy.ts', '--from', old.url(), '--clinic', 'sunrise', '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Dry run (nothing was written) into clinic sunrise (time zone Asia/Taipei).');
    expect(dry.stdout).toMatch(/appointments\s+11\s+8\s+0\s+0\s+3/);
    expect(dry.stdout).toContain('appointments 6: crosses_midnight (2027-03-10 23:30 → 2027-03-11 00:30)');
    // users 4 is nobody of another clinic here: it is created
    expect(dry.stdout).toContain('practitioner_availability 2: not_available');

    const real = await script('scripts/import-legacy.ts', '--from', old.url(), '--clinic', 'sunrise');
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toContain('Imported into clinic sunrise');
    expect(real.stdout).toContain('appointments 4: overlaps_confirmed');
    const ids = (out: string) => out.replace(/calendar event \d+/g, 'calendar event N');
    expect(ids(real.stdout.replace(/^Imported/, 'X'))).toBe(ids(dry.stdout.replace(/^Dry run \(nothing was written\)/, 'X')));

    const again = await script('scripts/import-legacy.ts', '--from', old.url(), '--clinic', 'sunrise');
    expect(again.stdout).toMatch(/appointments\s+11\s+0\s+0\s+8\s+3/);
  });
});
