import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, serial, text, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';

const timestamps = {
  createdAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
  updatedAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
};
export { timestamps };

/** A clinic: every row of every other table belongs to exactly one, directly or through a user. */
export const clinics = pgTable(
  'clinics',
  {
    id: serial().primaryKey(),
    name: varchar({ length: 200 }).notNull(),
    slug: varchar({ length: 64 }).notNull().unique(),
    /** IANA zone; all dates and times of the clinic's data are wall-clock times in it. */
    timezone: varchar({ length: 64 }).notNull().default('Asia/Taipei'),
    /** Slot grid step; null = the appointment type's duration. */
    slotStepMinutes: integer(),
    minNoticeMinutes: integer().notNull().default(0),
    /**
     * Booking rules (issue 16; null = no limit). The agent gets no slot more than this many days
     * after the clinic's today (an appointment type may override it).
     */
    bookingWindowDays: integer(),
    /** Confirmed appointments per practitioner per date at most. */
    maxAppointmentsPerDay: integer(),
    /** Upcoming confirmed appointments per patient at most (an agent booking beyond it is refused). */
    maxUpcomingPerPatient: integer(),
    /** The agent may not cancel less than this many hours before the start (staff may). */
    cancellationDeadlineHours: integer(),
    /**
     * Raised by database triggers (drizzle/0005) on every change of this row and of the clinic's
     * users and appointment types, whoever writes them: servers keep the clinic's settings, types
     * and practitioners in memory for as long as it has not moved (lib/queries/clinic-cache.ts).
     */
    cacheVersion: bigint({ mode: 'number' }).notNull().default(1),
    /** Raised by every settings change: an edit made on an older version is refused (409 conflict). */
    settingsVersion: integer().notNull().default(1),
    /**
     * The clinic's own LINE Messaging API channel (AES-256-GCM with APP_ENCRYPTION_KEY,
     * lib/crypto/secrets.ts); null = the deployment's LINE_CHANNEL_ACCESS_TOKEN. Never answered:
     * only the last four characters (the hints) are shown.
     */
    lineChannelTokenEncrypted: text(),
    lineChannelSecretEncrypted: text(),
    lineChannelTokenHint: varchar({ length: 8 }),
    lineChannelSecretHint: varchar({ length: 8 }),
    ...timestamps,
  },
  (t) => [
    check('check_slot_step_range', sql`${t.slotStepMinutes} IS NULL OR (${t.slotStepMinutes} > 0 AND ${t.slotStepMinutes} <= 1440)`),
    check('check_min_notice_range', sql`${t.minNoticeMinutes} >= 0`),
    check(
      'check_booking_rules_range',
      sql`(${t.bookingWindowDays} IS NULL OR ${t.bookingWindowDays} >= 0) AND (${t.maxAppointmentsPerDay} IS NULL OR ${t.maxAppointmentsPerDay} > 0) AND (${t.maxUpcomingPerPatient} IS NULL OR ${t.maxUpcomingPerPatient} > 0) AND (${t.cancellationDeadlineHours} IS NULL OR ${t.cancellationDeadlineHours} >= 0)`,
    ),
  ],
);

/** Practitioners and clinic admins. An admin may also see patients (is_practitioner). */
export const users = pgTable(
  'users',
  {
    id: serial().primaryKey(),
    clinicId: integer()
      .notNull()
      .references(() => clinics.id),
    email: varchar({ length: 320 }).notNull(),
    name: varchar({ length: 200 }).notNull(),
    role: varchar({ length: 20 }).notNull().default('practitioner'),
    isPractitioner: boolean().notNull().default(true),
    image: varchar({ length: 2048 }),
    emailVerified: timestamp({ withTimezone: true }),
    /** Deactivated members cannot sign in, are offered to nobody and keep their history. */
    deactivatedAt: timestamp({ withTimezone: true }),
    /**
     * Whether the clinic's holidays and make-up workdays (clinic_calendar_days) apply to this
     * practitioner; false = opted out (works on holidays, keeps the weekly hours on make-up days).
     */
    observesClinicCalendar: boolean().notNull().default(true),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('uq_users_email').on(sql`lower(${t.email})`),
    index('idx_users_clinic').on(t.clinicId),
    check('check_user_role', sql`${t.role} IN ('practitioner', 'admin')`),
  ],
);

