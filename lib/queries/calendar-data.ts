import 'server-only';
import { and, asc, eq, gte, isNotNull, lte, sql, type SQL } from 'drizzle-orm';
import { dowToWeekday, emptyWeek, MINUTES_PER_DAY, type Interval, type WeeklySchedule } from '../availability';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../db/client';
import { prepared, rawRows } from '../db/prepared';
import {
  appointments,
  appointmentTypes,
  availabilityExceptions,
  calendarEvents,
  clinicCalendarDays,
  googleBusyTimes,
  patients,
  practitionerAvailability,
  slotHolds,
  users,
  type AppointmentStatus,
  type Attendance,
  type ClinicDayKind,
} from '../db/schema';
import type { ClinicNow } from '../time/clinic-clock';
import { addDays, dayOfWeek, daysBetween } from '../time/dates';
import { expandSeries } from '../availability/recurrence';

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
  attendance: Attendance | null;
  gcalSyncStatus: SyncStatus;
}

export interface CalendarException extends Interval {
  calendarEventId: number;
  exceptionId: number;
  date: string;
  /** no times: the whole day */
  allDay: boolean;
  gcalSyncStatus: SyncStatus;
  /**
   * An occurrence of a recurring exception (issue 16): `exceptionId` and `calendarEventId` are the
   * series', `date` is the occurrence's. null for a single exception (an occurrence edited on its
   * own is one).
   */
  series?: { rule: string; occurrenceDate: string } | null;
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
  /**
   * the working intervals of a date: its weekday's, or none on a clinic's closed day, or the hours of
   * the weekday a make-up workday borrows (only for a practitioner who observes the clinic calendar)
   */
  workingOn(date: string): Interval[];
  /** the clinic's holiday or make-up workday on a date, whether or not this practitioner observes it */
  clinicDayOn(date: string): ClinicDayOf | undefined;
  exceptionsOn(date: string): CalendarException[];
  appointmentsOn(date: string): ConfirmedAppointment[];
  busyOn(date: string): BusyTime[];
}

export interface BusyTime extends Interval {
  date: string;
}

/** A clinic calendar day as a practitioner's calendar sees it (issue 16). */
export interface ClinicDayOf {
  date: string;
  kind: ClinicDayKind;
  name: string;
  /** workday: the weekday (0 = Sunday) whose weekly hours the date takes */
  hoursOfWeekday: number | null;
  /** false: the practitioner opted out (works on holidays, keeps their own hours on make-up days) */
  observed: boolean;
  /** workday and observed: the borrowed weekday's working intervals */
  hours: Interval[];
}

/** Far enough for an open-ended range: every statement then takes both ends as parameters. */
const OPEN_END = '9999-12-31';

/** The weekdays (0 = Sunday) a date range touches: all seven for a week or more, or open-ended. */
function weekdaysOf(from: string, to: string | undefined): number[] {
  const days = to === undefined ? 7 : daysBetween(from, to) + 1;
  if (!(days < 7)) return [0, 1, 2, 3, 4, 5, 6];
  const first = dayOfWeek(from);
  return Array.from({ length: Math.max(0, days) }, (_, i) => (first + i) % 7);
}

/** Minutes since midnight of a `time` column, computed by PostgreSQL (null stays null). */
const minutesOf = (column: AnyPgColumn) => sql<number | null>`(extract(hour from ${column}) * 60 + extract(minute from ${column}))::int`;

/** The clinic calendar's days (issue 16) joined to each member of their clinic. */
export const clinicDayOfMember = eq(users.clinicId, clinicCalendarDays.clinicId);
/** A make-up workday's borrowed hours: the member's weekly hours of the weekday it borrows. */
const borrowedHours = and(eq(practitionerAvailability.userId, users.id), eq(practitionerAvailability.dayOfWeek, clinicCalendarDays.hoursOfWeekday));

/** Rows of the asked practitioners (`ids`, one array parameter whatever their number). */
const asked = (userColumn: AnyPgColumn) => sql`${userColumn} = ANY(${sql.placeholder('ids')}::int[])`;

/** Weekly hours of the asked practitioners (`ids`) on the asked weekdays (`dows`). */
const askedWeeklyHours = and(
  asked(practitionerAvailability.userId),
  sql`${practitionerAvailability.dayOfWeek} = ANY(${sql.placeholder('dows')}::int[])`,
);

