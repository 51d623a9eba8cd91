import { z } from 'zod';
import { MAX_ID, userText } from './common';

// Requests of the admin's appointment types (routes and server actions alike). Every edit names the
// version it was made on: an edit of an older version is refused (409 conflict with the type now),
// so two admins editing one type never lose an update silently.

export const appointmentTypeName = userText({ max: 100 });
export const durationMinutes = z.number().int().min(5).max(720);
export const bufferMinutes = z.number().int().min(0).max(240);
/** `#rrggbb`; upper-case digits are accepted and stored lower-case. null = the calendar's default colour. */
export const typeColor = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, { message: 'Use #rrggbb', abort: true })
  .transform((c) => c.toLowerCase());
/** Booking rules of a type (issue 16); null = the clinic's. At most ten years ahead, thirty days' notice. */
export const typeBookingWindowDays = z.number().int().min(0).max(3_660);
export const typeMinNoticeMinutes = z.number().int().min(0).max(43_200);
/** The version an edit was made on (GET answers it). */
export const editVersion = z.number().int().min(1).max(MAX_ID);

export const createAppointmentTypeSchema = z
  .object({
    name: appointmentTypeName,
    duration_minutes: durationMinutes,
    buffer_before_minutes: bufferMinutes.optional(),
    buffer_after_minutes: bufferMinutes.optional(),
    color: typeColor.nullish(),
    booking_window_days: typeBookingWindowDays.nullish(),
    min_notice_minutes: typeMinNoticeMinutes.nullish(),
  })
  .strict();

export const updateAppointmentTypeSchema = z
  .object({
    version: editVersion,
    name: appointmentTypeName.optional(),
    duration_minutes: durationMinutes.optional(),
    buffer_before_minutes: bufferMinutes.optional(),
    buffer_after_minutes: bufferMinutes.optional(),
    color: typeColor.nullish(),
    booking_window_days: typeBookingWindowDays.nullish(),
    min_notice_minutes: typeMinNoticeMinutes.nullish(),
  })
  .strict();

/** Archive and restore name the version too. */
export const appointmentTypeVersionSchema = z.object({ version: editVersion }).strict();

export type CreateAppointmentTypeInput = z.infer<typeof createAppointmentTypeSchema>;
export type UpdateAppointmentTypeInput = z.infer<typeof updateAppointmentTypeSchema>;
