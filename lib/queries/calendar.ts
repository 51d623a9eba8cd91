import 'server-only';
import { and, between, eq, sql } from 'drizzle-orm';
import { formatTime, isOutsideHours } from '../availability';
import { assertMember } from '../auth/access';
import type { Caller } from '../auth/caller';
import type { DbOrTx } from '../db/client';
import { prepared } from '../db/prepared';
import { availabilityExceptions, calendarEvents, clinicCalendarDays, users } from '../db/schema';
import { expandSeries } from '../availability/recurrence';
import type { DayEventDto, DayViewDto, MonthViewDto } from '../schemas/responses';
import { addDays, monthRange } from '../time/dates';
import { clinicDayOfMember, loadCalendar, notASeriesRow, seriesMayOccur, type PractitionerCalendar } from './calendar-data';
import { clinicSnapshot, practitionerIn } from './clinic-cache';

// The answers' shapes are the contract's response schemas (lib/schemas/responses.ts).
export type { AppointmentEventDto, DayEventDto, DayViewDto, ExceptionEventDto, MonthViewDto } from '../schemas/responses';

// One statement for the month: confirmed appointments per date (kind 0; calendar_events.appointment_status
// mirrors appointments.status, a trigger of drizzle/0003: no join), single exceptions per date (kind 1),
// the recurring exceptions that may fall in the range (kind 2: their rule, expanded in memory) and the
// clinic's closed days when the practitioner observes the clinic calendar (kind 3: like an all-day
// exception, so the month marks them as days with unavailable time).
const monthCountsStatement = (db: DbOrTx, name: string) => {
  const noText = sql<string | null>`null::text`;
  const appointmentsByDate = db
    .select({
      kind: sql<number>`0`.as('kind'),
      date: calendarEvents.date,
      n: sql<number>`count(*)::int`.as('n'),
      rule: noText.as('rule'),
      exdates: noText.as('exdates'),
    })
    .from(calendarEvents)
    .where(
      and(
        eq(calendarEvents.userId, sql.placeholder('id')),
        eq(calendarEvents.eventType, 'appointment'),
        eq(calendarEvents.appointmentStatus, 'confirmed'),
        between(calendarEvents.date, sql.placeholder('from'), sql.placeholder('to')),
      ),
    )
    .groupBy(calendarEvents.date);
  const exceptionsByDate = db
    .select({
      kind: sql<number>`1`.as('kind'),
      date: calendarEvents.date,
      n: sql<number>`count(*)::int`.as('n'),
      rule: noText.as('rule'),
      exdates: noText.as('exdates'),
    })
    .from(calendarEvents)
    .where(
      and(
        eq(calendarEvents.userId, sql.placeholder('id')),
        eq(calendarEvents.eventType, 'availability_exception'),
        between(calendarEvents.date, sql.placeholder('from'), sql.placeholder('to')),
        notASeriesRow,
      ),
    )
    .groupBy(calendarEvents.date);
  const series = db
    .select({
      kind: sql<number>`2`.as('kind'),
      date: calendarEvents.date,
      n: sql<number>`0`.as('n'),
      rule: sql<string | null>`${availabilityExceptions.rrule}`.as('rule'),
      exdates: sql<string | null>`array_to_string(${availabilityExceptions.exdates}, ',')`.as('exdates'),
    })
    .from(availabilityExceptions)
    .innerJoin(calendarEvents, eq(calendarEvents.id, availabilityExceptions.calendarEventId))
    .where(and(eq(calendarEvents.userId, sql.placeholder('id')), seriesMayOccur));
  const closedDays = db
    .select({
      kind: sql<number>`3`.as('kind'),
      date: clinicCalendarDays.date,
      n: sql<number>`1`.as('n'),
      rule: noText.as('rule'),
      exdates: noText.as('exdates'),
    })
    .from(clinicCalendarDays)
    .innerJoin(users, clinicDayOfMember)
    .where(
      and(
        eq(users.id, sql.placeholder('id')),
        sql`${users.observesClinicCalendar}`,
        eq(clinicCalendarDays.kind, 'closed'),
        between(clinicCalendarDays.date, sql.placeholder('from'), sql.placeholder('to')),
      ),
    );
  return appointmentsByDate.unionAll(exceptionsByDate).unionAll(series).unionAll(closedDays).prepare(name);
};

