import 'server-only';
import { and, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import { writeAudit, type AuditActor } from '../db/audit';
import type { DbOrTx } from '../db/client';
import { lockPractitionerCalendar } from '../db/locks';
import {
  APPOINTMENT_STATUSES,
  appointments,
  appointmentTypes,
  calendarEvents,
  clinics,
  legacyImportMap,
  patients,
  practitionerAvailability,
  users,
  type AppointmentStatus,
  type LegacyTable,
} from '../db/schema';
import { inTransaction } from '../db/transaction';
import type { LegacyRows } from '../queries/legacy-source';
import { listFutureOutsideHours, type OutsideHoursAppointmentDto } from '../queries/outside-hours';
import { clinicNow } from '../time/clinic-clock';
import { systemClock, type Clock } from '../time/clock';

// `npm run db:import-legacy` (issue 17): one old database (CONTRACT.md, "The old schema") into one
// clinic of ours, in one transaction. Every old row imported or matched is remembered in
// legacy_import_map, so a re-run imports nothing twice and brings over only what was added since;
// a dry run runs exactly the same code and rolls back.

export interface LegacyTableCounts {
  /** rows of the old table */
  read: number;
  /** new rows of ours made for them */
  imported: number;
  /** old rows that found a row of ours (same email, LINE id or type name; or a duplicate of one imported now) */
  matched: number;
  /** old rows an earlier run already brought over */
  already: number;
  skipped: number;
}
export interface LegacySkip {
  table: LegacyTable;
  old_id: number;
  reason: LegacySkipReason;
  detail?: string;
}
export type LegacySkipReason =
  | 'email_in_other_clinic'
  | 'no_email'
  | 'no_name'
  | 'invalid_duration'
  | 'not_available'
  | 'invalid_day_of_week'
  | 'invalid_time_range'
  | 'overlaps_existing_hours'
  | 'practitioner_not_imported'
  | 'patient_not_imported'
  | 'type_not_imported'
  | 'unknown_status'
  | 'ends_before_start'
  | 'crosses_midnight'
  | 'overlaps_confirmed'
  | 'gcal_event_id_taken';

export interface LegacyImportReport {
  clinic: { id: number; slug: string; timezone: string };
  dry_run: boolean;
  tables: Record<LegacyTable, LegacyTableCounts>;
  skipped: LegacySkip[];
  /** practitioners' confirmed future appointments outside their (imported) weekly hours */
  outside_hours: Array<{ practitioner_id: number; email: string; appointments: OutsideHoursAppointmentDto[] }>;
}

/** Thrown to roll a dry run back, carrying its report out. */
class DryRunDone extends Error {
  constructor(readonly report: LegacyImportReport) {
    super('dry run');
  }
}

const counts = (read: number): LegacyTableCounts => ({ read, imported: 0, matched: 0, already: 0, skipped: 0 });
const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
/** `HH:MM[:SS]` as minutes since midnight (seconds dropped), or null. */
function minutesOf(time: string | null): number | null {
  const m = /^(\d{2}):(\d{2})/.exec(time ?? '');
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export async function importLegacyClinic(
  db: DbOrTx,
  input: { clinicSlug: string; source: LegacyRows; dryRun: boolean; clock?: Clock },
): Promise<LegacyImportReport> {
  const clock = input.clock ?? systemClock;
  try {
    return await inTransaction(db, async (tx) => {
      const report = await importInto(tx, input.clinicSlug, input.source, input.dryRun, clock);
      if (input.dryRun) throw new DryRunDone(report);
      return report;
    });
  } catch (err) {
    if (err instanceof DryRunDone) return err.report;
    throw err;
  }
}

async function importInto(tx: DbOrTx, slug: string, src: LegacyRows, dryRun: boolean, clock: Clock): Promise<LegacyImportReport> {
  const [clinic] = await tx.select({ id: clinics.id, slug: clinics.slug, timezone: clinics.timezone }).from(clinics).where(eq(clinics.slug, slug));
  if (!clinic) throw new Error(`No clinic with the slug "${slug}": create it first with npm run clinic:create`);
  // One import of a clinic at a time: a second one waits here for the first to commit.
  await tx.execute(sql`SELECT id FROM clinics WHERE id = ${clinic.id} FOR UPDATE`);

  const report: LegacyImportReport = {
    clinic,
    dry_run: dryRun,
    tables: {
      users: counts(src.users.length),
      patients: counts(src.patients.length),
      appointment_types: counts(src.appointmentTypes.length),
      practitioner_availability: counts(src.availability.length),
      appointments: counts(src.appointments.length),
    },
    skipped: [],
    outside_hours: [],
  };
  const skip = (table: LegacyTable, oldId: number, reason: LegacySkipReason, detail?: string) => {
    report.tables[table].skipped += 1;
    report.skipped.push({ table, old_id: oldId, reason, ...(detail !== undefined ? { detail } : {}) });
  };

  const map = await loadMap(tx, clinic.id);
  const remember = async (table: LegacyTable, oldId: number, newId: number) => {
    map[table].set(oldId, newId);
    await tx.insert(legacyImportMap).values({ clinicId: clinic.id, table, oldId, newId });
  };

  // Users: matched by email among the clinic's members, else created as members.
  const withCalendar = new Set([...src.availability.map((a) => a.userId), ...src.appointments.map((a) => a.userId)]);
  const members = await tx.select({ id: users.id, email: users.email, isPractitioner: users.isPractitioner, clinicId: users.clinicId }).from(users);
  const byEmail = new Map(members.map((m) => [m.email.toLowerCase(), m]));
  for (const u of src.users) {
    if (map.users.has(u.id)) {
      report.tables.users.already += 1;
      continue;
    }
    const email = u.email?.trim().toLowerCase();
    if (!email) {
      skip('users', u.id, 'no_email');
      continue;
    }
    const existing = byEmail.get(email);
    if (existing && existing.clinicId !== clinic.id) {
      skip('users', u.id, 'email_in_other_clinic', email);
      continue;
    }
    if (existing) {
      if (withCalendar.has(u.id) && !existing.isPractitioner) {
        await tx.update(users).set({ isPractitioner: true, updatedAt: new Date() }).where(eq(users.id, existing.id));
        existing.isPractitioner = true;
      }
      report.tables.users.matched += 1;
      await remember('users', u.id, existing.id);
      continue;
    }
    const role = u.role === 'admin' ? 'admin' : 'practitioner';
    const [row] = await tx
      .insert(users)
      .values({
        clinicId: clinic.id,
        email,
        name: u.fullName?.trim() || email.split('@')[0]!,
        role,
        isPractitioner: role === 'practitioner' || withCalendar.has(u.id),
        ...(u.createdAt ? { createdAt: u.createdAt } : {}),
      })
      .returning({ id: users.id });
    byEmail.set(email, { id: row!.id, email, isPractitioner: true, clinicId: clinic.id });
    report.tables.users.imported += 1;
    await remember('users', u.id, row!.id);
  }
  for (const userId of new Set(map.users.values())) await lockPractitionerCalendar(tx, userId);

  // Patients: matched by LINE user id within the clinic (old duplicates by LINE id become one patient), else created.
  const byLine = new Map(
    (await tx.select({ id: patients.id, line: patients.lineUserId }).from(patients).where(eq(patients.clinicId, clinic.id)))
      .filter((p) => p.line !== null)
      .map((p) => [p.line!, p.id]),
  );
  for (const p of src.patients) {
    if (map.patients.has(p.id)) {
      report.tables.patients.already += 1;
      continue;
    }
    const line = p.lineUserId?.trim() || null;
    const found = line !== null ? byLine.get(line) : undefined;
    if (found !== undefined) {
      report.tables.patients.matched += 1;
      await remember('patients', p.id, found);
      continue;
    }
    const name = p.fullName?.trim();
    if (!name) {
      skip('patients', p.id, 'no_name');
      continue;
    }
    const [row] = await tx
      .insert(patients)
      .values({
        clinicId: clinic.id,
        fullName: name,
        phoneNumber: p.phoneNumber?.trim() || null,
        lineUserId: line,
        ...(p.createdAt ? { createdAt: p.createdAt, updatedAt: p.createdAt } : {}),
      })
      .returning({ id: patients.id });
    if (line !== null) byLine.set(line, row!.id);
    report.tables.patients.imported += 1;
    await remember('patients', p.id, row!.id);
  }

  // Appointment types: matched by name (any case) among the types in use, else created.
  const byName = new Map(
    (
      await tx
        .select({ id: appointmentTypes.id, name: appointmentTypes.name })
        .from(appointmentTypes)
        .where(and(eq(appointmentTypes.clinicId, clinic.id), isNull(appointmentTypes.archivedAt)))
    ).map((t) => [t.name.trim().toLowerCase(), t.id]),
  );
  for (const t of src.appointmentTypes) {
    if (map.appointment_types.has(t.id)) {
      report.tables.appointment_types.already += 1;
      continue;
    }
    const name = t.name?.trim();
    if (!name) {
      skip('appointment_types', t.id, 'no_name');
      continue;
    }
    const found = byName.get(name.toLowerCase());
    if (found !== undefined) {
      report.tables.appointment_types.matched += 1;
      await remember('appointment_types', t.id, found);
      continue;
    }
    const duration = t.durationMinutes;
    if (duration === null || !Number.isInteger(duration) || duration <= 0 || duration > 1440) {
      skip('appointment_types', t.id, 'invalid_duration', String(duration));
      continue;
    }
    const [row] = await tx
      .insert(appointmentTypes)
      .values({ clinicId: clinic.id, name, durationMinutes: duration })
      .returning({ id: appointmentTypes.id });
    byName.set(name.toLowerCase(), row!.id);
    report.tables.appointment_types.imported += 1;
    await remember('appointment_types', t.id, row!.id);
  }

  // Weekly hours: one interval per available row; rows marked unavailable say "not working that day".
  for (const a of src.availability) {
    if (map.practitioner_availability.has(a.id)) {
      report.tables.practitioner_availability.already += 1;
      continue;
    }
    const userId = map.users.get(a.userId);
    if (userId === undefined) {
      skip('practitioner_availability', a.id, 'practitioner_not_imported', `user ${a.userId}`);
      continue;
    }
    if (a.isAvailable === false) {
      skip('practitioner_availability', a.id, 'not_available');
      continue;
    }
    if (!Number.isInteger(a.dayOfWeek) || a.dayOfWeek < 0 || a.dayOfWeek > 6) {
      skip('practitioner_availability', a.id, 'invalid_day_of_week', String(a.dayOfWeek));
      continue;
    }
    const start = minutesOf(a.startTime);
    const end = minutesOf(a.endTime);
    if (start === null || end === null || start >= end) {
      skip('practitioner_availability', a.id, 'invalid_time_range', `${a.startTime ?? '—'}–${a.endTime ?? '—'}`);
      continue;
    }
    const [clash] = await tx
      .select({ start: practitionerAvailability.startTime, end: practitionerAvailability.endTime })
      .from(practitionerAvailability)
      .where(
        and(
          eq(practitionerAvailability.userId, userId),
          eq(practitionerAvailability.dayOfWeek, a.dayOfWeek),
          lt(practitionerAvailability.startTime, hhmm(end)),
          gt(practitionerAvailability.endTime, hhmm(start)),
        ),
      );
    if (clash) {
      skip('practitioner_availability', a.id, 'overlaps_existing_hours', `${clash.start.slice(0, 5)}–${clash.end.slice(0, 5)}`);
      continue;
    }
    const [row] = await tx
      .insert(practitionerAvailability)
      .values({ userId, dayOfWeek: a.dayOfWeek, startTime: hhmm(start), endTime: hhmm(end) })
      .returning({ id: practitionerAvailability.id });
    report.tables.practitioner_availability.imported += 1;
    await remember('practitioner_availability', a.id, row!.id);
  }

  // Appointments: a calendar event of the clinic's local date and times plus its appointment row.
  const oldIdOfEvent = new Map([...map.appointments].map(([oldId, eventId]) => [eventId, oldId]));
  for (const a of src.appointments) {
    if (map.appointments.has(a.id)) {
      report.tables.appointments.already += 1;
      continue;
    }
    const userId = map.users.get(a.userId);
    const patientId = map.patients.get(a.patientId);
    const typeId = map.appointment_types.get(a.appointmentTypeId);
    if (userId === undefined) {
      skip('appointments', a.id, 'practitioner_not_imported', `user ${a.userId}`);
      continue;
    }
    if (patientId === undefined) {
      skip('appointments', a.id, 'patient_not_imported', `patient ${a.patientId}`);
      continue;
    }
    if (typeId === undefined) {
      skip('appointments', a.id, 'type_not_imported', `appointment type ${a.appointmentTypeId}`);
      continue;
    }
    const status = a.status?.trim().toLowerCase() ?? '';
    if (!(APPOINTMENT_STATUSES as readonly string[]).includes(status)) {
      skip('appointments', a.id, 'unknown_status', a.status ?? 'null');
      continue;
    }
    if (!a.start || !a.end || a.end.getTime() <= a.start.getTime()) {
      skip('appointments', a.id, 'ends_before_start', `${a.start?.toISOString() ?? '—'} → ${a.end?.toISOString() ?? '—'}`);
      continue;
    }
    const from = clinicNow(clinic.timezone, a.start);
    const to = clinicNow(clinic.timezone, a.end);
    const span = `${from.date} ${hhmm(from.minutes)} → ${to.date} ${hhmm(to.minutes)}`;
    // Ending at midnight is the next day too: a calendar event's times lie within one day.
    if (to.date !== from.date) {
      skip('appointments', a.id, 'crosses_midnight', span);
      continue;
    }
    if (to.minutes <= from.minutes) {
      // Less than a minute long: nothing left once seconds are dropped.
      skip('appointments', a.id, 'ends_before_start', span);
      continue;
    }
    const startTime = hhmm(from.minutes);
    const endTime = hhmm(to.minutes);
    if (status === 'confirmed') {
      const [clash] = await tx
        .select({ id: calendarEvents.id, start: calendarEvents.startTime, end: calendarEvents.endTime })
        .from(calendarEvents)
        .where(
          and(
            eq(calendarEvents.userId, userId),
            eq(calendarEvents.date, from.date),
            eq(calendarEvents.appointmentStatus, 'confirmed'),
            lt(calendarEvents.startTime, endTime),
            gt(calendarEvents.endTime, startTime),
          ),
        );
      if (clash) {
        const old = oldIdOfEvent.get(clash.id);
        skip(
          'appointments',
          a.id,
          'overlaps_confirmed',
          `${from.date} ${startTime}–${endTime} overlaps ${old !== undefined ? `old appointment ${old}` : `calendar event ${clash.id}`} (${clash.start!.slice(0, 5)}–${clash.end!.slice(0, 5)})`,
        );
        continue;
      }
    }
    const gcal = a.gcalEventId?.trim() || null;
    if (gcal !== null) {
      const [taken] = await tx.select({ id: calendarEvents.id }).from(calendarEvents).where(eq(calendarEvents.gcalEventId, gcal));
      if (taken) {
        skip('appointments', a.id, 'gcal_event_id_taken', gcal);
        continue;
      }
    }
    const [event] = await tx
      .insert(calendarEvents)
      .values({
        userId,
        eventType: 'appointment',
        date: from.date,
        startTime,
        endTime,
        gcalEventId: gcal,
        ...(a.createdAt ? { createdAt: a.createdAt } : {}),
        ...(a.updatedAt ? { updatedAt: a.updatedAt } : a.createdAt ? { updatedAt: a.createdAt } : {}),
      })
      .returning({ id: calendarEvents.id });
    await tx.insert(appointments).values({ calendarEventId: event!.id, patientId, appointmentTypeId: typeId, status: status as AppointmentStatus });
    oldIdOfEvent.set(event!.id, a.id);
    report.tables.appointments.imported += 1;
    await remember('appointments', a.id, event!.id);
  }

  for (const userId of new Set(map.users.values())) {
    const list = await listFutureOutsideHours(tx, clinic.id, userId, clock);
    if (list.length === 0) continue;
    const [u] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
    report.outside_hours.push({ practitioner_id: userId, email: u!.email, appointments: list });
  }

  const changed = Object.values(report.tables).some((c) => c.imported + c.matched > 0);
  if (changed) {
    const system: AuditActor = { clinicId: clinic.id, kind: 'system' };
    await writeAudit(tx, system, {
      action: 'clinic.legacy_imported',
      entityType: 'clinic',
      entityId: clinic.id,
      details: {
        tables: report.tables,
        skipped: report.skipped,
        outside_hours: report.outside_hours.map((o) => ({
          practitioner_id: o.practitioner_id,
          calendar_event_ids: o.appointments.map((a) => a.calendar_event_id),
        })),
      },
      practitionerId: null,
      patientId: null,
    });
  }
  return report;
}

/** What earlier runs brought over and is still there (a row deleted since is imported again). */
async function loadMap(tx: DbOrTx, clinicId: number): Promise<Record<LegacyTable, Map<number, number>>> {
  const rows = await tx
    .select({ table: legacyImportMap.table, oldId: legacyImportMap.oldId, newId: legacyImportMap.newId })
    .from(legacyImportMap)
    .where(eq(legacyImportMap.clinicId, clinicId));
  const target = {
    users: { t: users, id: users.id },
    patients: { t: patients, id: patients.id },
    appointment_types: { t: appointmentTypes, id: appointmentTypes.id },
    practitioner_availability: { t: practitionerAvailability, id: practitionerAvailability.id },
    appointments: { t: calendarEvents, id: calendarEvents.id },
  } as const;
  const map = {} as Record<LegacyTable, Map<number, number>>;
  for (const table of Object.keys(target) as LegacyTable[]) {
    const mine = rows.filter((r) => r.table === table);
    const ids = mine.map((r) => r.newId);
    const { t, id } = target[table];
    const alive = new Set(ids.length > 0 ? (await tx.select({ id }).from(t).where(inArray(id, ids))).map((r) => r.id) : []);
    const gone = mine.filter((r) => !alive.has(r.newId)).map((r) => r.oldId);
    if (gone.length > 0) {
      await tx
        .delete(legacyImportMap)
        .where(and(eq(legacyImportMap.clinicId, clinicId), eq(legacyImportMap.table, table), inArray(legacyImportMap.oldId, gone)));
    }
    map[table] = new Map(mine.filter((r) => alive.has(r.newId)).map((r) => [r.oldId, r.newId]));
  }
  return map;
}