/**
 * Repeating exceptions (issue 16) that may have an occurrence in `from`..`to`: started by `to`, not
 * ended (series_until, kept by every write) before `from`. Few rows (series, not occurrences); their
 * occurrences are expanded in memory (lib/availability/recurrence.ts), never stored. The caller
 * names whose (its own condition on calendar_events.user_id).
 */
export const seriesMayOccur = and(
  isNotNull(availabilityExceptions.rrule),
  lte(calendarEvents.date, sql.placeholder('to')),
  sql`(${availabilityExceptions.seriesUntil} IS NULL OR ${availabilityExceptions.seriesUntil} >= ${sql.placeholder('from')})`,
)!;

/**
 * A calendar event that is not a repeating exception's series row (that row is the series' DTSTART,
 * not a block of that date: the series arms read it). An anti-join on the small partial index of
 * series rows; unlike a left join of every exception row, its one plan for any range walks no table
 * whole (lib/db/client.ts statementHandle: these statements keep one plan).
 */
export const notASeriesRow = sql`NOT EXISTS (SELECT 1 FROM ${availabilityExceptions} WHERE ${availabilityExceptions.calendarEventId} = ${calendarEvents.id} AND ${availabilityExceptions.rrule} IS NOT NULL)`;

/** The availability_exceptions row of an exception event (one per event), looked up by its unique index; null for an appointment. */
const exceptionIdOf = sql`CASE WHEN ${calendarEvents.eventType} = 'availability_exception' THEN (SELECT ${availabilityExceptions.id} FROM ${availabilityExceptions} WHERE ${availabilityExceptions.calendarEventId} = ${calendarEvents.id}) END`;

const weeksStatement = (db: DbOrTx, name: string) =>
  db
    .select({
      userId: practitionerAvailability.userId,
      dow: practitionerAvailability.dayOfWeek,
      start: minutesOf(practitionerAvailability.startTime),
      end: minutesOf(practitionerAvailability.endTime),
    })
    .from(practitionerAvailability)
    .where(askedWeeklyHours)
    .orderBy(asc(practitionerAvailability.dayOfWeek), asc(practitionerAvailability.startTime))
    .prepare(name);

/** Weekly hours of several practitioners for some weekdays (all by default), in one query. */
async function loadWeeks(db: DbOrTx, practitionerIds: number[], dows: number[] = [0, 1, 2, 3, 4, 5, 6]): Promise<Map<number, WeeklySchedule>> {
  const weeks = new Map<number, WeeklySchedule>(practitionerIds.map((id) => [id, emptyWeek()]));
  if (practitionerIds.length === 0 || dows.length === 0) return weeks;
  const rows = await prepared(db, 'calendar_weeks', weeksStatement).execute({ ids: practitionerIds, dows });
  for (const r of rows) weeks.get(r.userId)![dowToWeekday(r.dow)].push({ start: r.start!, end: r.end! });
  return weeks;
}

/** A practitioner's default weekly hours as the engine takes them. */
export async function loadWeeklySchedule(db: DbOrTx, practitionerId: number): Promise<WeeklySchedule> {
  return (await loadWeeks(db, [practitionerId])).get(practitionerId)!;
}

/** Items grouped by their date, looked up without scanning. */
function byDate<T extends { date: string }>(items: T[]): (date: string) => T[] {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const list = map.get(item.date);
    if (list) list.push(item);
    else map.set(item.date, [item]);
  }
  return (date) => map.get(date) ?? [];
}

/** Items grouped by practitioner, one list per asked id (empty when none). */
function byPractitioner<T extends { userId: number }>(ids: number[], items: T[]): Map<number, T[]> {
  const map = new Map<number, T[]>(ids.map((id) => [id, []]));
  for (const item of items) map.get(item.userId)?.push(item);
  return map;
}

