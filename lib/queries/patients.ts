import 'server-only';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Caller } from '../auth/caller';
import type { DbOrTx } from '../db/client';
import { appointments, appointmentTypes, calendarEvents, patients, users } from '../db/schema';
import { AppError } from '../errors';
import type { PatientAppointmentListDto, PatientDetailDto, PatientDto } from '../schemas/responses';
import { clinicNow } from '../time/clinic-clock';
import { systemClock, type Clock } from '../time/clock';
import { getClinicSettings } from './clinic';

// The agent's reads of patients (CONTRACT "Agent reads"): the patient it is chatting with, found
// by LINE user id, and that patient's appointments. Both stay inside the caller's clinic: another
// clinic's patient is not found.

/** How many patients a staff search lists when no `limit` is given. */
export const PATIENT_SEARCH_DEFAULT_LIMIT = 20;

/**
 * Staff's patient search: by name (case-insensitive substring, so 小明 finds 王小明), phone number
 * (digits only on both sides, so 0912345678 finds 0912-345-678) or LINE user id (exact or prefix).
 * Best matches first: exact, then prefix, then substring; then by name. An empty `q` lists the
 * most recently changed patients. Only the caller's clinic.
 */
export async function searchPatients(db: DbOrTx, caller: Caller, input: { q: string; limit?: number }): Promise<PatientDto[]> {
  if (caller.kind !== 'user') throw new AppError('forbidden', "Only the clinic's members search its patients");
  const limit = input.limit ?? PATIENT_SEARCH_DEFAULT_LIMIT;
  const columns = { id: patients.id, full_name: patients.fullName, phone_number: patients.phoneNumber, line_user_id: patients.lineUserId };
  const q = input.q.trim();
  if (q === '') {
    return db
      .select(columns)
      .from(patients)
      .where(eq(patients.clinicId, caller.clinicId))
      .orderBy(desc(patients.updatedAt), desc(patients.id))
      .limit(limit);
  }
  const lower = q.toLowerCase();
  // A phone number is searched only when the text looks like one (digits and separators).
  const digits = /^[0-9+()\-\s.]+$/.test(q) ? q.replace(/[^0-9]/g, '') : '';
  const name = sql`lower(${patients.fullName})`;
  const namePos = sql`position(${lower}::text in ${name})`;
  const phone = sql`regexp_replace(coalesce(${patients.phoneNumber}, ''), '[^0-9]', '', 'g')`;
  const phonePos = digits ? sql`position(${digits}::text in ${phone})` : sql`0`;
  const lineExact = sql`${patients.lineUserId} = ${q}::text`;
  const linePrefix = sql`left(coalesce(${patients.lineUserId}, ''), ${q.length}::int) = ${q}::text`;
  const rank = sql<number>`CASE
    WHEN ${name} = ${lower}::text OR ${lineExact} ${digits ? sql`OR ${phone} = ${digits}::text` : sql``} THEN 0
    WHEN ${namePos} = 1 OR ${phonePos} = 1 OR ${linePrefix} THEN 1
    ELSE 2 END`;
  return db
    .select(columns)
    .from(patients)
    .where(and(eq(patients.clinicId, caller.clinicId), sql`(${namePos} > 0 OR ${phonePos} > 0 OR ${linePrefix})`))
    .orderBy(rank, patients.fullName, patients.id)
    .limit(limit);
}

/** Confirmed and not ended yet, in the clinic's time: SQL over appointments joined to calendar_events. */
async function upcomingCondition(db: DbOrTx, caller: Caller, clock: Clock | undefined) {
  const { timezone } = await getClinicSettings(db, caller.clinicId);
  const now = clinicNow(timezone, (clock ?? systemClock)());
  const nowTime = `${String(Math.floor(now.minutes / 60)).padStart(2, '0')}:${String(now.minutes % 60).padStart(2, '0')}`;
  return sql`(${appointments.status} = 'confirmed' AND (${calendarEvents.date} > ${now.date}::date OR (${calendarEvents.date} = ${now.date}::date AND ${calendarEvents.endTime} > ${nowTime}::time)))`;
}

/**
 * The patient page's head: the patient, how many of their appointments were marked no-show and
 * how many upcoming (confirmed, not ended yet) appointments they have. Another clinic's is 404.
 */