export const patients = pgTable(
  'patients',
  {
    id: serial().primaryKey(),
    clinicId: integer()
      .notNull()
      .references(() => clinics.id),
    fullName: varchar({ length: 200 }).notNull(),
    phoneNumber: varchar({ length: 50 }),
    lineUserId: varchar({ length: 64 }),
    ...timestamps,
  },
  (t) => [uniqueIndex('uq_patients_clinic_line_user').on(t.clinicId, t.lineUserId), index('idx_patients_clinic').on(t.clinicId)],
);

export const appointmentTypes = pgTable(
  'appointment_types',
  {
    id: serial().primaryKey(),
    clinicId: integer()
      .notNull()
      .references(() => clinics.id),
    name: varchar({ length: 200 }).notNull(),
    durationMinutes: integer().notNull(),
    bufferBeforeMinutes: integer().notNull().default(0),
    bufferAfterMinutes: integer().notNull().default(0),
    /** `#rrggbb`, or null for the calendar's default colour. */
    color: varchar({ length: 7 }),
    /** Booking rules of this type; null = the clinic's (clinics.booking_window_days, min_notice_minutes). */
    bookingWindowDays: integer(),
    minNoticeMinutes: integer(),
    /** Archived types are offered to no one; their appointments keep showing their name. */
    archivedAt: timestamp({ withTimezone: true }),
    /** Raised by every edit: an edit made on an older version is refused (409 conflict). */
    version: integer().notNull().default(1),
    ...timestamps,
  },
  (t) => [
    // Unique among the clinic's types in use, whatever the case; an archived name may be reused.
    uniqueIndex('uq_appointment_types_clinic_name')
      .on(t.clinicId, sql`lower(${t.name})`)
      .where(sql`${t.archivedAt} IS NULL`),
    check('check_appointment_type_color', sql`${t.color} IS NULL OR ${t.color} ~ '^#[0-9a-f]{6}$'`),
    check('check_duration_range', sql`${t.durationMinutes} > 0 AND ${t.durationMinutes} <= 1440`),
    check('check_buffers_range', sql`${t.bufferBeforeMinutes} >= 0 AND ${t.bufferAfterMinutes} >= 0`),
    check(
      'check_type_booking_rules_range',
      sql`(${t.bookingWindowDays} IS NULL OR ${t.bookingWindowDays} >= 0) AND (${t.minNoticeMinutes} IS NULL OR ${t.minNoticeMinutes} >= 0)`,
    ),
  ],
);

/**
 * An invitation to join a clinic: the person signs in with the Google account of `email` and becomes
 * a member with the role given here. Pending until accepted or withdrawn; at most one pending per
 * email (members' emails are unique across clinics, and so are pending invitations').
 */
export const invitations = pgTable(
  'invitations',
  {
    id: serial().primaryKey(),
    clinicId: integer()
      .notNull()
      .references(() => clinics.id),
    email: varchar({ length: 320 }).notNull(),
    name: varchar({ length: 200 }).notNull(),
    role: varchar({ length: 20 }).notNull().default('practitioner'),
    isPractitioner: boolean().notNull().default(true),
    invitedByUserId: integer().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    acceptedUserId: integer().references(() => users.id),
    withdrawnAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('uq_invitations_pending_email')
      .on(sql`lower(${t.email})`)
      .where(sql`${t.acceptedAt} IS NULL AND ${t.withdrawnAt} IS NULL`),
    index('idx_invitations_clinic').on(t.clinicId),
    check('check_invitation_role', sql`${t.role} IN ('practitioner', 'admin')`),
    check('check_invitation_state', sql`${t.acceptedAt} IS NULL OR ${t.withdrawnAt} IS NULL`),
  ],
);
