import type { ClinicNow } from '../time/clinic-clock';
import { addDays, daysBetween } from '../time/dates';
import { contains, type Interval, mergeIntervals, overlaps } from './intervals';
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
}

/**
 * The slots of one day (CONTRACT "Slots"): each lies wholly inside one working interval, starts on
 * that interval's grid (start + k × step), overlaps no exception, keeps its buffers clear of every
 * confirmed appointment, and does not start before `earliestStart`. Sorted, no duplicates.
 */
export function computeSlots(req: SlotRequest): Interval[] {
  const { durationMinutes: d, stepMinutes: step } = req;
  if (!(d > 0) || !(step > 0)) return [];
  const before = req.bufferBeforeMinutes ?? 0;
  const after = req.bufferAfterMinutes ?? 0;
  const exceptions = mergeIntervals(req.exceptions);
  const appointments = mergeIntervals(req.appointments);
  const earliest = req.earliestStart ?? 0;
  const starts = new Set<number>();

  for (const w of req.working) {
    for (let start = w.start; start + d <= w.end; start += step) {
      if (start < earliest) continue;
      const slot = { start, end: start + d };
      const guarded = { start: start - before, end: start + d + after };
      if (exceptions.some((e) => overlaps(e, slot))) continue;
      if (appointments.some((a) => overlaps(a, guarded))) continue;
      starts.add(start);
    }
  }
  return [...starts].sort((a, b) => a - b).map((start) => ({ start, end: start + d }));
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