export async function getPatientDetail(db: DbOrTx, caller: Caller, input: { patientId: number; clock?: Clock }): Promise<PatientDetailDto> {
  if (caller.kind !== 'user') throw new AppError('forbidden', "Only the clinic's members read the patient page");
  const [patient] = await db
    .select({ id: patients.id, full_name: patients.fullName, phone_number: patients.phoneNumber, line_user_id: patients.lineUserId })
    .from(patients)
    .where(and(eq(patients.id, input.patientId), eq(patients.clinicId, caller.clinicId)));
  if (!patient) throw new AppError('not_found', 'Patient not found');
  const upcoming = await upcomingCondition(db, caller, input.clock);
  const [counts] = await db
    .select({
      no_shows: sql<number>`count(*) FILTER (WHERE ${appointments.attendance} = 'no_show')::int`,
      upcoming: sql<number>`count(*) FILTER (WHERE ${upcoming})::int`,
    })
    .from(appointments)
    .innerJoin(calendarEvents, eq(calendarEvents.id, appointments.calendarEventId))
    .innerJoin(users, eq(users.id, calendarEvents.userId))
    .where(and(eq(appointments.patientId, patient.id), eq(users.clinicId, caller.clinicId)));
  return { ...patient, no_shows: Number(counts?.no_shows ?? 0), upcoming: Number(counts?.upcoming ?? 0) };
}

/** The most appointments one answer lists. */
export const PATIENT_APPOINTMENTS_LIMIT = 50;

/** The clinic's patient with this LINE user id, as a list of zero or one. */
export async function findPatientsByLineUserId(db: DbOrTx, caller: Caller, input: { lineUserId: string }): Promise<PatientDto[]> {
  return db
    .select({ id: patients.id, full_name: patients.fullName, phone_number: patients.phoneNumber, line_user_id: patients.lineUserId })
    .from(patients)
    .where(and(eq(patients.clinicId, caller.clinicId), eq(patients.lineUserId, input.lineUserId)))
    .limit(1);
}

/**
 * A patient's appointments across practitioners: upcoming ones (confirmed, not ended yet, clinic
 * time) first, soonest first; then the rest (past, canceled) newest first; at most 50. Deactivated
 * practitioners and archived types keep their names here: it is the patient's history.
 */
export async function listPatientAppointments(
  db: DbOrTx,
  caller: Caller,
  input: { patientId: number; clock?: Clock },
): Promise<PatientAppointmentListDto> {
  const [patient] = await db
    .select({ id: patients.id })
    .from(patients)
    .where(and(eq(patients.id, input.patientId), eq(patients.clinicId, caller.clinicId)));
  if (!patient) throw new AppError('not_found', 'Patient not found');
  const upcoming = await upcomingCondition(db, caller, input.clock);
  const rows = await db
    .select({
      calendar_event_id: calendarEvents.id,
      practitioner_id: calendarEvents.userId,
      practitioner_name: users.name,
      appointment_type_id: appointments.appointmentTypeId,
      appointment_type_name: appointmentTypes.name,
      date: calendarEvents.date,
      start_time: sql<string>`to_char(${calendarEvents.startTime}, 'HH24:MI')`,
      end_time: sql<string>`to_char(${calendarEvents.endTime}, 'HH24:MI')`,
      status: appointments.status,
    })
    .from(appointments)
    .innerJoin(calendarEvents, eq(calendarEvents.id, appointments.calendarEventId))
    .innerJoin(users, eq(users.id, calendarEvents.userId))
    .innerJoin(appointmentTypes, eq(appointmentTypes.id, appointments.appointmentTypeId))
    .where(and(eq(appointments.patientId, patient.id), eq(users.clinicId, caller.clinicId)))
    .orderBy(
      sql`CASE WHEN ${upcoming} THEN 0 ELSE 1 END`,
      sql`CASE WHEN ${upcoming} THEN ${calendarEvents.date} END ASC`,
      sql`CASE WHEN ${upcoming} THEN ${calendarEvents.startTime} END ASC`,
      sql`${calendarEvents.date} DESC`,
      sql`${calendarEvents.startTime} DESC`,
      sql`${calendarEvents.id} DESC`,
    )
    .limit(PATIENT_APPOINTMENTS_LIMIT);
  return { appointments: rows };
}

/** One row of the patient page's lists: the agent's fields plus the attendance mark. */
export type PatientHistoryRow = PatientAppointmentListDto['appointments'][number] & { attendance: 'arrived' | 'no_show' | null };

/** How many past appointments the patient page shows at a time. */
export const PATIENT_PAST_PAGE_SIZE = 20;

/**
 * The patient page's appointments across practitioners: the upcoming ones (confirmed, not ended
 * yet, clinic time; soonest first; at most 50) and one page of the rest (past or canceled, newest
 * first, PATIENT_PAST_PAGE_SIZE a page) with whether an older page exists. Each row carries the
 * attendance mark. Another clinic's patient is not found; members only.
 */
