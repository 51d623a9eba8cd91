import { daysBetween } from '../time/dates';
import { contains, type Interval, overlaps } from './intervals';
import type { SlotRequest } from './slots';
import { MINUTES_PER_DAY } from './time';

/**
 * Why a start is not a slot (CONTRACT "Why not"), the first that applies in this order: in the past,
 * inside the minimum notice (the type's, else the clinic's), on a date a booking rule closes (after the
 * booking window, the practitioner's day full), not wholly inside one working interval, off every containing
 * interval's grid, under an exception (or a busy Google event), over a confirmed appointment (with
 * the type's buffers), over a hold.
 */
export const SLOT_REASONS = [
  'past',
  'too_soon',
  'beyond_booking_window',
  'day_full',
  'outside_hours',
  'not_on_grid',
  'exception',
  'booked',
  'held',
] as const;
export type SlotReason = (typeof SLOT_REASONS)[number];

/** The engine's inputs of one day (SlotRequest: `appointments` are the confirmed ones) with the holds apart. */
export interface SlotCheckRequest extends SlotRequest {
  /** unexpired, unconsumed holds of the date: they take time as appointments do */
  held: readonly Interval[];
  /**
   * The first minute of the date that is not past (clinic now, without notice; earliestStartOn with
   * no notice): null = the whole date is ahead, MINUTES_PER_DAY = the whole date is past.
   */
  notPastFrom: number | null;
}

/** The SlotRequest computeSlots answers for a check request: holds take time as appointments do. */
export function slotRequestOf(req: SlotCheckRequest): SlotRequest {
  return req.held.length === 0 ? req : { ...req, appointments: [...req.appointments, ...req.held] };
}

/**
 * Why `start` (minutes of the date) is not offered, or undefined when it is: undefined exactly when
 * computeSlots(slotRequestOf(req)) holds a slot starting at `start` (slot-reason.property.test.ts).
 * Worked out from the same rules, not by running the engine, so the two are checked one against
 * the other.
 */
export function slotReason(req: SlotCheckRequest, start: number): SlotReason | undefined {
  const d = req.durationMinutes;
  const step = req.stepMinutes;
  const span: Interval = { start, end: start + d };
  const earliest = req.earliestStart ?? 0;
  if (start < earliest) return start < (req.notPastFrom ?? 0) ? 'past' : 'too_soon';
  if (req.dayRule) return req.dayRule;
  if (!(d > 0) || !(step > 0) || start < 0 || span.end > MINUTES_PER_DAY) return 'outside_hours';
  const containing = req.working.filter((w) => contains(w, span));
  if (containing.length === 0) return 'outside_hours';
  if (!containing.some((w) => (start - w.start) % step === 0)) return 'not_on_grid';
  if (req.exceptions.some((e) => overlaps(e, span))) return 'exception';
  const guarded: Interval = { start: start - (req.bufferBeforeMinutes ?? 0), end: span.end + (req.bufferAfterMinutes ?? 0) };
  if (req.appointments.some((a) => overlaps(a, guarded))) return 'booked';
  if (req.held.some((h) => overlaps(h, guarded))) return 'held';
  return undefined;
}

/** A free start offered instead of the asked one. */
export interface AlternativeStart {
  practitionerId: number;
  date: string;
  start: number;
  end: number;
}

/** At most this many alternatives accompany a refusal. */
export const MAX_ALTERNATIVES = 5;

/**
 * The free starts nearest to the asked one, nearest first, at most `limit`: distance is the days
 * after the asked date × 24 h plus the minutes between the starts (other practitioners free at the
 * very asked time are 0 away). Ties go to the asked practitioner, then the earlier date and start,
 * then the lower practitioner id. The asked start itself is never offered back.
 */
export function nearestAlternatives(
  asked: { practitionerId: number; date: string; start: number },
  candidates: readonly AlternativeStart[],
  limit = MAX_ALTERNATIVES,
): AlternativeStart[] {
  const distance = (c: AlternativeStart) => Math.abs(daysBetween(asked.date, c.date)) * MINUTES_PER_DAY + Math.abs(c.start - asked.start);
  return candidates
    .filter((c) => !(c.practitionerId === asked.practitionerId && c.date === asked.date && c.start === asked.start))
    .map((c) => ({ c, d: distance(c), other: c.practitionerId === asked.practitionerId ? 0 : 1 }))
    .sort(
      (x, y) =>
        x.d - y.d ||
        x.other - y.other ||
        (x.c.date < y.c.date ? -1 : x.c.date > y.c.date ? 1 : 0) ||
        x.c.start - y.c.start ||
        x.c.practitionerId - y.c.practitionerId,
    )
    .slice(0, Math.max(0, limit))
    .map((x) => x.c);
}
