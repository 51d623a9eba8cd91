import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db/client';
import { MIGRATIONS_FOLDER, queryRows } from '@/lib/db/client';
import * as schema from '@/lib/db/schema';
import { useTestDatabase } from '../support/db';

const TABLES = [
  'accounts',
  'agent_keys',
  'appointment_types',
  'appointments',
  'audit_log',
  'availability_exceptions',
  'calendar_events',
  'clinic_calendar_days',
  'clinics',
  'google_busy_times',
  'google_channels',
  'google_connections',
  'idempotency_keys',
  'invitations',
  'legacy_import_map',
  'outbox_attempts',
  'outbox_jobs',
  'patients',
  'practitioner_availability',
  'rate_limit_buckets',
  'slot_holds',
  'users',
];
const tableNames = async (db: Db) =>
  (
    await queryRows<{ table_name: string }>(
      db,
      sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    )
  ).map((r) => r.table_name);

/** Rows the schema must refuse, each with the constraint that refuses it. */
const badRows: Array<[string, string, string]> = [
  [
    'availability start after end',
    `INSERT INTO practitioner_availability (user_id, day_of_week, start_time, end_time) VALUES ($U, 1, '12:00', '09:00')`,
    'check_valid_time_range',
  ],
  [
    'availability empty interval',
    `INSERT INTO practitioner_availability (user_id, day_of_week, start_time, end_time) VALUES ($U, 1, '09:00', '09:00')`,
    'check_valid_time_range',
  ],
  [
    'day of week 7',
    `INSERT INTO practitioner_availability (user_id, day_of_week, start_time, end_time) VALUES ($U, 7, '09:00', '12:00')`,
    'check_day_of_week_range',
  ],
  [
    'day of week -1',
    `INSERT INTO practitioner_availability (user_id, day_of_week, start_time, end_time) VALUES ($U, -1, '09:00', '12:00')`,
    'check_day_of_week_range',
  ],
  ['unknown event type', `INSERT INTO calendar_events (user_id, event_type, date) VALUES ($U, 'meeting', '2030-01-01')`, 'check_valid_event_type'],
  [
    'event start after end',
    `INSERT INTO calendar_events (user_id, event_type, date, start_time, end_time) VALUES ($U, 'availability_exception', '2030-01-01', '18:00', '14:00')`,
    'check_valid_time_range',
  ],
  [
    'event with one time',
    `INSERT INTO calendar_events (user_id, event_type, date, start_time) VALUES ($U, 'availability_exception', '2030-01-01', '14:00')`,
    'check_times_both_or_neither',
  ],
  [
    'all-day appointment',
    `INSERT INTO calendar_events (user_id, event_type, date) VALUES ($U, 'appointment', '2030-01-01')`,
    'check_appointment_has_times',
  ],
  [
    'unknown appointment status',
    `INSERT INTO appointments (calendar_event_id, patient_id, appointment_type_id, status) VALUES ($E, $P, $T, 'maybe')`,
    'check_appointment_status',
  ],
  ['zero-minute appointment type', `INSERT INTO appointment_types (clinic_id, name, duration_minutes) VALUES ($C, 'x', 0)`, 'check_duration_range'],
  [
    'negative buffer',
    `INSERT INTO appointment_types (clinic_id, name, duration_minutes, buffer_after_minutes) VALUES ($C, 'y', 30, -5)`,
    'check_buffers_range',
  ],
  ['unknown user role', `INSERT INTO users (clinic_id, email, name, role) VALUES ($C, 'r@x.test', 'R', 'owner')`, 'check_user_role'],
  ['negative minimum notice', `INSERT INTO clinics (name, slug, min_notice_minutes) VALUES ('n', 'neg', -1)`, 'check_min_notice_range'],
  [
    'unknown outbox status',
    `INSERT INTO outbox_jobs (clinic_id, kind, payload, status) VALUES ($C, 'line.push', '{}', 'lost')`,
    'check_outbox_status',
  ],
  ['unknown outbox kind', `INSERT INTO outbox_jobs (clinic_id, kind, payload) VALUES ($C, 'email', '{}')`, 'check_outbox_kind'],
  [
    'unknown sync status',
    `INSERT INTO calendar_events (user_id, event_type, date, gcal_sync_status) VALUES ($U, 'availability_exception', '2030-01-01', 'weird')`,
    'check_gcal_sync_status',
  ],
  [
    'single exception with deleted occurrences',
    `INSERT INTO availability_exceptions (calendar_event_id, exdates) VALUES ($E, '{2030-01-08}')`,
    'check_series_fields',
  ],
  [
    'occurrence without its original date',
    `INSERT INTO availability_exceptions (calendar_event_id, recurring_parent_id) VALUES ($E, 1)`,
    'check_occurrence_fields',
  ],
  [
    'unknown clinic day kind',
    `INSERT INTO clinic_calendar_days (clinic_id, date, kind, name) VALUES ($C, '2030-01-01', 'half', 'x')`,
    'check_clinic_day_kind',
  ],
  [
    'make-up workday without the weekday of its hours',
    `INSERT INTO clinic_calendar_days (clinic_id, date, kind, name) VALUES ($C, '2030-01-05', 'workday', '補行上班')`,
    'check_clinic_day_hours',
  ],
  [
    'closed day with a weekday of hours',
    `INSERT INTO clinic_calendar_days (clinic_id, date, kind, name, hours_of_weekday) VALUES ($C, '2030-01-01', 'closed', '元旦', 1)`,
    'check_clinic_day_hours',
  ],
];

