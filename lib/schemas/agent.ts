import { z } from 'zod';
import { daysBetween } from '../time/dates';
import { calendarDate, positiveId, timeOfDay } from './common';

/** Slot queries of one practitioner: one date, or a range of at most 62 days (`to` inclusive). */
export const practitionerSlotsQuery = z.union([
  z.object({ date: calendarDate, appointment_type_id: positiveId }).strict(),
  z.object({ from: calendarDate, to: calendarDate, appointment_type_id: positiveId }).strict()
    .refine((q) => daysBetween(q.from, q.to) >= 0, { message: '`to` must not be before `from`', path: ['to'] })
    .refine((q) => daysBetween(q.from, q.to) <= 61, { message: 'At most 62 days at a time', path: ['to'] }),
], { error: 'Give date=YYYY-MM-DD, or from and to, with appointment_type_id' });

export const clinicSlotsQuery = z.object({ date: calendarDate, appointment_type_id: positiveId }).strict();

const lineUserId = z.string().regex(/^U[0-9a-f]{32}$/, 'A LINE user id is U followed by 32 hex digits');

export const createPatientSchema = z.object({
  full_name: z.string().trim().min(1).max(200),
  phone_number: z.string().trim().min(3).max(50).regex(/^[0-9+()\-\s]+$/, 'Digits, spaces, +, -, ( and ) only').nullish(),
  line_user_id: lineUserId.nullish(),
}).strict();

export const bookAppointmentSchema = z.object({
  practitioner_id: z.number().int().positive().max(2_147_483_647),
  patient_id: z.number().int().positive().max(2_147_483_647),
  appointment_type_id: z.number().int().positive().max(2_147_483_647),
  date: calendarDate,
  start_time: timeOfDay,
}).strict();

export type CreatePatientInput = z.infer<typeof createPatientSchema>;
export type BookAppointmentInput = z.infer<typeof bookAppointmentSchema>;