// What counts as taking a practitioner's time: exceptions, and appointments whose status is
// confirmed. calendar_events.appointment_status mirrors appointments.status (a trigger, drizzle/0003),
// so the filter needs no join.
const takesTime = sql`(${calendarEvents.eventType} = 'availability_exception' OR ${calendarEvents.appointmentStatus} = 'confirmed')`;
const inRange = (column: AnyPgColumn, userColumn: AnyPgColumn) =>
  and(asked(userColumn), gte(column, sql.placeholder('from')), lte(column, sql.placeholder('to')));

/**
 * One arm of a union statement (calendarStatement, intervalsStatement): `kind`, `user_id`, then every
 * column of `nulls` in its order, the arm's own `values` or a null of the column's type, so every arm
 * has the same columns.
 */
function armColumns<C extends string>(
  nulls: Record<C, string>,
  kind: number | SQL,
  userId: AnyPgColumn,
  values: Partial<Record<C, SQL | AnyPgColumn>>,
) {
  const list: Record<string, SQL.Aliased> = {
    kind: (typeof kind === 'number' ? sql`${sql.raw(String(kind))}` : kind).as('kind'),
    user_id: sql`${userId}`.as('user_id'),
  };
  for (const [column, type] of Object.entries(nulls) as Array<[C, string]>) {
    const value = values[column];
    list[column] = (value === undefined ? sql`${sql.raw(`null::${type}`)}` : sql`${value}`).as(column);
  }
  return list;
}

// What the two union statements read alike: weekly hours, Google busy times and repeating exceptions'
// series rows, each with the columns an arm picks.
const weeklyHoursValues = {
  dow: practitionerAvailability.dayOfWeek,
  start_minute: minutesOf(practitionerAvailability.startTime),
  end_minute: minutesOf(practitionerAvailability.endTime),
};
const weeklyHoursArm = (db: DbOrTx, columns: Record<string, SQL.Aliased>) =>
  db.select(columns).from(practitionerAvailability).where(askedWeeklyHours);
const busyValues = {
  date: sql`${googleBusyTimes.date}::text`,
  start_minute: minutesOf(googleBusyTimes.startTime),
  end_minute: minutesOf(googleBusyTimes.endTime),
};
const busyArm = (db: DbOrTx, columns: Record<string, SQL.Aliased>) =>
  db.select(columns).from(googleBusyTimes).where(inRange(googleBusyTimes.date, googleBusyTimes.userId));
const seriesValues = {
  date: sql`${calendarEvents.date}::text`,
  start_minute: minutesOf(calendarEvents.startTime),
  end_minute: minutesOf(calendarEvents.endTime),
  rrule: availabilityExceptions.rrule,
  // as text: every driver hands a date[] back differently
  exdates: sql`array_to_string(${availabilityExceptions.exdates}, ',')`,
};
const seriesArm = (db: DbOrTx, columns: Record<string, SQL.Aliased>) =>
  db
    .select(columns)
    .from(availabilityExceptions)
    .innerJoin(calendarEvents, eq(calendarEvents.id, availabilityExceptions.calendarEventId))
    .where(and(asked(calendarEvents.userId), seriesMayOccur));

/** The columns of calendarStatement's rows, in order; every arm fills the ones of its kind, the rest are null. */
interface CalendarRow {
  /** 0 weekly hours, 1 Google busy time, 2 clinic calendar day, 3 repeating exception (its series row), 4 event */
  kind: 0 | 1 | 2 | 3 | 4;
  user_id: number;
  /** calendar event (kinds 3, 4) */
  id: number | null;
  event_type: string | null;
  date: string | null;
  start_minute: number | null;
  end_minute: number | null;
  /** weekly hours' weekday (0); a make-up day's borrowed weekday (2) */
  dow: number | null;
  sync: SyncStatus | null;
  status: AppointmentStatus | null;
  attendance: Attendance | null;
  patient_id: number | null;
  patient: string | null;
  phone: string | null;
  type_id: number | null;
  type_name: string | null;
  exception_id: number | null;
  observed: boolean | null;
  day_kind: ClinicDayKind | null;
  day_name: string | null;
  rrule: string | null;
  exdates: string | null;
}
type CalendarColumn = Exclude<keyof CalendarRow, 'kind' | 'user_id'>;
const CALENDAR_NULLS: Record<CalendarColumn, string> = {
  id: 'int',
  event_type: 'text',
  date: 'text',
  start_minute: 'int',
  end_minute: 'int',
  dow: 'int',
  sync: 'text',
  status: 'text',
  attendance: 'text',
  patient_id: 'int',
  patient: 'text',
  phone: 'text',
  type_id: 'int',
  type_name: 'text',
  exception_id: 'int',
  observed: 'boolean',
  day_kind: 'text',
  day_name: 'text',
  rrule: 'text',
  exdates: 'text',
};
const calendarColumns = (kind: CalendarRow['kind'], userId: AnyPgColumn, values: Partial<Record<CalendarColumn, SQL | AnyPgColumn>>) =>
  armColumns(CALENDAR_NULLS, kind, userId, values);

