import { daysBetween } from '../time/dates';

/**
 * Booking rules (issue 16): per clinic, the booking window and minimum notice overridable per
 * appointment type; null or absent = no limit (notice: 0). Pure: the callers read the settings and
 * the counts, these decide.
 */
export interface ClinicBookingRules {
  minNoticeMinutes: number;
  /** no slot on a date more than this many days after the clinic's today */
  bookingWindowDays?: number | null;
  /** confirmed appointments per practitioner per date at most */
  maxAppointmentsPerDay?: number | null;
}
export interface TypeBookingRules {
  bookingWindowDays?: number | null;
  minNoticeMinutes?: number | null;
}

/** A rule that closes a whole date to booking. */
export type DayRule = 'beyond_booking_window' | 'day_full';

/** The minimum notice of a type: its own, else the clinic's. */
export function effectiveMinNotice(clinic: ClinicBookingRules, type: TypeBookingRules): number {
  return type.minNoticeMinutes ?? clinic.minNoticeMinutes;
}

/** The booking window of a type in days: its own, else the clinic's; null = no limit. */
export function effectiveBookingWindow(clinic: ClinicBookingRules, type: TypeBookingRules): number | null {
  return type.bookingWindowDays ?? clinic.bookingWindowDays ?? null;
}

/**
 * Why a whole date is closed to a booking of `type`, or undefined: after today + the window (local
 * dates of the clinic's time zone: `today` is the clinic's), or the practitioner already has the
 * clinic's maximum of confirmed appointments that date.
 */
export function dayRuleOf(
  date: string,
  today: string,
  clinic: ClinicBookingRules,
  type: TypeBookingRules,
  confirmedThatDay: number,
): DayRule | undefined {
  const window = effectiveBookingWindow(clinic, type);
  if (window !== null && daysBetween(today, date) > window) return 'beyond_booking_window';
  const max = clinic.maxAppointmentsPerDay ?? null;
  if (max !== null && confirmedThatDay >= max) return 'day_full';
  return undefined;
}

/** Whether a patient with `upcoming` upcoming confirmed appointments may not book another. */
export function patientLimitReached(upcoming: number, max: number | null | undefined): boolean {
  return max !== null && max !== undefined && upcoming >= max;
}

/**
 * Whether an agent cancellation `minutesUntilStart` (clinic wall-clock minutes from now to the
 * appointment's start) before the start is past the clinic's deadline: less than `hours` before it.
 */
export function cancellationWindowPassed(minutesUntilStart: number, hours: number | null | undefined): boolean {
  return hours !== null && hours !== undefined && minutesUntilStart < hours * 60;
}
