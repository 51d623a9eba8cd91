import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, serial, text, time, timestamp, uniqueIndex, varchar, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { appointmentTypes, clinics, patients, timestamps, users } from './clinic';
import { agentKeys } from './operations';

/** Default weekly working hours: any number of intervals per weekday (design: "Default Working Hours"). */
export const practitionerAvailability = pgTable(
  'practitioner_availability',
  {
    id: serial().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id),
    /** 0 = Sunday, 1 = Monday, … 6 = Saturday. */
    dayOfWeek: integer().notNull(),
    startTime: time().notNull(),
    endTime: time().notNull(),
    ...timestamps,
  },
  (t) => [
    check('check_valid_time_range', sql`${t.startTime} < ${t.endTime}`),
    check('check_day_of_week_range', sql`${t.dayOfWeek} >= 0 AND ${t.dayOfWeek} <= 6`),
    index('idx_practitioner_availability_user_day').on(t.userId, t.dayOfWeek),
    index('idx_practitioner_availability_user_day_time').on(t.userId, t.dayOfWeek, t.startTime),
  ],
);

export const EVENT_TYPES = ['appointment', 'availability_exception'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export const GCAL_SYNC_STATUSES = ['pending', 'synced', 'sync_failed'] as const;

/** Base table of everything on a practitioner's calendar (design: "Hybrid Approach"). */
export const calendarEvents = pgTable(
  'calendar_events',
  {
    id: serial().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id),
    eventType: varchar({ length: 50 }).notNull().$type<EventType>(),
    date: date().notNull(),
    /** null start and end = all day */
    startTime: time(),
    endTime: time(),
    gcalEventId: varchar({ length: 255 }).unique(),
    gcalWatchResourceId: varchar({ length: 255 }),
    /** null while the practitioner has no Google connection */
    gcalSyncStatus: varchar({ length: 20 }).$type<(typeof GCAL_SYNC_STATUSES)[number]>(),
    /**
     * A copy of `appointments.status`, kept by a trigger (never written by the app), so that the
     * exclusion constraint `no_overlapping_confirmed_appointments` (drizzle/0003) can see it: an
     * exclusion constraint may only name its own table's columns. null for exceptions.
     */
    appointmentStatus: varchar({ length: 50 }).$type<AppointmentStatus>(),
    /** the etag of the Google event as we last wrote it: a change coming back with it is our own echo */
    gcalEtag: varchar({ length: 255 }),
    ...timestamps,
  },
  (t) => [
    check('check_valid_time_range', sql`${t.startTime} IS NULL OR ${t.endTime} IS NULL OR ${t.startTime} < ${t.endTime}`),
    check('check_valid_event_type', sql`${t.eventType} IN ('appointment', 'availability_exception')`),
    // Contract: both times or neither; an appointment always has both.
    check('check_times_both_or_neither', sql`(${t.startTime} IS NULL) = (${t.endTime} IS NULL)`),
    check('check_appointment_has_times', sql`${t.eventType} <> 'appointment' OR ${t.startTime} IS NOT NULL`),
    check('check_gcal_sync_status', sql`${t.gcalSyncStatus} IS NULL OR ${t.gcalSyncStatus} IN ('pending', 'synced', 'sync_failed')`),
    index('idx_calendar_events_user_date').on(t.userId, t.date),
    index('idx_calendar_events_type').on(t.eventType),
    index('idx_calendar_events_gcal_sync').on(t.gcalEventId),
    index('idx_calendar_events_user_date_type').on(t.userId, t.date, t.eventType),
  ],
);

