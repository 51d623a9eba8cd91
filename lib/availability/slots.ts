import type { ClinicNow } from '../time/clinic-clock';
import { addDays, daysBetween } from '../time/dates';
import type { DayRule } from './booking-rules';
import { contains, type Interval, mergeIntervals } from './intervals';
import { MINUTES_PER_DAY } from './time';

export interface SlotRequest {
  /** the default working intervals of the date's weekday */
  working: readonly Interval[];
  /** availability exceptions of the date (an all-day one is the whole day) */
  exceptions: readonly Interval[];
  /** confirmed appointments of the date */
  appointments: readonly Interval[];
  durationMinutes: number;
  /** grid step; the clinic's `slot_step_minutes`, else the duration */
  stepMinutes: number;
  bufferBeforeMinutes?: number;
  bufferAfterMinutes?: number;
  /** no slot may start before this minute of the date (now + notice); null = no limit that day */
  earliestStart: number | null;
  /** a booking rule closes the whole date (lib/availability/booking-rules.ts dayRuleOf): no slot */
  dayRule?: DayRule;
}

/**
 * The slots of one day (CONTRACT "Slots"): each lies wholly inside one working interval, starts on
 * that interval's grid (start + k × step), overlaps no exception, keeps its buffers clear of every
 * confirmed appointment, and does not start before `earliestStart`; none on a date a booking rule closes. Sorted, no duplicates.
 *
 * One sweep per working interval over the merged (sorted, disjoint) exceptions and appointments:
 * a start that collides jumps straight to the first grid start past the blocking interval, so a day
 * costs its sort plus one pass, whatever the step.
 */
export function computeSlots(req: SlotRequest): Interval[] {
  const { durationMinutes: d, stepMinutes: step } = req;
  if (!(d > 0) || !(step > 0) || req.dayRule) return [];
  const before = req.bufferBeforeMinutes ?? 0;
  const after = req.bufferAfterMinutes ?? 0;
  const exceptions = mergeIntervals(req.exceptions);
  const appointments = mergeIntervals(req.appointments);
  const earliest = req.earliestStart ?? 0;
  const out: Interval[] = [];
  let sorted = true;

  for (const w of req.working) {
    // The first start of w's grid that is not before `earliest`.
    let start = w.start < earliest ? w.start + Math.ceil((earliest - w.start) / step) * step : w.start;
    let e = 0;
    let a = 0;
    while (start + d <= w.end) {
      // Exceptions ending at or before this start can block no later start either.
      while (e < exceptions.length && exceptions[e]!.end <= start) e++;
      const blocking = e < exceptions.length && exceptions[e]!.start < start + d ? exceptions[e]! : undefined;
      if (blocking) {
        start = nextOnGrid(w.start, step, blocking.end);
        continue;
      }
      while (a < appointments.length && appointments[a]!.end <= start - before) a++;
      const booked = a < appointments.length && appointments[a]!.start < start + d + after ? appointments[a]! : undefined;
      if (booked) {
        start = nextOnGrid(w.start, step, booked.end + before);
        continue;
      }
      const last = out[out.length - 1];
      if (last && last.start >= start) sorted = false;
      out.push({ start, end: start + d });
      start += step;
    }
  }
  if (sorted) return out;
  // Working intervals given out of order or overlapping: order the starts and drop repeats.
  const starts = [...new Set(out.map((s) => s.start))].sort((x, y) => x - y);
  return starts.map((start) => ({ start, end: start + d }));
}

/** The first start of the grid `origin + k × step` (k ≥ 0) at or after `minute`. */
function nextOnGrid(origin: number, step: number, minute: number): number {
  return minute <= origin ? origin : origin + Math.ceil((minute - origin) / step) * step;
}

/**
 * The first minute of `date` a slot may start at, given the clinic's now and minimum notice:
 * null when the whole date is open, MINUTES_PER_DAY when the whole date is past.
 */
export function earliestStartOn(date: string, now: ClinicNow, minNoticeMinutes: number): number | null {
  const threshold = now.minutes + Math.max(0, minNoticeMinutes);
  const thresholdDate = addDays(now.date, Math.floor(threshold / MINUTES_PER_DAY));
  const thresholdMinute = threshold % MINUTES_PER_DAY;
  const diff = daysBetween(thresholdDate, date);
  if (diff < 0) return MINUTES_PER_DAY;
  if (diff > 0) return null;
  return thresholdMinute;
}

/** Whether an interval on a date lies wholly inside one working interval. */
export function withinWorkingHours(working: readonly Interval[], span: Interval): boolean {
  return working.some((w) => contains(w, span));
}
