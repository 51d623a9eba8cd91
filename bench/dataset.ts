// The clinic-group data set: fresh PostgreSQL databases, migrated with the real migrations, loaded
// with set-based SQL (generate_series and hashes, so every run and both databases get the same rows).
import { randomBytes } from 'node:crypto';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { AGENT_KEY_PREFIX, hashAgentKey } from '../lib/auth/agent-keys';
import { runMigrations } from '../lib/db/migrate';
import * as schema from '../lib/db/schema';
import type { Db } from '../lib/db/client';
import { addDays } from '../lib/time/dates';

export const DATASET = {
  practitioners: 50,
  patients: 3_000,
  appointments: 147_000,
  exceptions: 3_000,
  /** days of history before today (~21 months) and of bookings from today on (~3 months) */
  pastDays: 640,
  futureDays: 91,
  /** the small database keeps this share of the past (and all of the future) */
  smallPastShare: 0.01,
  timezone: 'Asia/Taipei',
  slotStepMinutes: 15,
  minNoticeMinutes: 60,
};

/** Appointment types: [name, duration, buffer before, buffer after]. The first is the common one. */
const TYPES: Array<[string, number, number, number]> = [
  ['一般複診', 30, 0, 5],
  ['徒手治療', 45, 5, 10],
  ['初診評估', 60, 0, 10],
  ['運動治療', 60, 0, 0],
];

type Week = Record<number, Array<[string, string]>>;
const weekdays = (days: number[], intervals: Array<[string, string]>): Week => Object.fromEntries(days.map((d) => [d, intervals]));
const STANDARD: Array<[string, string]> = [
  ['09:00', '12:00'],
  ['13:00', '18:00'],
];
/** Five kinds of weekly hours, practitioner i gets kind i % 5. */
const WEEKS: Week[] = [
  weekdays([1, 2, 3, 4, 5], STANDARD),
  { ...weekdays([1, 2, 3, 4, 5], STANDARD), 6: [['09:00', '13:00']] },
  { ...weekdays([1, 2, 4, 5], [['13:00', '21:00']]), 6: [['09:00', '13:00']] },
  weekdays(
    [1, 2, 3, 4, 5],
    [
      ['08:30', '12:30'],
      ['14:00', '17:30'],
    ],
  ),
  { ...weekdays([1, 3, 5], STANDARD), ...weekdays([2, 4], [['14:00', '21:00']]) },
];

export interface Dataset {
  clinicId: number;
  practitionerIds: number[];
  /** the practitioner whose session cookie the bench uses */
  viewerId: number;
  typeIds: number[];
  patientIds: number[];
  today: string;
  from: string;
  to: string;
  counts: Record<string, number>;
}

/** A uniform number in [0, 1) from a salt and a row's key columns: the same on every run. */
const u = (salt: string, ...cols: string[]) => `((hashtext('${salt}:' || concat_ws(':', ${cols.join(', ')})) & 2147483647)::float8 / 2147483648.0)`;