/** Confirmed appointments per day of a month's page window; two queries whatever the data. */
export async function getMonthView(
  db: DbOrTx,
  caller: Caller,
  input: { practitionerId: number; month: string; page: number; limit: number },
): Promise<MonthViewDto> {
  assertMember(caller, 'The calendar');
  // The practitioner is checked against the clinic's cached practitioners: no query when warm.
  practitionerIn(await clinicSnapshot(db, caller), input.practitionerId);
  const range = monthRange(input.month)!;
  const firstIndex = (input.page - 1) * input.limit;
  const size = Math.max(0, Math.min(input.limit, range.days - firstIndex));
  const dates = Array.from({ length: size }, (_, i) => addDays(range.first, firstIndex + i));
  const counts = new Map<string, number>();
  const unavailable = new Map<string, number>();
  const more = (date: string, n: number) => unavailable.set(date, (unavailable.get(date) ?? 0) + n);
  if (size > 0) {
    const [from, to] = [dates[0]!, dates[size - 1]!];
    const rows = await prepared(db, 'calendar_month_days', monthCountsStatement).execute({ id: input.practitionerId, from, to });
    for (const r of rows) {
      if (r.kind === 0) counts.set(r.date, r.n);
      else if (r.kind === 1 || r.kind === 3) more(r.date, r.n);
      else for (const date of expandSeries({ start: r.date, rule: r.rule!, exdates: r.exdates ? r.exdates.split(',') : [] }, from, to)) more(date, 1);
    }
  }
  return {
    month: input.month,
    total_days: range.days,
    page: input.page,
    limit: input.limit,
    days: dates.map((date) => ({ date, appointment_count: counts.get(date) ?? 0, exception_count: unavailable.get(date) ?? 0 })),
  };
}

/**
 * One day of a practitioner's calendar: the weekday's default hours and the day's events (confirmed
 * appointments, flagged outside hours, and exceptions), sorted by start, all-day first. Two queries
 * after the practitioner check.
 */
export async function getDayView(db: DbOrTx, caller: Caller, input: { practitionerId: number; date: string }): Promise<DayViewDto> {
  assertMember(caller, 'The calendar');
  // The practitioner is checked against the clinic's cached practitioners: no query when warm.
  practitionerIn(await clinicSnapshot(db, caller), input.practitionerId);
  const day = await loadCalendar(db, { practitionerId: input.practitionerId, from: input.date, to: input.date });
  return dayViewOf(day, input.date);
}

/**
 * One date of a loaded calendar as the day view shows it: the week and team views read a range (or
 * many practitioners) in one load and cut it into days with this, so they cannot disagree with it.
 */
export function dayViewOf(day: PractitionerCalendar, date: string): DayViewDto {
  const input = { date };
  const working = day.workingOn(input.date);
  const exceptions = day.exceptionsOn(input.date);

  const events: DayEventDto[] = [
    ...exceptions.map((e): DayEventDto => ({
      calendar_event_id: e.calendarEventId,
      type: 'availability_exception',
      start_time: e.allDay ? null : formatTime(e.start),
      end_time: e.allDay ? null : formatTime(e.end),
      title: 'Unavailable',
      exception_id: e.exceptionId,
      gcal_sync_status: e.gcalSyncStatus,
      recurrence: e.series?.rule ?? null,
      occurrence_date: e.series ? e.date : null,
    })),
    ...day.appointmentsOn(input.date).map((a): DayEventDto => ({
      calendar_event_id: a.calendarEventId,
      type: 'appointment',
      start_time: formatTime(a.start),
      end_time: formatTime(a.end),
      title: `${a.patient} - ${a.appointmentType}`,
      patient_id: a.patientId,
      appointment_type_id: a.appointmentTypeId,
      status: a.status,
      outside_hours: isOutsideHours(a, working, exceptions),
      patient_name: a.patient,
      patient_phone: a.patientPhone,
      appointment_type_name: a.appointmentType,
      gcal_sync_status: a.gcalSyncStatus,
      attendance: a.attendance,
    })),
  ];
  events.sort(
    (a, b) =>
      (a.start_time ?? '').localeCompare(b.start_time ?? '') ||
      (a.end_time ?? '').localeCompare(b.end_time ?? '') ||
      a.calendar_event_id - b.calendar_event_id,
  );
  const busy = day
    .busyOn(input.date)
    .map((b) =>
      b.start === 0 && b.end === 24 * 60 ? { start_time: null, end_time: null } : { start_time: formatTime(b.start), end_time: formatTime(b.end) },
    );
  const clinicDay = day.clinicDayOn(input.date);
  return {
    date: input.date,
    default_schedule: working.map((w) => ({ start_time: formatTime(w.start), end_time: formatTime(w.end) })),
    events,
    busy,
    clinic_day: clinicDay
      ? { kind: clinicDay.kind, name: clinicDay.name, hours_of_weekday: clinicDay.hoursOfWeekday, observed: clinicDay.observed }
      : null,
  };
}