/**
 * Everything a calendar view shows of several practitioners over a range, in one statement (one round
 * trip, one plan): weekly hours of the weekdays asked, Google busy times, the clinic calendar's days
 * for each practitioner (holidays, and make-up workdays with the hours of the weekday they borrow: a
 * left join, one row per interval or one with no times; dates are the clinic's local dates), the
 * repeating exceptions that may have an occurrence in the range (series rows, expanded in memory), and
 * exceptions and confirmed appointments with their patients and types. Ordered by kind, then date,
 * weekday, start and event (all-day rows last within a date, as PostgreSQL sorts nulls).
 */
const calendarStatement = (db: DbOrTx, name: string) => {
  const weeks = weeklyHoursArm(db, calendarColumns(0, practitionerAvailability.userId, weeklyHoursValues));
  const busy = busyArm(db, calendarColumns(1, googleBusyTimes.userId, busyValues));
  const clinicDays = db
    .select(
      calendarColumns(2, users.id, {
        observed: users.observesClinicCalendar,
        date: sql`${clinicCalendarDays.date}::text`,
        day_kind: clinicCalendarDays.kind,
        day_name: clinicCalendarDays.name,
        dow: clinicCalendarDays.hoursOfWeekday,
        start_minute: minutesOf(practitionerAvailability.startTime),
        end_minute: minutesOf(practitionerAvailability.endTime),
      }),
    )
    .from(clinicCalendarDays)
    .innerJoin(users, clinicDayOfMember)
    .leftJoin(practitionerAvailability, and(borrowedHours, sql`${users.observesClinicCalendar}`))
    .where(inRange(clinicCalendarDays.date, users.id));
  const series = seriesArm(
    db,
    calendarColumns(3, calendarEvents.userId, {
      ...seriesValues,
      id: calendarEvents.id,
      sync: calendarEvents.gcalSyncStatus,
      exception_id: availabilityExceptions.id,
    }),
  );
  const events = db
    .select(
      calendarColumns(4, calendarEvents.userId, {
        id: calendarEvents.id,
        event_type: calendarEvents.eventType,
        date: sql`${calendarEvents.date}::text`,
        start_minute: minutesOf(calendarEvents.startTime),
        end_minute: minutesOf(calendarEvents.endTime),
        sync: calendarEvents.gcalSyncStatus,
        status: appointments.status,
        attendance: appointments.attendance,
        patient_id: appointments.patientId,
        patient: patients.fullName,
        phone: patients.phoneNumber,
        type_id: appointments.appointmentTypeId,
        type_name: appointmentTypes.name,
        exception_id: exceptionIdOf,
      }),
    )
    .from(calendarEvents)
    .leftJoin(appointments, eq(appointments.calendarEventId, calendarEvents.id))
    .leftJoin(patients, eq(patients.id, appointments.patientId))
    .leftJoin(appointmentTypes, eq(appointmentTypes.id, appointments.appointmentTypeId))
    .where(and(inRange(calendarEvents.date, calendarEvents.userId), takesTime, notASeriesRow));
  return weeks
    .unionAll(busy)
    .unionAll(clinicDays)
    .unionAll(series)
    .unionAll(events)
    .orderBy(sql`kind, date, dow, start_minute, id`)
    .prepare(name);
};

/** An exception or confirmed appointment of calendarStatement (kind 4), as loadCalendars reads it. */
interface EventRow {
  id: number;
  userId: number;
  eventType: 'appointment' | 'availability_exception';
  date: string;
  start: number | null;
  end: number | null;
  sync: SyncStatus | null;
  status: AppointmentStatus | null;
  attendance: Attendance | null;
  patientId: number | null;
  patient: string | null;
  phone: string | null;
  typeId: number | null;
  typeName: string | null;
  exceptionId: number | null;
}

