import 'server-only';
import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { PractitionerRef } from '../auth/access';
import type { Caller } from '../auth/caller';
import { queryRows, type DbOrTx } from '../db/client';
import { AppError } from '../errors';
import type { AppointmentTypeDto, PractitionerDto } from '../schemas/responses';
import type { ClinicSettings } from './clinic';
import type { AppointmentTypeRef } from './slots';

/**
 * What rarely changes about a clinic and every agent read needs: its settings, appointment types
 * and practitioners, as of `version` (clinics.cache_version). Shared between requests: frozen.
 */
export interface ClinicSnapshot {
  version: number;
  settings: Readonly<ClinicSettings>;
  /** GET /api/clinic/appointment-types' answer, by id */
  appointmentTypes: readonly AppointmentTypeDto[];
  /** GET /api/clinic/practitioners' answer, by name then id in the database's collation */
  practitioners: readonly PractitionerDto[];
  types: ReadonlyMap<number, Readonly<AppointmentTypeRef>>;
  practitionerRefs: ReadonlyMap<number, Readonly<PractitionerRef>>;
}

/** Clinics held per process; the least recently used one goes first. */
export const CLINIC_CACHE_SIZE = 500;

interface Entry {
  snapshot?: ClinicSnapshot;
  /** a load under way, started for a caller that had seen `atLeast`: concurrent requests share it */
  loading?: { atLeast: number; promise: Promise<ClinicSnapshot> };
}

// One cache per database handle (tests open several databases in one process, with the same
// clinic ids), shared by every bundle of the process like the handle itself (lib/db/client.ts).
const globalKey = Symbol.for('clinic-bot-calendar.clinic-cache');
type GlobalWithCache = typeof globalThis & { [globalKey]?: WeakMap<object, Map<number, Entry>> };
const g = globalThis as GlobalWithCache;

function entriesOf(db: object): Map<number, Entry> {
  const caches = (g[globalKey] ??= new WeakMap());
  let entries = caches.get(db);
  if (!entries) caches.set(db, (entries = new Map()));
  return entries;
}

/**
 * The caller's clinic's snapshot, from this process's memory while the clinic's cache_version has
 * not moved since it was read. Database triggers raise the version on any change of the clinic row,
 * its users or its appointment types (drizzle/0005), and the caller's lookup reads it in the same
 * query that authenticates (lib/auth), so a change made through any server instance, or by hand in
 * SQL, is seen by the very next request everywhere, at no extra query. Versions only grow: a
 * snapshot at least as new as the caller's version is good for it. A caller without a version
 * costs one query for it.
 *
 * Inside a transaction it reads through the transaction and neither uses nor fills the cache: the
 * transaction may see its own uncommitted changes, which are nobody else's to see.
 */
export async function clinicSnapshot(db: DbOrTx, caller: Caller): Promise<ClinicSnapshot> {
  const clinicId = caller.clinicId;
  if (db instanceof PgTransaction) return loadClinicSnapshot(db, clinicId);
  const version = caller.clinicVersion ?? (await currentVersion(db, clinicId));
  const entries = entriesOf(db);
  const entry = entries.get(clinicId) ?? {};
  // Most recently used last; the first is evicted.
  entries.delete(clinicId);
  entries.set(clinicId, entry);
  if (entries.size > CLINIC_CACHE_SIZE) entries.delete(entries.keys().next().value!);
  if (entry.snapshot && entry.snapshot.version >= version) return entry.snapshot;
  if (entry.loading && entry.loading.atLeast >= version) return entry.loading.promise;
  const promise: Promise<ClinicSnapshot> = loadClinicSnapshot(db, clinicId).then(
    (snapshot) => {
      if (entry.loading?.promise === promise) entry.loading = undefined;
      if (!entry.snapshot || entry.snapshot.version <= snapshot.version) entry.snapshot = snapshot;
      return snapshot;
    },
    (err: unknown) => {
      if (entry.loading?.promise === promise) entry.loading = undefined;
      throw err;
    },
  );
  entry.loading = { atLeast: version, promise };
  return promise;
}

/** The appointment type of an id in the snapshot's clinic; any other id is 404, as a lookup is. */
export function appointmentTypeIn(snapshot: ClinicSnapshot, id: number): Readonly<AppointmentTypeRef> {
  const type = snapshot.types.get(id);
  if (!type) throw new AppError('not_found', 'Appointment type not found');
  return type;
}