/** The URL of database `name` on the server of `admin`. */
export function databaseUrl(admin: string, name: string): string {
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function createDatabase(admin: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return databaseUrl(admin, name);
}

export async function dropDatabase(admin: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** A drizzle handle of our own on one bench database (not the app's process-wide one). */
export function openDb(url: string): { db: Db; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const db = drizzle({ client: pool, schema, casing: 'snake_case' }) as unknown as Db;
  return { db, pool };
}

export async function migrate(url: string): Promise<void> {
  const { db, pool } = openDb(url);
  try {
    await runMigrations(db, 'postgres');
  } finally {
    await pool.end();
  }
}

export interface Thresholds {
  appointments: number;
  exceptions: number;
}

/**
 * Loads the clinic into a migrated database. `pastShare` < 1 keeps only that share of the past
 * (the same rows as the full set would have, thinned). Thresholds fix which candidate rows become
 * appointments and exceptions; the full load computes them and the small one reuses them, so both
 * have the same future to the row.
 */
export async function loadDataset(
  url: string,
  opts: { today: string; pastShare: number; thresholds?: Thresholds },
): Promise<{ dataset: Dataset; thresholds: Thresholds }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // Without values a text may hold several statements (the simple query protocol).
  const q = async <T extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]) =>
    (await client.query<T>(text, values)).rows;
  const from = addDays(opts.today, -DATASET.pastDays);
  const to = addDays(opts.today, DATASET.futureDays - 1);
  try {
    await q('BEGIN');
    const [clinic] = await q<{ id: number }>(
      `INSERT INTO clinics (name, slug, timezone, slot_step_minutes, min_notice_minutes) VALUES ('Bench Clinic Group', 'bench', $1, $2, $3) RETURNING id`,
      [DATASET.timezone, DATASET.slotStepMinutes, DATASET.minNoticeMinutes],
    );
    const clinicId = clinic!.id;
    const practitionerIds = (
      await q<{ id: number }>(
        `INSERT INTO users (clinic_id, email, name, role, is_practitioner)
         SELECT $1, format('dr%s@bench.test', lpad(i::text, 2, '0')), format('Dr. %s', lpad(i::text, 2, '0')), 'practitioner', true
         FROM generate_series(1, $2::int) i ORDER BY i RETURNING id`,
        [clinicId, DATASET.practitioners],
      )
    ).map((r) => r.id);
    await q(`INSERT INTO users (clinic_id, email, name, role, is_practitioner) VALUES ($1, 'admin@bench.test', 'Clinic Admin', 'admin', false)`, [
      clinicId,
    ]);

    const hours: string[] = [];
    practitionerIds.forEach((id, i) => {
      for (const [dow, intervals] of Object.entries(WEEKS[i % WEEKS.length]!)) {
        for (const [start, end] of intervals) hours.push(`(${id}, ${dow}, '${start}', '${end}')`);
      }
    });
    await q(`INSERT INTO practitioner_availability (user_id, day_of_week, start_time, end_time) VALUES ${hours.join(', ')}`);

    const typeIds: number[] = [];
    for (const [name, duration, before, after] of TYPES) {
      const [row] = await q<{ id: number }>(
        `INSERT INTO appointment_types (clinic_id, name, duration_minutes, buffer_before_minutes, buffer_after_minutes) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [clinicId, name, duration, before, after],
      );
      typeIds.push(row!.id);
    }
    const patientIds = (
      await q<{ id: number }>(
        `INSERT INTO patients (clinic_id, full_name, phone_number, line_user_id)
         SELECT $1, format('Patient %s', i), format('09%s-%s-%s', lpad((i % 100)::text, 2, '0'), lpad((i * 7 % 1000)::text, 3, '0'), lpad((i * 13 % 1000)::text, 3, '0')),
                'U' || md5('bench-patient-' || i)
         FROM generate_series(1, $2::int) i ORDER BY i RETURNING id`,
        [clinicId, DATASET.patients],
      )
    ).map((r) => r.id);

    // Candidate appointments: one per working hour ("block") of every practitioner-day of the two
    // years. A block holds at most one appointment of at most 60 minutes, so confirmed ones never
    // overlap (the exclusion constraint would refuse them). The future fills less the further out.
    await q(
      `CREATE TEMP TABLE cand AS
       SELECT pa.user_id, d.date, (pa.start_time + make_interval(mins => 60 * k))::time AS block, d.date - $3::date AS ahead
       FROM (SELECT generate_series($1::date, $2::date, interval '1 day')::date AS date) d
       JOIN practitioner_availability pa ON pa.day_of_week = extract(dow FROM d.date)::int
       CROSS JOIN LATERAL generate_series(0, floor(extract(epoch FROM pa.end_time - pa.start_time) / 3600)::int - 1) AS k`,
      [from, to, opts.today],
    );
    await q(
      `ALTER TABLE cand ADD COLUMN score float8, ADD COLUMN keep float8;
       UPDATE cand SET score = ${u('pick', 'user_id', 'date', 'block')} / CASE WHEN ahead < 0 THEN 1.0 ELSE greatest(0.12, 1 - ahead / 100.0) END,
                       keep = ${u('keep', 'user_id', 'date', 'block')}`,
    );
    const thresholds: Thresholds = opts.thresholds ?? {
      appointments: Number(
        (await q<{ score: number }>(`SELECT score FROM cand ORDER BY score OFFSET $1 LIMIT 1`, [DATASET.appointments - 1]))[0]!.score,
      ),
      exceptions: 0,
    };
    const [t30, t45, t60, t60b] = typeIds as [number, number, number, number];
    await q(
      `CREATE TEMP TABLE gen AS
       SELECT row_number() OVER (ORDER BY date, user_id, block)::int AS id, user_id, date, type_id,
              (block + make_interval(mins => offset_min))::time AS start_time,
              (block + make_interval(mins => offset_min + duration))::time AS end_time,
              ($7::int[])[1 + floor(${u('patient', 'user_id', 'date', 'block')} * cardinality($7::int[]))::int] AS patient_id,
              CASE WHEN s < 0.07 THEN 'canceled_by_patient' WHEN s < 0.10 THEN 'canceled_by_clinic' ELSE 'confirmed' END AS status
       FROM (
         SELECT c.*, ${u('status', 'user_id', 'date', 'block')} AS s,
                CASE WHEN t < 0.5 THEN $3::int WHEN t < 0.7 THEN $4::int WHEN t < 0.88 THEN $5::int ELSE $6::int END AS type_id,
                CASE WHEN t < 0.5 THEN 30 WHEN t < 0.7 THEN 45 ELSE 60 END AS duration,
                CASE WHEN t < 0.5 THEN 30 * (o < 0.5)::int WHEN t < 0.7 THEN 15 * (o < 0.5)::int ELSE 0 END AS offset_min
         FROM (SELECT cand.*, ${u('type', 'user_id', 'date', 'block')} AS t, ${u('offset', 'user_id', 'date', 'block')} AS o FROM cand) c
         WHERE c.score <= $1 AND (c.ahead >= 0 OR c.keep < $2)
       ) x`,
      [thresholds.appointments, opts.pastShare, t30, t45, t60, t60b, patientIds],
    );
    await q(
      `INSERT INTO calendar_events (id, user_id, event_type, date, start_time, end_time, appointment_status)
       SELECT id, user_id, 'appointment', date, start_time, end_time, status FROM gen ORDER BY id`,
    );
    await q(
      `INSERT INTO appointments (calendar_event_id, patient_id, appointment_type_id, status) SELECT id, patient_id, type_id, status FROM gen ORDER BY id`,
    );

    // Exceptions: ~8% of working practitioner-days, a quarter of them all day, the rest a few hours.
    await q(
      `CREATE TEMP TABLE ecand AS
       SELECT user_id, date, ahead, ${u('exc', 'user_id', 'date')} AS score, ${u('exc-keep', 'user_id', 'date')} AS keep,
              ${u('exc-kind', 'user_id', 'date')} AS kind
       FROM (SELECT DISTINCT user_id, date, ahead FROM cand) d`,
    );
    if (!opts.thresholds) {
      thresholds.exceptions = Number(
        (await q<{ score: number }>(`SELECT score FROM ecand ORDER BY score OFFSET $1 LIMIT 1`, [DATASET.exceptions - 1]))[0]!.score,
      );
    }
    await q(
      `CREATE TEMP TABLE egen AS
       SELECT (SELECT coalesce(max(id), 0) FROM calendar_events) + row_number() OVER (ORDER BY date, user_id)::int AS id, user_id, date,
              CASE WHEN kind < 0.25 THEN NULL ELSE (ARRAY['09:00', '14:00', '16:00', '10:00', '13:00', '15:00'])[1 + floor(kind * 6)::int]::time END AS start_time,
              CASE WHEN kind < 0.25 THEN NULL ELSE (ARRAY['12:00', '16:00', '18:00', '11:30', '15:00', '17:30'])[1 + floor(kind * 6)::int]::time END AS end_time
       FROM ecand WHERE score <= $1 AND (ahead >= 0 OR keep < $2)`,
      [thresholds.exceptions, opts.pastShare],
    );
    await q(
      `INSERT INTO calendar_events (id, user_id, event_type, date, start_time, end_time)
       SELECT id, user_id, 'availability_exception', date, start_time, end_time FROM egen ORDER BY id`,
    );
    await q(`INSERT INTO availability_exceptions (calendar_event_id) SELECT id FROM egen ORDER BY id`);
    await q(`SELECT setval(pg_get_serial_sequence('calendar_events', 'id'), (SELECT max(id) FROM calendar_events))`);

    // Google busy time of every fifth practitioner: on a fifth of their working days, an hour or so
    // (some of it inside their hours), a few whole days.
    await q(
      `INSERT INTO google_busy_times (user_id, gcal_event_id, date, start_time, end_time)
       SELECT user_id, 'bench' || md5(user_id || ':' || date), date,
              CASE WHEN kind < 0.05 THEN NULL ELSE (ARRAY['07:30', '11:30', '12:00', '17:30'])[1 + floor(kind * 4)::int]::time END,
              CASE WHEN kind < 0.05 THEN NULL ELSE (ARRAY['08:30', '12:30', '13:00', '19:00'])[1 + floor(kind * 4)::int]::time END
       FROM (SELECT user_id, date, ahead, ${u('busy', 'user_id', 'date')} AS pick, ${u('busy-kind', 'user_id', 'date')} AS kind, keep FROM ecand) b
       WHERE user_id = ANY($1::int[]) AND pick < 0.2 AND (ahead >= 0 OR keep < $2)`,
      [practitionerIds.filter((_, i) => i % 5 === 0), opts.pastShare],
    );
    await q('COMMIT');
    await q('VACUUM ANALYZE');

    const counts: Record<string, number> = {};
    for (const [label, sql] of [
      ['appointments', 'SELECT count(*) FROM appointments'],
      ['confirmed', `SELECT count(*) FROM appointments WHERE status = 'confirmed'`],
      [
        'future confirmed',
        `SELECT count(*) FROM appointments a JOIN calendar_events e ON e.id = a.calendar_event_id WHERE a.status = 'confirmed' AND e.date >= '${opts.today}'`,
      ],
      ['exceptions', 'SELECT count(*) FROM availability_exceptions'],
      ['google busy', 'SELECT count(*) FROM google_busy_times'],
      ['patients', 'SELECT count(*) FROM patients'],
    ] as const) {
      counts[label] = Number((await q<{ count: string }>(sql))[0]!.count);
    }
    return {
      dataset: { clinicId, practitionerIds, viewerId: practitionerIds[0]!, typeIds, patientIds, today: opts.today, from, to, counts },
      thresholds,
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}

/** An AI-agent key of the clinic, stored as the app stores it (only its SHA-256). */
export function newAgentKey(): string {
  return AGENT_KEY_PREFIX + randomBytes(32).toString('base64url');
}

export async function storeAgentKey(url: string, clinicId: number, key: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`INSERT INTO agent_keys (clinic_id, name, key_hash, key_prefix) VALUES ($1, 'bench agent', $2, $3)`, [
      clinicId,
      hashAgentKey(key),
      key.slice(0, 12),
    ]);
  } finally {
    await client.end();
  }
}