interface SeriesRow {
  id: number;
  userId: number;
  date: string;
  start: number | null;
  end: number | null;
  sync: SyncStatus | null;
  exceptionId: number;
  rrule: string | null;
  exdates: string;
}

/**
 * Every occurrence of the series rows within `from`..`to`, as exceptions of their dates. An
 * open-ended read (no `to`) is expanded to `until` (what the caller needs: its last appointment, at
 * least a year).
 */
/** The dates of a series row (its first date, rule and excluded dates) within `from`..`to`. */
function seriesDates(r: { date: string; rrule: string | null; exdates: string | null }, from: string, to: string): string[] {
  return expandSeries({ start: r.date, rule: r.rrule!, exdates: r.exdates ? r.exdates.split(',') : [] }, from, to);
}

function occurrencesOf(series: SeriesRow[], from: string, to: string): (CalendarException & { userId: number })[] {
  const out: (CalendarException & { userId: number })[] = [];
  for (const r of series) {
    for (const date of seriesDates(r, from, to)) {
      out.push({
        ...spanOfMinutes(r.start, r.end),
        calendarEventId: r.id,
        exceptionId: r.exceptionId,
        date,
        allDay: r.start === null,
        gcalSyncStatus: r.sync ?? null,
        series: { rule: r.rrule!, occurrenceDate: date },
        userId: r.userId,
      });
    }
  }
  return out;
}

/** Exceptions by date, then start (all day last, as PostgreSQL sorts nulls), then event: the plain rows' order. */
const byDateAndStart = (a: CalendarException, b: CalendarException) =>
  a.date.localeCompare(b.date) || (a.allDay === b.allDay ? a.start - b.start : a.allDay ? 1 : -1) || a.calendarEventId - b.calendarEventId;

/**
 * The engine's inputs only (no patients, names or sync states), in one statement: each row is a
 * working interval of a weekday (kind 0), a span that blocks slots (kind 1: an exception or a busy
 * Google event), a confirmed appointment (kind 2), a slot hold that has not expired nor been
 * used (kind 3), a clinic calendar day (kind 4: a holiday, or a make-up day's borrowed hours) or a
 * repeating exception's series row (kind 5: its first date, times and rule).
 */
const INTERVAL_NULLS = { dow: 'int', date: 'text', start_minute: 'int', end_minute: 'int', rrule: 'text', exdates: 'text' };
const intervalColumns = (kind: number | SQL, userId: AnyPgColumn, values: Partial<Record<keyof typeof INTERVAL_NULLS, SQL | AnyPgColumn>>) =>
  armColumns(INTERVAL_NULLS, kind, userId, values);