/**
 * The practitioner of a path id, as lib/auth/access.ts findPractitionerForCaller answers it: another
 * clinic's practitioner, or a member who is not a practitioner, is indistinguishable from a missing
 * one (404).
 */
export function practitionerIn(snapshot: ClinicSnapshot, id: number): Readonly<PractitionerRef> {
  const practitioner = snapshot.practitionerRefs.get(id);
  if (!practitioner) throw new AppError('not_found', 'Practitioner not found');
  return practitioner;
}

async function currentVersion(db: DbOrTx, clinicId: number): Promise<number> {
  const [row] = await queryRows<{ version: string | number }>(db, sql`SELECT cache_version AS version FROM clinics WHERE id = ${clinicId}`);
  if (!row) throw new AppError('not_found', 'Clinic not found');
  return Number(row.version);
}

interface SnapshotRow {
  id: number;
  name: string;
  slug: string;
  timezone: string;
  slot_step_minutes: number | null;
  min_notice_minutes: number;
  booking_window_days: number | null;
  max_appointments_per_day: number | null;
  max_upcoming_per_patient: number | null;
  cancellation_deadline_hours: number | null;
  version: string | number;
  types: string | Array<[number, string, number, number, number, number | null, number | null]>;
  practitioners: string | Array<[number, string]>;
}

/** One statement, so the version and the data it labels are of one moment. */
async function loadClinicSnapshot(db: DbOrTx, clinicId: number): Promise<ClinicSnapshot> {
  const [row] = await queryRows<SnapshotRow>(
    db,
    sql`
    SELECT c.id, c.name, c.slug, c.timezone, c.slot_step_minutes, c.min_notice_minutes, c.booking_window_days, c.max_appointments_per_day,
      c.max_upcoming_per_patient, c.cancellation_deadline_hours, c.cache_version AS version,
      (SELECT coalesce(json_agg(json_build_array(t.id, t.name, t.duration_minutes, t.buffer_before_minutes, t.buffer_after_minutes, t.booking_window_days, t.min_notice_minutes) ORDER BY t.id), '[]')
        FROM appointment_types t WHERE t.clinic_id = c.id AND t.archived_at IS NULL) AS types,
      (SELECT coalesce(json_agg(json_build_array(u.id, u.name) ORDER BY u.name, u.id), '[]')
        FROM users u WHERE u.clinic_id = c.id AND u.is_practitioner AND u.deactivated_at IS NULL) AS practitioners
    FROM clinics c WHERE c.id = ${clinicId}`,
  );
  if (!row || row.id !== clinicId) throw new AppError('not_found', 'Clinic not found');
  const json = <T>(value: string | T): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);
  const typeRows = json(row.types);
  const appointmentTypes = typeRows.map(([id, name, duration, before, after]) =>
    Object.freeze({ id, name, duration_minutes: duration, buffer_before_minutes: before, buffer_after_minutes: after }),
  );
  const practitioners = json(row.practitioners).map(([id, name]) => Object.freeze({ id, name }));
  return Object.freeze({
    version: Number(row.version),
    settings: Object.freeze({
      id: row.id,
      name: row.name,
      slug: row.slug,
      timezone: row.timezone,
      slotStepMinutes: row.slot_step_minutes,
      minNoticeMinutes: row.min_notice_minutes,
      bookingWindowDays: row.booking_window_days,
      maxAppointmentsPerDay: row.max_appointments_per_day,
      maxUpcomingPerPatient: row.max_upcoming_per_patient,
      cancellationDeadlineHours: row.cancellation_deadline_hours,
    }),
    appointmentTypes: Object.freeze(appointmentTypes),
    practitioners: Object.freeze(practitioners),
    types: new Map(
      typeRows.map(([id, , duration, before, after, windowDays, notice]) => [
        id,
        Object.freeze({
          id,
          durationMinutes: duration,
          bufferBeforeMinutes: before,
          bufferAfterMinutes: after,
          bookingWindowDays: windowDays ?? null,
          minNoticeMinutes: notice ?? null,
        }),
      ]),
    ),
    practitionerRefs: new Map(practitioners.map((p) => [p.id, Object.freeze({ id: p.id, name: p.name, clinicId })])),
  });
}
