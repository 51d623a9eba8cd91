import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, serial, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';

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
     * Raised by database triggers (drizzle/0005) on every change of this row and of the clinic's
     * users and appointment types, whoever writes them: servers keep the clinic's settings, types
     * and practitioners in memory for as long as it has not moved (lib/queries/clinic-cache.ts).
     */
    cacheVersion: bigint({ mode: 'number' }).notNull().default(1),
    ...timestamps,
  },
  (t) => [
    check('check_slot_step_range', sql`${t.slotStepMinutes} IS NULL OR (${t.slotStepMinutes} > 0 AND ${t.slotStepMinutes} <= 1440)`),
    check('check_min_notice_range', sql`${t.minNoticeMinutes} >= 0`),
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
    ...timestamps,
  },
  (t) => [
    uniqueIndex('uq_appointment_types_clinic_name').on(t.clinicId, t.name),
    check('check_duration_range', sql`${t.durationMinutes} > 0 AND ${t.durationMinutes} <= 1440`),
    check('check_buffers_range', sql`${t.bufferBeforeMinutes} >= 0 AND ${t.bufferAfterMinutes} >= 0`),
  ],
);