export async function patientHistory(
  db: DbOrTx,
  caller: Caller,
  input: { patientId: number; pastPage?: number; clock?: Clock },
): Promise<{ upcoming: PatientHistoryRow[]; past: PatientHistoryRow[]; morePast: boolean }> {
  if (caller.kind !== 'user') throw new AppError('forbidden', "Only the clinic's members read the patient page");
  const page = Math.max(1, Math.floor(input.pastPage ?? 1));
  const upcoming = await upcomingCondition(db, caller, input.clock);
  const base = () =>
    db
      .select({
        calendar_event_id: calendarEvents.id,
        practitioner_id: calendarEvents.userId,
        practitioner_name: users.name,
        appointment_type_id: appointments.appointmentTypeId,
        appointment_type_name: appointmentTypes.name,
        date: calendarEvents.date,
        start_time: sql<string>`to_char(${calendarEvents.startTime}, 'HH24:MI')`,
        end_time: sql<string>`to_char(${calendarEvents.endTime}, 'HH24:MI')`,
        status: appointments.status,
        attendance: appointments.attendance,
      })
      .from(appointments)
      .innerJoin(calendarEvents, eq(calendarEvents.id, appointments.calendarEventId))
      .innerJoin(users, eq(users.id, calendarEvents.userId))
      .innerJoin(appointmentTypes, eq(appointmentTypes.id, appointments.appointmentTypeId))
      .innerJoin(patients, eq(patients.id, appointments.patientId));
  // The patient's clinic is checked in both reads (a foreign id lists nothing), and once more below.
  const mine = and(eq(appointments.patientId, input.patientId), eq(patients.clinicId, caller.clinicId), eq(users.clinicId, caller.clinicId));
  const [soon, rest] = await Promise.all([
    base().where(and(mine, upcoming)).orderBy(calendarEvents.date, calendarEvents.startTime, calendarEvents.id).limit(PATIENT_APPOINTMENTS_LIMIT),
    base()
      .where(and(mine, sql`NOT ${upcoming}`))
      .orderBy(desc(calendarEvents.date), desc(calendarEvents.startTime), desc(calendarEvents.id))
      .limit(PATIENT_PAST_PAGE_SIZE + 1)
      .offset((page - 1) * PATIENT_PAST_PAGE_SIZE),
  ]);
  if (soon.length === 0 && rest.length === 0) {
    const [patient] = await db
      .select({ id: patients.id })
      .from(patients)
      .where(and(eq(patients.id, input.patientId), eq(patients.clinicId, caller.clinicId)));
    if (!patient) throw new AppError('not_found', 'Patient not found');
  }
  return {
    upcoming: soon as PatientHistoryRow[],
    past: rest.slice(0, PATIENT_PAST_PAGE_SIZE) as PatientHistoryRow[],
    morePast: rest.length > PATIENT_PAST_PAGE_SIZE,
  };
}

/**
 * The next upcoming appointment (confirmed, not ended yet, clinic time) of each of these patients
 * of the caller's clinic, in one query: the search list shows it beside each name.
 */
export async function nextAppointments(
  db: DbOrTx,
  caller: Caller,
  input: { patientIds: number[]; clock?: Clock },
): Promise<Map<number, { date: string; start_time: string; practitioner_name: string }>> {
  if (caller.kind !== 'user') throw new AppError('forbidden', "Only the clinic's members search its patients");
  const found = new Map<number, { date: string; start_time: string; practitioner_name: string }>();
  if (input.patientIds.length === 0) return found;
  const upcoming = await upcomingCondition(db, caller, input.clock);
  const rows = await db
    .selectDistinctOn([appointments.patientId], {
      patient_id: appointments.patientId,
      date: calendarEvents.date,
      start_time: sql<string>`to_char(${calendarEvents.startTime}, 'HH24:MI')`,
      practitioner_name: users.name,
    })
    .from(appointments)
    .innerJoin(calendarEvents, eq(calendarEvents.id, appointments.calendarEventId))
    .innerJoin(users, eq(users.id, calendarEvents.userId))
    .where(and(inArray(appointments.patientId, input.patientIds), eq(users.clinicId, caller.clinicId), upcoming))
    .orderBy(appointments.patientId, calendarEvents.date, calendarEvents.startTime, calendarEvents.id);
  for (const { patient_id, ...next } of rows) found.set(patient_id, next);
  return found;
}
