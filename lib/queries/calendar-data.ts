import 'server-only';
import { and, asc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import { dowToWeekday, emptyWeek, spanOf, timeToMinutes, type Interval, type WeeklySchedule } from '../availability';
import type { DbOrTx } from '../db/client';
import {
  appointments,
  appointmentTypes,
  availabilityExceptions,
  calendarEvents,
  googleBusyTimes,
  patients,
  practitionerAvailability,
  type AppointmentStatus,
} from '../db/schema';
import type { ClinicNow } from '../time/clinic-clock';
import { dayOfWeek } from '../time/dates';

// The one place that turns calendar rows into the engine's inputs (weekly hours, exceptions by
// date, confirmed appointments as intervals). Slots, the day view, outside-hours lists and the
// warnings of changes all read through it, so they cannot disagree about what a row means.

type SyncStatus = 'pending' | 'synced' | 'sync_failed' | null;

export interface ConfirmedAppointment extends Interval {
  calendarEventId: number;
  date: string;
  patient: string;
  patientId: number;
  patientPhone: string | null;
  appointmentTypeId: number;
  appointmentType: string;
  status: AppointmentStatus;
  gcalSyncStatus: SyncStatus;
}

export interface CalendarException extends Interval {
  calendarEventId: number;
  exceptionId: number;
  date: string;
  /** no times: the whole day */
  allDay: boolean;
  gcalSyncStatus: SyncStatus;
}

/** A practitioner's weekly hours and the events of a date range, as the engine takes them. */
export interface PractitionerCalendar {
  week: WeeklySchedule;
  /** confirmed appointments of the range, by date and start */
  appointments: ConfirmedAppointment[];
  exceptions: CalendarException[];
  /**
   * The practitioner's own Google events that count as busy (only kept while they ask for it):
   * they remove slots exactly as exceptions do, but are not exceptions of ours.
   */
  busy: BusyTime[];
  /** the default working intervals of a date's weekday */
  workingOn(date: string): Interval[];
  exceptionsOn(date: string): CalendarException[];
  appointmentsOn(date: string): ConfirmedAppointment[];
  busyOn(date: string): BusyTime[];
}

export interface BusyTime extends Interval {
  date: string;
}

/** Weekly hours of several practitioners, in one query. */
async function loadWeeks(db: DbOrTx, practitionerIds: number[]): Promise<Map<number, WeeklySchedule>> {
  const weeks = new Map<number, WeeklySchedule>(practitionerIds.map((id) => [id, emptyWeek()]));
  if (practitionerIds.length === 0) return weeks;
  const rows = await db
    .select({
      userId: practitionerAvailability.userId,
      dow: practitionerAvailability.dayOfWeek,
      start: practitionerAvailability.startTime,
      end: practitionerAvailability.endTime,
    })
    .from(practitionerAvailability)
    .where(inArray(practitionerAvailability.userId, practitionerIds))
    .orderBy(asc(practitionerAvailability.dayOfWeek), asc(practitionerAvailability.startTime));
  for (const r of rows) weeks.get(r.userId)![dowToWeekday(r.dow)].push({ start: timeToMinutes(r.start), end: timeToMinutes(r.end) });
  return weeks;
}

/** A practitioner's default weekly hours as the engine takes them. */
export async function loadWeeklySchedule(db: DbOrTx, practitionerId: number): Promise<WeeklySchedule> {
  return (await loadWeeks(db, [practitionerId])).get(practitionerId)!;
}

function byDate<T extends { date: string }>(items: T[]): (date: string) => T[] {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(item.date, [...(map.get(item.date) ?? []), item]);
  return (date) => map.get(date) ?? [];
}

/**
 * Weekly hours, availability exceptions, confirmed appointments and Google busy times of several
 * practitioners from `from` (to `to`, or open-ended): three queries, run together, whatever the
 * number of practitioners and days.
 */
export async function loadCalendars(
  db: DbOrTx,
  input: { practitionerIds: number[]; from: string; to?: string },
): Promise<Map<number, PractitionerCalendar>> {
  const ids = input.practitionerIds;
  const result = new Map<number, PractitionerCalendar>();
  if (ids.length === 0) return result;
  const [weeks, busyRows, rows] = await Promise.all([
    loadWeeks(db, ids),
    db
      .select({ userId: googleBusyTimes.userId, date: googleBusyTimes.date, start: googleBusyTimes.startTime, end: googleBusyTimes.endTime })
      .from(googleBusyTimes)
      .where(
        and(
          inArray(googleBusyTimes.userId, ids),
          gte(googleBusyTimes.date, input.from),
          ...(input.to === undefined ? [] : [lte(googleBusyTimes.date, input.to)]),
        ),
      ),
    db
      .select({
        id: calendarEvents.id,
        userId: calendarEvents.userId,
        eventType: calendarEvents.eventType,
        date: calendarEvents.date,
        start: calendarEvents.startTime,
        end: calendarEvents.endTime,
        sync: calendarEvents.gcalSyncStatus,
        status: appointments.status,
        patientId: appointments.patientId,
        patient: patients.fullName,
        phone: patients.phoneNumber,
        typeId: appointments.appointmentTypeId,
        typeName: appointmentTypes.name,
        exceptionId: availabilityExceptions.id,
      })
      .from(calendarEvents)
      .leftJoin(appointments, eq(appointments.calendarEventId, calendarEvents.id))
      .leftJoin(patients, eq(patients.id, appointments.patientId))
      .leftJoin(appointmentTypes, eq(appointmentTypes.id, appointments.appointmentTypeId))
      .leftJoin(availabilityExceptions, eq(availabilityExceptions.calendarEventId, calendarEvents.id))
      .where(
        and(
          inArray(calendarEvents.userId, ids),
          gte(calendarEvents.date, input.from),
          ...(input.to === undefined ? [] : [lte(calendarEvents.date, input.to)]),
          sql`(${calendarEvents.eventType} = 'availability_exception' OR ${appointments.status} = 'confirmed')`,
        ),
      )
      .orderBy(asc(calendarEvents.date), asc(calendarEvents.startTime), asc(calendarEvents.id)),
  ]);
  const rowsOf = new Map<number, typeof rows>(ids.map((id) => [id, []]));
  for (const r of rows) rowsOf.get(r.userId)!.push(r);
  for (const id of ids) {
    const week = weeks.get(id)!;
    const mine = rowsOf.get(id)!;
    const exceptions = mine
      .filter((r) => r.eventType === 'availability_exception')
      .map((r): CalendarException => ({
        ...spanOf(r.start, r.end),
        calendarEventId: r.id,
        exceptionId: r.exceptionId!,
        date: r.date,
        allDay: r.start === null,
        gcalSyncStatus: r.sync ?? null,
      }));
    const confirmed = mine
      .filter((r) => r.eventType === 'appointment')
      .map((r): ConfirmedAppointment => ({
        ...spanOf(r.start, r.end),
        calendarEventId: r.id,
        date: r.date,
        patient: r.patient!,
        patientId: r.patientId!,
        patientPhone: r.phone ?? null,
        appointmentTypeId: r.typeId!,
        appointmentType: r.typeName!,
        status: r.status!,
        gcalSyncStatus: r.sync ?? null,
      }));
    const busy = busyRows.filter((r) => r.userId === id).map((r): BusyTime => ({ ...spanOf(r.start, r.end), date: r.date }));
    result.set(id, {
      week,
      appointments: confirmed,
      exceptions,
      busy,
      busyOn: byDate(busy),
      workingOn: (date) => week[dowToWeekday(dayOfWeek(date))],
      exceptionsOn: byDate(exceptions),
      appointmentsOn: byDate(confirmed),
    });
  }
  return result;
}

/** One practitioner's calendar from `from` (to `to`, or open-ended); see loadCalendars. */
export async function loadCalendar(db: DbOrTx, input: { practitionerId: number; from: string; to?: string }): Promise<PractitionerCalendar> {
  return (await loadCalendars(db, { practitionerIds: [input.practitionerId], from: input.from, to: input.to })).get(input.practitionerId)!;
}

/** Not over yet at `now` (clinic time): later days, or ending after now today. */
export function hasNotEnded(a: { date: string; end: number }, now: ClinicNow): boolean {
  return a.date > now.date || (a.date === now.date && a.end > now.minutes);
}