const intervalsStatement = (db: DbOrTx, name: string) => {
  const working = weeklyHoursArm(db, intervalColumns(0, practitionerAvailability.userId, weeklyHoursValues));
  const events = db
    .select(
      intervalColumns(sql`CASE WHEN ${calendarEvents.eventType} = 'availability_exception' THEN 1 ELSE 2 END`, calendarEvents.userId, {
        date: sql`${calendarEvents.date}::text`,
        start_minute: minutesOf(calendarEvents.startTime),
        end_minute: minutesOf(calendarEvents.endTime),
      }),
    )
    .from(calendarEvents)
    .where(
      and(
        inRange(calendarEvents.date, calendarEvents.userId),
        takesTime,
        // An appointment being moved does not block its own new time (empty for every other read).
        sql`${calendarEvents.id} <> ALL(${sql.placeholder('exclude')}::int[])`,
        // A recurring exception's own row is its DTSTART, not a block of that date (kind 5).
        notASeriesRow,
      ),
    );
  const busy = busyArm(db, intervalColumns(1, googleBusyTimes.userId, busyValues));
  const held = db
    .select(
      intervalColumns(3, slotHolds.userId, {
        date: sql`${slotHolds.date}::text`,
        start_minute: minutesOf(slotHolds.startTime),
        end_minute: minutesOf(slotHolds.endTime),
      }),
    )
    .from(slotHolds)
    .where(
      and(
        inRange(slotHolds.date, slotHolds.userId),
        // Expired holds count for nothing, whether or not a cleanup has deleted them yet.
        sql`${slotHolds.consumedAt} IS NULL AND ${slotHolds.expiresAt} > ${sql.placeholder('now')}::timestamptz`,
        // A booking that consumes a hold is checked without it.
        sql`${slotHolds.id} <> ALL(${sql.placeholder('excludeHolds')}::int[])`,
      ),
    );
  // Clinic calendar days of observing practitioners (kind 4): no dow = closed (the whole local day);
  // a dow = a make-up workday borrowing that weekday's hours (one row per interval, or none).
  const clinicDays = db
    .select(
      intervalColumns(4, users.id, {
        dow: clinicCalendarDays.hoursOfWeekday,
        date: sql`${clinicCalendarDays.date}::text`,
        start_minute: minutesOf(practitionerAvailability.startTime),
        end_minute: minutesOf(practitionerAvailability.endTime),
      }),
    )
    .from(clinicCalendarDays)
    .innerJoin(users, clinicDayOfMember)
    .leftJoin(practitionerAvailability, borrowedHours)
    .where(and(inRange(clinicCalendarDays.date, users.id), sql`${users.observesClinicCalendar}`));
  // Repeating exceptions (kind 5): the series rows, expanded in the caller into the dates they block.
  const series = seriesArm(db, intervalColumns(5, calendarEvents.userId, seriesValues));
  return working.unionAll(events).unionAll(busy).unionAll(held).unionAll(clinicDays).unionAll(series).prepare(name);
};

/** A row of intervalsStatement as the driver gives it (column names of the SQL). */
interface IntervalRow {
  kind: 0 | 1 | 2 | 3 | 4 | 5;
  user_id: number;
  dow: number | null;
  date: string | null;
  start_minute: number | null;
  end_minute: number | null;
  /** kind 5 only */
  rrule: string | null;
  exdates: string | null;
}

/** A row's span; no times (an all-day exception or busy time) is the whole day. */
function spanOfMinutes(start: number | null, end: number | null): Interval {
  return start === null || end === null ? { start: 0, end: MINUTES_PER_DAY } : { start, end };
}

/**
 * Weekly hours, availability exceptions, confirmed appointments and Google busy times of several
 * practitioners from `from` (to `to`, or open-ended): three prepared queries, run together,
 * whatever the number of practitioners and days. `week` holds the weekdays the range touches (all
 * seven for a week or more).
 */
