import { z } from 'zod';
import { daysBetween } from '../time/dates';
import { bodyId, calendarDate, queryId, timeOfDay, userText } from './common';

/** Object-level checks run only on a value whose fields all parsed (never on malformed dates). */
const whenFieldsValid = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };

/** Slot queries of one practitioner: one date, or a range of at most 62 days (`to` inclusive). */
export const practitionerSlotsQuery = z.union(
  [
    z.object({ date: calendarDate, appointment_type_id: queryId }).strict(),
    z
      .object({ from: calendarDate, to: calendarDate, appointment_type_id: queryId })
      .strict()
      // daysBetween is total (NaN for a bad date), and NaN fails both checks.
      .refine((q) => daysBetween(q.from, q.to) >= 0, { message: '`to` must not be before `from`', path: ['to'], abort: true, ...whenFieldsValid })
      .refine((q) => daysBetween(q.from, q.to) <= 61, { message: 'At most 62 days at a time', path: ['to'], abort: true, ...whenFieldsValid }),
  ],
  { error: 'Give date=YYYY-MM-DD, or from and to, with appointment_type_id' },
);

export const clinicSlotsQuery = z.object({ date: calendarDate, appointment_type_id: queryId }).strict();

export const lineUserId = z.string().regex(/^U[0-9a-f]{32}$/, 'A LINE user id is U followed by 32 hex digits');

export const createPatientSchema = z
  .object({
    full_name: userText({ max: 200 }),
    phone_number: userText({ min: 3, max: 50 })
      .regex(/^[0-9+()\-\s]+$/, 'Digits, spaces, +, -, ( and ) only')
      .nullish(),
    line_user_id: lineUserId.nullish(),
  })
  .strict();

export const bookAppointmentSchema = z
  .object({
    practitioner_id: bodyId,
    patient_id: bodyId,
    appointment_type_id: bodyId,
    date: calendarDate,
    start_time: timeOfDay,
    /** a hold of exactly this slot (POST /holds), used up by the booking */
    hold_id: bodyId.nullish(),
  })
  .strict();

/** Moving a booking: a new start (one the slots endpoint offers), optionally in another practitioner's calendar. */
export const rescheduleAppointmentSchema = z
  .object({
    date: calendarDate,
    start_time: timeOfDay,
    practitioner_id: bodyId.nullish(),
  })
  .strict();

export type CreatePatientInput = z.infer<typeof createPatientSchema>;
export type BookAppointmentInput = z.infer<typeof bookAppointmentSchema>;
export type RescheduleAppointmentInput = z.infer<typeof rescheduleAppointmentSchema>;

/** Holding a slot for a few minutes (issue 15): the booking's fields without the patient. */
export const holdSlotSchema = z
  .object({
    practitioner_id: bodyId,
    appointment_type_id: bodyId,
    date: calendarDate,
    start_time: timeOfDay,
  })
  .strict();
export type HoldSlotInput = z.infer<typeof holdSlotSchema>;

/** GET …/availability/slots/check: may this start be booked now, and if not why and what instead. */
export const slotCheckQuery = z.object({ date: calendarDate, start_time: timeOfDay, appointment_type_id: queryId }).strict();