export const APPOINTMENT_STATUSES = ['confirmed', 'canceled_by_patient', 'canceled_by_clinic'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
/** Whether the patient came, marked by staff once the appointment has started; null = not marked. */
export const ATTENDANCES = ['arrived', 'no_show'] as const;
export type Attendance = (typeof ATTENDANCES)[number];

export const appointments = pgTable(
  'appointments',
  {
    calendarEventId: integer()
      .primaryKey()
      .references(() => calendarEvents.id, { onDelete: 'cascade' }),
    patientId: integer()
      .notNull()
      .references(() => patients.id),
    appointmentTypeId: integer()
      .notNull()
      .references(() => appointmentTypes.id),
    status: varchar({ length: 50 }).notNull().$type<AppointmentStatus>(),
    /**
     * Kept apart from `status`: a no-show stays a confirmed booking that happened (its time stays
     * taken, it counts in the calendar), only marked as such.
     */
    attendance: varchar({ length: 20 }).$type<Attendance>(),
  },
  (t) => [
    check('check_appointment_status', sql`${t.status} IN ('confirmed', 'canceled_by_patient', 'canceled_by_clinic')`),
    check('check_appointment_attendance', sql`${t.attendance} IS NULL OR ${t.attendance} IN ('arrived', 'no_show')`),
    index('idx_appointments_patient').on(t.patientId),
  ],
);

export const availabilityExceptions = pgTable(
  'availability_exceptions',
  {
    id: serial().primaryKey(),
    calendarEventId: integer()
      .notNull()
      .references(() => calendarEvents.id, { onDelete: 'cascade' }),
    /**
     * Recurring exceptions (issue 16): an RFC 5545 RRULE value without the `RRULE:` prefix and
     * without DTSTART (e.g. `FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=10`); null = a single
     * exception. The series starts on its calendar event's `date` (DTSTART, a local date of the
     * clinic) and every occurrence has the event's times. Occurrences are expanded on read, never
     * stored.
     */
    rrule: text(),
    /** Local dates of the series' deleted occurrences (EXDATE). */
    exdates: date()
      .array()
      .notNull()
      .default(sql`'{}'::date[]`),
    /** The last local date an occurrence can fall on (from UNTIL or COUNT); null = no end. */
    seriesUntil: date(),
    /**
     * An occurrence edited on its own ("this occurrence"): the series it came from and the date it
     * replaces (the series lists that date in `exdates`). No cascade: whoever deletes a series
     * deletes these occurrences' calendar events first (a cascade would leave them blocking time).
     */
    recurringParentId: integer().references((): AnyPgColumn => availabilityExceptions.id),
    originalDate: date(),
  },
  (t) => [
    // One exception row per calendar event; overlapping exceptions are separate events and allowed.
    uniqueIndex('idx_availability_exceptions_calendar_event').on(t.calendarEventId),
    index('idx_availability_exceptions_series')
      .on(t.calendarEventId)
      .where(sql`${t.rrule} IS NOT NULL`),
    index('idx_availability_exceptions_parent').on(t.recurringParentId),
    check('check_series_fields', sql`${t.rrule} IS NOT NULL OR (${t.seriesUntil} IS NULL AND cardinality(${t.exdates}) = 0)`),
    check(
      'check_occurrence_fields',
      sql`(${t.recurringParentId} IS NULL) = (${t.originalDate} IS NULL) AND (${t.recurringParentId} IS NULL OR ${t.rrule} IS NULL)`,
    ),
  ],
);

export const CLINIC_DAY_KINDS = ['closed', 'workday'] as const;
export type ClinicDayKind = (typeof CLINIC_DAY_KINDS)[number];
export const CLINIC_DAY_SOURCES = ['taiwan', 'import', 'manual'] as const;

/**
 * The clinic's calendar of holidays and make-up workdays (issue 16). A `closed` day takes the whole
 * day of every practitioner who observes the clinic calendar (users.observes_clinic_calendar), like
 * an all-day exception for everyone; a `workday` (補班) gives its date the weekly hours of the weekday
 * `hours_of_weekday` (0 = Sunday) instead of its own. Dates are local dates of the clinic's zone.
 */
export const clinicCalendarDays = pgTable(
  'clinic_calendar_days',
  {
    id: serial().primaryKey(),
    clinicId: integer()
      .notNull()
      .references(() => clinics.id),
    date: date().notNull(),
    kind: varchar({ length: 20 }).notNull().$type<ClinicDayKind>(),
    /** e.g. 中秋節, 補行上班 */
    name: varchar({ length: 100 }).notNull(),
    hoursOfWeekday: integer(),
    /** where the row came from: the shipped Taiwan calendar, a CSV import, or an admin's hand */
    source: varchar({ length: 20 }).notNull().default('manual').$type<(typeof CLINIC_DAY_SOURCES)[number]>(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('uq_clinic_calendar_days_date').on(t.clinicId, t.date),
    check('check_clinic_day_kind', sql`${t.kind} IN ('closed', 'workday')`),
    check('check_clinic_day_source', sql`${t.source} IN ('taiwan', 'import', 'manual')`),
    check(
      'check_clinic_day_hours',
      sql`(${t.kind} = 'workday') = (${t.hoursOfWeekday} IS NOT NULL) AND (${t.hoursOfWeekday} IS NULL OR (${t.hoursOfWeekday} >= 0 AND ${t.hoursOfWeekday} <= 6))`,
    ),
  ],
);

/**
 * A slot held for a few minutes (issue 15): while unexpired and unconsumed, its span takes the
 * practitioner's time in every slot answer exactly as a confirmed appointment of its type would.
 * Ephemeral: expired rows count for nothing (every read filters on `expires_at`) and are deleted by
 * the next hold of the practitioner and by the outbox cron's housekeeping. Not audited (the booking
 * that consumes one is).
 */
export const slotHolds = pgTable(
  'slot_holds',
  {
    id: serial().primaryKey(),
    clinicId: integer()
      .notNull()
      .references(() => clinics.id),
    userId: integer()
      .notNull()
      .references(() => users.id),
    appointmentTypeId: integer()
      .notNull()
      .references(() => appointmentTypes.id),
    date: date().notNull(),
    startTime: time().notNull(),
    endTime: time().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    /** who holds it: an agent key, or a signed-in member (exactly one) */
    agentKeyId: integer().references(() => agentKeys.id, { onDelete: 'cascade' }),
    createdByUserId: integer().references(() => users.id),
    /** set when a booking used it; a consumed hold takes no time (the appointment does) */
    consumedAt: timestamp({ withTimezone: true }),
    calendarEventId: integer().references(() => calendarEvents.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [
    check('check_hold_time_range', sql`${t.startTime} < ${t.endTime}`),
    check('check_hold_holder', sql`(${t.agentKeyId} IS NULL) <> (${t.createdByUserId} IS NULL)`),
    index('idx_slot_holds_user_date').on(t.userId, t.date),
    index('idx_slot_holds_expires').on(t.expiresAt),
  ],
);