export async function loadCalendars(
  db: DbOrTx,
  input: { practitionerIds: number[]; from: string; to?: string },
): Promise<Map<number, PractitionerCalendar>> {
  const ids = input.practitionerIds;
  const result = new Map<number, PractitionerCalendar>();
  if (ids.length === 0) return result;
  const all = await rawRows<CalendarRow>(prepared(db, 'calendar_view', calendarStatement), {
    ids,
    dows: weekdaysOf(input.from, input.to),
    from: input.from,
    to: input.to ?? OPEN_END,
  });
  const weeks = new Map<number, WeeklySchedule>(ids.map((id) => [id, emptyWeek()]));
  const busyRows: Array<{ userId: number; date: string; start: number | null; end: number | null }> = [];
  const dayRows: Array<{
    userId: number;
    date: string;
    kind: ClinicDayKind;
    name: string;
    dow: number | null;
    observed: boolean;
    start: number | null;
    end: number | null;
  }> = [];
  const seriesRows: SeriesRow[] = [];
  const rows: EventRow[] = [];
  for (const r of all) {
    if (r.kind === 0) weeks.get(r.user_id)?.[dowToWeekday(r.dow!)].push({ start: r.start_minute!, end: r.end_minute! });
    else if (r.kind === 1) busyRows.push({ userId: r.user_id, date: r.date!, start: r.start_minute, end: r.end_minute });
    else if (r.kind === 2)
      dayRows.push({
        userId: r.user_id,
        date: r.date!,
        kind: r.day_kind!,
        name: r.day_name!,
        dow: r.dow,
        observed: r.observed!,
        start: r.start_minute,
        end: r.end_minute,
      });
    else if (r.kind === 3)
      seriesRows.push({
        id: r.id!,
        userId: r.user_id,
        date: r.date!,
        start: r.start_minute,
        end: r.end_minute,
        sync: r.sync,
        exceptionId: r.exception_id!,
        rrule: r.rrule,
        exdates: r.exdates ?? '',
      });
    else
      rows.push({
        id: r.id!,
        userId: r.user_id,
        eventType: r.event_type as EventRow['eventType'],
        date: r.date!,
        start: r.start_minute,
        end: r.end_minute,
        sync: r.sync,
        status: r.status,
        attendance: r.attendance,
        patientId: r.patient_id,
        patient: r.patient,
        phone: r.phone,
        typeId: r.type_id,
        typeName: r.type_name,
        exceptionId: r.exception_id,
      });
  }
  const rowsOf = byPractitioner(ids, rows);
  const busyOf = byPractitioner(ids, busyRows);
  const clinicDaysOf = byPractitioner(ids, dayRows);
  const seriesOf = byPractitioner(ids, seriesRows);
  // An open-ended read (the future from today) looks at occurrences as far as its appointments
  // reach, and at least a year: an endless series cannot be expanded to the year 9999.
  const lastAppointment = rows.reduce((last, r) => (r.eventType === 'appointment' && r.date > last ? r.date : last), input.from);
  const expandTo = input.to ?? (lastAppointment > addDays(input.from, 366) ? lastAppointment : addDays(input.from, 366));
  for (const id of ids) {
    const week = weeks.get(id)!;
    const exceptions: CalendarException[] = [];
    const confirmed: ConfirmedAppointment[] = [];
    for (const r of rowsOf.get(id)!) {
      if (r.eventType === 'availability_exception') {
        exceptions.push({
          ...spanOfMinutes(r.start, r.end),
          calendarEventId: r.id,
          exceptionId: r.exceptionId!,
          date: r.date,
          allDay: r.start === null,
          gcalSyncStatus: r.sync ?? null,
          series: null,
        });
      } else {
        confirmed.push({
          ...spanOfMinutes(r.start, r.end),
          calendarEventId: r.id,
          date: r.date,
          patient: r.patient!,
          patientId: r.patientId!,
          patientPhone: r.phone ?? null,
          appointmentTypeId: r.typeId!,
          appointmentType: r.typeName!,
          status: r.status!,
          attendance: r.attendance ?? null,
          gcalSyncStatus: r.sync ?? null,
        });
      }
    }
    const series = seriesOf.get(id)!;
    if (series.length > 0) {
      exceptions.push(...occurrencesOf(series, input.from, expandTo));
      exceptions.sort(byDateAndStart);
    }
    const busy = busyOf.get(id)!.map((r): BusyTime => ({ ...spanOfMinutes(r.start, r.end), date: r.date }));
    const clinicDays = clinicDaysByDate(clinicDaysOf.get(id)!);
    result.set(id, {
      week,
      appointments: confirmed,
      exceptions,
      busy,
      busyOn: byDate(busy),
      workingOn: (date) => {
        const day = clinicDays.get(date);
        if (day?.observed) return day.kind === 'closed' ? [] : day.hours;
        return week[dowToWeekday(dayOfWeek(date))];
      },
      clinicDayOn: (date) => clinicDays.get(date),
      exceptionsOn: byDate(exceptions),
      appointmentsOn: byDate(confirmed),
    });
  }
  return result;
}

/** A practitioner's clinic calendar rows (one per borrowed interval) folded into one day per date. */
function clinicDaysByDate(
  rows: Array<{ date: string; kind: ClinicDayKind; name: string; dow: number | null; observed: boolean; start: number | null; end: number | null }>,
): Map<string, ClinicDayOf> {
  const map = new Map<string, ClinicDayOf>();
  for (const r of rows) {
    let day = map.get(r.date);
    if (!day) {
      day = { date: r.date, kind: r.kind, name: r.name, hoursOfWeekday: r.dow, observed: r.observed, hours: [] };
      map.set(r.date, day);
    }
    if (r.start !== null && r.end !== null) day.hours.push({ start: r.start, end: r.end });
  }
  return map;
}

