import { and, asc, eq, gte } from 'drizzle-orm';
import { spanOf, timeToMinutes, type Interval } from '../availability';
import { dowToWeekday, emptyWeek, type WeeklySchedule } from '../availability/weekly-schedule';
import type { DbOrTx } from '../db/client';
import { appointments, calendarEvents, patients, practitionerAvailability } from '../db/schema';
import type { ClinicNow } from '../time/clinic-clock';

/** A practitioner's default weekly hours as the engine takes them. */
export async function loadWeeklySchedule(db: DbOrTx, practitionerId: number): Promise<WeeklySchedule> {
  const rows = await db.select({
    dow: practitionerAvailability.dayOfWeek, start: practitionerAvailability.startTime, end: practitionerAvailability.endTime,
  }).from(practitionerAvailability)
    .where(eq(practitionerAvailability.userId, practitionerId))
    .orderBy(asc(practitionerAvailability.dayOfWeek), asc(practitionerAvailability.startTime));
  const week = emptyWeek();
  for (const r of rows) week[dowToWeekday(r.dow)].push({ start: timeToMinutes(r.start), end: timeToMinutes(r.end) });
  return week;
}

export interface ConfirmedAppointment extends Interval {
  calendarEventId: number;
  date: string;
  patient: string;
}

/** Confirmed appointments of a practitioner on or after a date, in time order. */
export async function loadConfirmedAppointmentsFrom(db: DbOrTx, practitionerId: number, fromDate: string): Promise<ConfirmedAppointment[]> {
  const rows = await db.select({
    calendarEventId: calendarEvents.id, date: calendarEvents.date, start: calendarEvents.startTime, end: calendarEvents.endTime,
    patient: patients.fullName,
  }).from(calendarEvents)
    .innerJoin(appointments, eq(appointments.calendarEventId, calendarEvents.id))
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .where(and(
      eq(calendarEvents.userId, practitionerId),
      eq(calendarEvents.eventType, 'appointment'),
      eq(appointments.status, 'confirmed'),
      gte(calendarEvents.date, fromDate),
    ))
    .orderBy(asc(calendarEvents.date), asc(calendarEvents.startTime));
  return rows.map((r) => ({
    calendarEventId: r.calendarEventId, date: r.date, patient: r.patient,
    start: timeToMinutes(r.start!), end: timeToMinutes(r.end!),
  }));
}

/** Not over yet at `now` (clinic time): later days, or ending after now today. */
export function hasNotEnded(a: { date: string; end: number }, now: ClinicNow): boolean {
  return a.date > now.date || (a.date === now.date && a.end > now.minutes);
}

/** Confirmed appointments that have not ended yet (clinic time): the ones warnings are about. */
export async function loadFutureConfirmedAppointments(db: DbOrTx, practitionerId: number, now: ClinicNow): Promise<ConfirmedAppointment[]> {
  return (await loadConfirmedAppointmentsFrom(db, practitionerId, now.date)).filter((a) => hasNotEnded(a, now));
}

/** Availability exceptions of a practitioner on or after a date, grouped by date (all-day = whole day). */
export async function loadExceptionsFrom(db: DbOrTx, practitionerId: number, fromDate: string): Promise<Map<string, Interval[]>> {
  const rows = await db.select({ date: calendarEvents.date, start: calendarEvents.startTime, end: calendarEvents.endTime })
    .from(calendarEvents)
    .where(and(
      eq(calendarEvents.userId, practitionerId),
      eq(calendarEvents.eventType, 'availability_exception'),
      gte(calendarEvents.date, fromDate),
    ));
  const byDate = new Map<string, Interval[]>();
  for (const r of rows) {
    byDate.set(r.date, [...(byDate.get(r.date) ?? []), spanOf(r.start, r.end)]);
  }
  return byDate;
}
