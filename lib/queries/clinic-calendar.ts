import 'server-only';
import { and, asc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { formatTime } from '../availability';
import { assertClinicAdmin } from '../auth/access';
import type { Caller } from '../auth/caller';
import type { DbOrTx } from '../db/client';
import { appointments, calendarEvents, clinicCalendarDays, patients, users } from '../db/schema';
import type { ClinicDayDto, ClosedDayAppointmentDto } from '../schemas/responses';
import type { ClinicNow } from '../time/clinic-clock';
import { hasNotEnded } from './calendar-data';

// Reads of the clinic calendar of holidays and make-up workdays (issue 16): the admin's list of a
// year, and the confirmed future appointments that days about to close would leave on a holiday.

export const clinicDayColumns = {
  id: clinicCalendarDays.id,
  date: clinicCalendarDays.date,
  kind: clinicCalendarDays.kind,
  name: clinicCalendarDays.name,
  hours_of_weekday: clinicCalendarDays.hoursOfWeekday,
  source: clinicCalendarDays.source,
};

/** The clinic's days of a year, by date. */
export async function clinicDaysOfYear(db: DbOrTx, clinicId: number, year: number): Promise<ClinicDayDto[]> {
  return db
    .select(clinicDayColumns)
    .from(clinicCalendarDays)
    .where(
      and(eq(clinicCalendarDays.clinicId, clinicId), gte(clinicCalendarDays.date, `${year}-01-01`), lte(clinicCalendarDays.date, `${year}-12-31`)),
    )
    .orderBy(asc(clinicCalendarDays.date));
}

export async function listClinicDays(db: DbOrTx, caller: Caller, input: { year: number }): Promise<{ year: number; days: ClinicDayDto[] }> {
  assertClinicAdmin(caller, 'manages the clinic calendar');
  return { year: input.year, days: await clinicDaysOfYear(db, caller.clinicId, input.year) };
}

const minutes = (column: AnyPgColumn) => sql<number>`(extract(hour from ${column}) * 60 + extract(minute from ${column}))::int`;

/**
 * Confirmed appointments on these dates of the clinic's practitioners who observe the clinic
 * calendar, not over yet at `now` (warnings concern the future), by date and time.
 */
export async function appointmentsOnDates(
  db: DbOrTx,
  input: { clinicId: number; dates: string[]; now: ClinicNow },
): Promise<ClosedDayAppointmentDto[]> {
  const dates = input.dates.filter((d) => d >= input.now.date);
  if (dates.length === 0) return [];
  const rows = await db
    .select({
      id: calendarEvents.id,
      practitionerId: users.id,
      practitionerName: users.name,
      date: calendarEvents.date,
      start: minutes(calendarEvents.startTime),
      end: minutes(calendarEvents.endTime),
      patient: patients.fullName,
    })
    .from(calendarEvents)
    .innerJoin(users, eq(users.id, calendarEvents.userId))
    .innerJoin(appointments, eq(appointments.calendarEventId, calendarEvents.id))
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .where(
      and(
        eq(users.clinicId, input.clinicId),
        eq(users.observesClinicCalendar, true),
        eq(calendarEvents.eventType, 'appointment'),
        eq(calendarEvents.appointmentStatus, 'confirmed'),
        inArray(calendarEvents.date, dates),
      ),
    )
    .orderBy(asc(calendarEvents.date), asc(calendarEvents.startTime), asc(calendarEvents.id));
  return rows
    .filter((r) => hasNotEnded({ date: r.date, end: r.end }, input.now))
    .map((r) => ({
      calendar_event_id: r.id,
      practitioner_id: r.practitionerId,
      practitioner_name: r.practitionerName,
      date: r.date,
      time: `${formatTime(r.start)}-${formatTime(r.end)}`,
      patient: r.patient,
    }));
}

/** Whether a practitioner observes the clinic calendar (their availability settings page). */
export async function practitionerObservesClinicCalendar(db: DbOrTx, practitionerId: number): Promise<boolean> {
  const [row] = await db.select({ observes: users.observesClinicCalendar }).from(users).where(eq(users.id, practitionerId));
  return row?.observes ?? true;
}