/** What the engine needs of a practitioner for a date range, and nothing else. */
export interface AvailabilityInputs {
  /**
   * a date's working intervals: its weekday's, or on a make-up workday of the clinic calendar the
   * hours of the weekday it borrows (a closed day keeps its hours and is blocked instead, so the
   * engine's reason is `exception`, as for an all-day exception); `dow`: the date's weekday when
   * the caller already knows it (slot answers walk thousands of dates)
   */
  workingOn(date: string, dow?: number): Interval[];
  /** exceptions, busy Google events and the clinic's closed days of a date: they remove slots */
  blockedOn(date: string): Interval[];
  /** confirmed appointments of a date */
  appointmentsOn(date: string): Interval[];
  /** holds of a date that have not expired nor been used: they take time as appointments do */
  heldOn(date: string): Interval[];
}

/**
 * The engine's inputs of several practitioners over `from`..`to`, read exactly as loadCalendars
 * reads them (the same rows count) but without the patients, types and sync states that slot
 * answers never show: one prepared query whatever the number of practitioners and days.
 * `excludeCalendarEventIds`: events read as if absent (a rescheduled appointment may move into
 * its own old time); `excludeHoldIds`: holds read as if absent (the booking that uses one). `now`
 * (default: the real time) decides which holds have expired.
 */
export async function loadAvailabilityInputs(
  db: DbOrTx,
  input: { practitionerIds: number[]; from: string; to: string; excludeCalendarEventIds?: number[]; excludeHoldIds?: number[]; now?: Date },
): Promise<Map<number, AvailabilityInputs>> {
  const ids = input.practitionerIds;
  const result = new Map<number, AvailabilityInputs>();
  if (ids.length === 0) return result;
  // Raw rows (`all`): the prepared statement still runs by name, but Drizzle's per-cell mapping,
  // the largest cost of this read in a CPU profile, is skipped; the columns are plain numbers and text.
  const rows = await rawRows<IntervalRow>(prepared(db, 'calendar_intervals', intervalsStatement), {
    ids,
    dows: weekdaysOf(input.from, input.to),
    from: input.from,
    to: input.to,
    exclude: input.excludeCalendarEventIds ?? [],
    excludeHolds: input.excludeHoldIds ?? [],
    now: (input.now ?? new Date()).toISOString(),
  });
  const none: Interval[] = [];
  const inputs = new Map(
    ids.map((id) => [
      id,
      {
        working: new Map<number, Interval[]>(),
        blocked: new Map<string, Interval[]>(),
        booked: new Map<string, Interval[]>(),
        held: new Map<string, Interval[]>(),
        madeUp: new Map<string, Interval[]>(),
      },
    ]),
  );
  const push = <K>(map: Map<K, Interval[]>, key: K, span: Interval) => {
    const list = map.get(key);
    if (list) list.push(span);
    else map.set(key, [span]);
  };
  for (const r of rows) {
    const mine = inputs.get(r.user_id);
    if (!mine) continue;
    const span = spanOfMinutes(r.start_minute, r.end_minute);
    if (r.kind === 0) push(mine.working, r.dow!, span);
    else if (r.kind === 4) {
      // A closed day blocks the whole local day; a make-up day's date takes the borrowed hours.
      if (r.dow === null) push(mine.blocked, r.date!, span);
      else if (r.start_minute === null) mine.madeUp.set(r.date!, mine.madeUp.get(r.date!) ?? []);
      else push(mine.madeUp, r.date!, span);
    } else if (r.kind === 5) {
      // A repeating exception blocks each date it occurs on.
      for (const date of seriesDates({ date: r.date!, rrule: r.rrule, exdates: r.exdates }, input.from, input.to)) push(mine.blocked, date, span);
    } else push(r.kind === 1 ? mine.blocked : r.kind === 2 ? mine.booked : mine.held, r.date!, span);
  }
  for (const [id, mine] of inputs) {
    result.set(id, {
      workingOn: (date, dow) => mine.madeUp.get(date) ?? mine.working.get(dow ?? dayOfWeek(date)) ?? none,
      blockedOn: (date) => mine.blocked.get(date) ?? none,
      appointmentsOn: (date) => mine.booked.get(date) ?? none,
      heldOn: (date) => mine.held.get(date) ?? none,
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
