import { z } from 'zod';
import { ianaTimeZone } from '../time/clinic-clock';
import { lineUserId } from './agent';
import { editVersion } from './appointment-types';
import { userText } from './common';

/** An IANA zone name (`Asia/Taipei`, `UTC`), not an offset, known to this server; read in its canonical spelling. */
export const timeZoneName = z
  .string()
  .max(64)
  .refine((v) => ianaTimeZone(v) !== null, { message: 'Use an IANA time zone such as Asia/Taipei', abort: true })
  .transform((v) => ianaTimeZone(v)!);
export const slotStepMinutes = z.number().int().min(5).max(240);
/** At most 30 days of notice. */
export const minNoticeMinutes = z.number().int().min(0).max(43_200);
/** Booking rules (issue 16); null = no limit. At most ten years ahead. */
export const bookingWindowDays = z.number().int().min(0).max(3_660);
export const maxAppointmentsPerDay = z.number().int().min(1).max(500);
export const maxUpcomingPerPatient = z.number().int().min(1).max(500);
/** At most 30 days before the start. */
export const cancellationDeadlineHours = z.number().int().min(0).max(720);

/**
 * PATCH …/admin/settings: fields left out keep their values; slot_step_minutes null = the appointment's
 * length; a booking rule null = no limit.
 */
export const updateClinicSettingsSchema = z
  .object({
    version: editVersion,
    name: userText({ max: 200 }).optional(),
    timezone: timeZoneName.optional(),
    slot_step_minutes: slotStepMinutes.nullish(),
    min_notice_minutes: minNoticeMinutes.optional(),
    booking_window_days: bookingWindowDays.nullish(),
    max_appointments_per_day: maxAppointmentsPerDay.nullish(),
    max_upcoming_per_patient: maxUpcomingPerPatient.nullish(),
    cancellation_deadline_hours: cancellationDeadlineHours.nullish(),
  })
  .strict();

/**
 * LINE channel credentials as the LINE Developers console shows them: printable ASCII without
 * spaces (spaces around it are trimmed). At least 16 characters, so the four shown as a hint never give much of one away.
 */
const channelCredential = (what: string, max: number) =>
  z
    .string()
    // Spaces pasted around it are trimmed; a control character (a tab, a line break) anywhere is refused.
    .regex(/^[^\x00-\x1f\x7f]*$/, { message: `The ${what} is printable characters without spaces` })
    .trim()
    .min(16, { message: `The ${what} is at least 16 characters` })
    .max(max)
    .regex(/^[\x21-\x7e]+$/, { message: `The ${what} is printable characters without spaces` });

/** PUT …/admin/settings/line-channel: replaces both. */
export const lineChannelSchema = z
  .object({
    access_token: channelCredential('access token', 1000),
    channel_secret: channelCredential('channel secret', 200),
  })
  .strict();

/** POST …/admin/settings/line-channel/test: with a LINE user id, a test message is pushed to it. */
export const lineChannelTestSchema = z.object({ line_user_id: lineUserId.nullish() }).strict();

export type UpdateClinicSettingsInput = z.infer<typeof updateClinicSettingsSchema>;
export type LineChannelInput = z.infer<typeof lineChannelSchema>;
