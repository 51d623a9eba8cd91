import type { DayRule } from './booking-rules';
import { contains, overlaps, type Interval } from './intervals';
import { withinWorkingHours } from './slots';
import { MINUTES_PER_DAY } from './time';

/**
 * Why a start staff asked for is not an offered slot, as far as staff may override it after a
 * warning: outside the weekday's working hours, under an exception (or a busy Google event), too
 * soon (inside the minimum notice) or off the slot grid; and the booking rules (issue 16): after the
 * booking window, the practitioner's day full, the patient at the clinic's maximum of upcoming
 * appointments (`patient_limit`, added by the booking service).
 */
export type OverridableReason = 'outside_hours' | 'exception' | 'too_soon' | 'not_on_grid' | 'beyond_booking_window' | 'day_full' | 'patient_limit';
/** What no one may override: a start in the past, a time taken by a confirmed appointment (with buffers), past midnight. */
export type StaffRefusal = 'past' | 'booked' | 'past_midnight';

export interface StaffStartRequest {
  start: number;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  working: readonly Interval[];
  /** exceptions and busy Google events of the date */
  blocked: readonly Interval[];
  /** confirmed appointments of the date */
  appointments: readonly Interval[];
  /** the first minute of the date that is not past (clinic now, no notice): null = the whole date is ahead */
  notPastFrom: number | null;
  /** the first minute of the date a slot may start at (now + notice), as the engine uses it */
  earliestStart: number | null;
  stepMinutes: number;
  /** a booking rule that closes the date (dayRuleOf) */
  dayRule?: DayRule;
}

/**
 * A staff booking outside the offered slots: refused (never in the past, never over a confirmed
 * appointment or into the buffers the type keeps around it, never past midnight), else the reasons
 * to warn about (empty when the start is one the engine would offer anyway).
 */
export function staffStartCheck(req: StaffStartRequest): { refused: StaffRefusal } | { reasons: OverridableReason[] } {
  const span: Interval = { start: req.start, end: req.start + req.durationMinutes };
  if (span.end > MINUTES_PER_DAY) return { refused: 'past_midnight' };
  if (req.notPastFrom !== null && req.start < req.notPastFrom) return { refused: 'past' };
  const guarded: Interval = { start: span.start - req.bufferBeforeMinutes, end: span.end + req.bufferAfterMinutes };
  if (req.appointments.some((a) => overlaps(a, guarded))) return { refused: 'booked' };
  const reasons: OverridableReason[] = [];
  if (!withinWorkingHours(req.working, span)) reasons.push('outside_hours');
  if (req.blocked.some((b) => overlaps(b, span))) reasons.push('exception');
  if (req.earliestStart !== null && req.start < req.earliestStart) reasons.push('too_soon');
  const onGrid = req.working.some((w) => contains(w, span) && (span.start - w.start) % req.stepMinutes === 0);
  if (!reasons.includes('outside_hours') && !onGrid) reasons.push('not_on_grid');
  if (req.dayRule) reasons.push(req.dayRule);
  return { reasons };
}