async function fixture(db: Db) {
  const one = async (q: string) => (await queryRows<{ id: number }>(db, sql.raw(q)))[0]!.id;
  const C = await one(`INSERT INTO clinics (name, slug) VALUES ('A', 'a-${Math.random().toString(36).slice(2)}') RETURNING id`);
  const U = await one(`INSERT INTO users (clinic_id, email, name) VALUES (${C}, 'u${C}@x.test', 'U') RETURNING id`);
  const P = await one(`INSERT INTO patients (clinic_id, full_name) VALUES (${C}, '王先生') RETURNING id`);
  const T = await one(`INSERT INTO appointment_types (clinic_id, name, duration_minutes) VALUES (${C}, '一般複診', 30) RETURNING id`);
  const E = await one(
    `INSERT INTO calendar_events (user_id, event_type, date, start_time, end_time) VALUES (${U}, 'appointment', '2030-01-01', '10:00', '10:30') RETURNING id`,
  );
  return { C, U, P, T, E };
}

function constraintChecks(getDb: () => Db) {
  it('accepts a valid row of every calendar table', async () => {
    const db = getDb();
    const ids = await fixture(db);
    await db.execute(
      sql.raw(
        `INSERT INTO appointments (calendar_event_id, patient_id, appointment_type_id, status) VALUES (${ids.E}, ${ids.P}, ${ids.T}, 'confirmed')`,
      ),
    );
    await db.execute(
      sql.raw(
        `INSERT INTO practitioner_availability (user_id, day_of_week, start_time, end_time) VALUES (${ids.U}, 1, '09:00', '12:00'), (${ids.U}, 1, '12:00', '18:00')`,
      ),
    );
    const [all] = await queryRows<{ id: number }>(
      db,
      sql.raw(`INSERT INTO calendar_events (user_id, event_type, date) VALUES (${ids.U}, 'availability_exception', '2030-01-02') RETURNING id`),
    );
    await db.execute(sql.raw(`INSERT INTO availability_exceptions (calendar_event_id) VALUES (${all!.id})`));
    const [count] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM calendar_events WHERE user_id = ${ids.U}`);
    expect(count!.n).toBe(2);
  });

  it.each(badRows)('rejects %s', async (_name, template, constraint) => {
    const db = getDb();
    const ids = await fixture(db);
    const q = template.replace(/\$([A-Z])/g, (_m, k: keyof typeof ids) => String(ids[k]));
    const err = await db.execute(sql.raw(q)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).not.toBeNull();
    const cause = (err as { cause?: { code?: string; constraint?: string; message?: string } }).cause ?? (err as never);
    expect(cause.code).toBe('23514');
    expect(String(cause.constraint ?? cause.message)).toContain(constraint);
  });

  describe('no double booking, enforced by the database (exclusion constraint)', () => {
    const confirm = (db: Db, e: number, ids: { P: number; T: number }, status = 'confirmed') =>
      db.execute(
        sql.raw(
          `INSERT INTO appointments (calendar_event_id, patient_id, appointment_type_id, status) VALUES (${e}, ${ids.P}, ${ids.T}, '${status}')`,
        ),
      );
    const event = async (db: Db, u: number, date: string, start: string, end: string, type = 'appointment') =>
      (
        await queryRows<{ id: number }>(
          db,
          sql.raw(
            `INSERT INTO calendar_events (user_id, event_type, date, start_time, end_time) VALUES (${u}, '${type}', '${date}', '${start}', '${end}') RETURNING id`,
          ),
        )
      )[0]!.id;
    const sqlstate = (err: unknown) => ((err as { cause?: { code?: string } }).cause ?? (err as { code?: string })).code;

    it('refuses a direct insert of a confirmed appointment overlapping another of the same practitioner', async () => {
      const db = getDb();
      const ids = await fixture(db);
      await confirm(db, ids.E, ids); // 2030-01-01 10:00-10:30
      const overlapping = await event(db, ids.U, '2030-01-01', '10:15', '11:00');
      const err = await confirm(db, overlapping, ids).then(
        () => null,
        (e: unknown) => e,
      );
      expect(sqlstate(err)).toBe('23P01');
      const [n] = await queryRows<{ n: number }>(db, sql.raw(`SELECT count(*)::int AS n FROM appointments WHERE calendar_event_id = ${overlapping}`));
      expect(n!.n).toBe(0);
    });

    it('refuses moving a confirmed appointment onto another one', async () => {
      const db = getDb();
      const ids = await fixture(db);
      await confirm(db, ids.E, ids);
      const later = await event(db, ids.U, '2030-01-01', '11:00', '11:30');
      await confirm(db, later, ids);
      const err = await db.execute(sql.raw(`UPDATE calendar_events SET start_time = '10:00', end_time = '10:30' WHERE id = ${later}`)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(sqlstate(err)).toBe('23P01');
    });

    it('allows touching appointments, other practitioners, exceptions and canceled appointments over the same time', async () => {
      const db = getDb();
      const ids = await fixture(db);
      await confirm(db, ids.E, ids); // 10:00-10:30
      await confirm(db, await event(db, ids.U, '2030-01-01', '10:30', '11:00'), ids);
      await confirm(db, await event(db, ids.U, '2030-01-01', '09:30', '10:00'), ids);
      await confirm(db, await event(db, ids.U, '2030-01-01', '10:00', '10:30'), ids, 'canceled_by_patient');
      const colleague = (
        await queryRows<{ id: number }>(
          db,
          sql.raw(`INSERT INTO users (clinic_id, email, name) VALUES (${ids.C}, 'c${ids.C}@x.test', 'C') RETURNING id`),
        )
      )[0]!.id;
      await confirm(db, await event(db, colleague, '2030-01-01', '10:00', '10:30'), ids);
      await event(db, ids.U, '2030-01-01', '10:00', '12:00', 'availability_exception');
      const [n] = await queryRows<{ n: number }>(
        db,
        sql.raw(
          `SELECT count(*)::int AS n FROM calendar_events WHERE appointment_status = 'confirmed' AND date = '2030-01-01' AND user_id IN (${ids.U}, ${colleague})`,
        ),
      );
      expect(n!.n).toBe(4);
    });

    it('a cancellation frees the range for a new booking', async () => {
      const db = getDb();
      const ids = await fixture(db);
      await confirm(db, ids.E, ids);
      const again = await event(db, ids.U, '2030-01-01', '10:00', '10:30');
      expect(
        sqlstate(
          await confirm(db, again, ids).then(
            () => null,
            (e: unknown) => e,
          ),
        ),
      ).toBe('23P01');
      await db.execute(sql.raw(`UPDATE appointments SET status = 'canceled_by_clinic' WHERE calendar_event_id = ${ids.E}`));
      await confirm(db, again, ids);
      const rows = await queryRows<{ id: number; appointment_status: string }>(
        db,
        sql.raw(`SELECT id, appointment_status FROM calendar_events WHERE id IN (${ids.E}, ${again}) ORDER BY id`),
      );
      expect(rows.map((r) => r.appointment_status)).toEqual(['canceled_by_clinic', 'confirmed']);
    });
  });

  it('deleting a calendar event removes its appointment and exception rows', async () => {
    const db = getDb();
    const ids = await fixture(db);
    await db.execute(
      sql.raw(
        `INSERT INTO appointments (calendar_event_id, patient_id, appointment_type_id, status) VALUES (${ids.E}, ${ids.P}, ${ids.T}, 'confirmed')`,
      ),
    );
    await db.execute(sql.raw(`DELETE FROM calendar_events WHERE id = ${ids.E}`));
    const [left] = await queryRows<{ n: number }>(db, sql.raw(`SELECT count(*)::int AS n FROM appointments WHERE calendar_event_id = ${ids.E}`));
    expect(left!.n).toBe(0);
  });
}

describe('schema on PostgreSQL (migrated by drizzle/)', () => {
  const t = useTestDatabase();
  it('has every table of the design and of the foundation', async () => {
    expect(await tableNames(t.db())).toEqual(TABLES);
  });
  it("has the design's indexes", async () => {
    const res = await queryRows<{ indexname: string }>(t.db(), sql`SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`);
    const names = res.map((r) => r.indexname);
    expect(names).toEqual(
      expect.arrayContaining([
        'idx_practitioner_availability_user_day',
        'idx_practitioner_availability_user_day_time',
        'idx_calendar_events_user_date',
        'idx_calendar_events_type',
        'idx_calendar_events_gcal_sync',
        'idx_calendar_events_user_date_type',
        'idx_appointments_patient',
        'idx_availability_exceptions_calendar_event',
      ]),
    );
  });
  constraintChecks(t.db);
});

describe('schema on embedded PGlite (migrated by drizzle/)', () => {
  let db: Db;
  let client: PGlite;
  const getDb = () => db;
  it('migrates an empty PGlite, twice without error', async () => {
    client = new PGlite({ extensions: { btree_gist } });
    db = drizzlePglite({ client, schema }) as unknown as Db;
    await migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    await migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    expect(await tableNames(db)).toEqual(TABLES);
  });
  constraintChecks(getDb);
});
