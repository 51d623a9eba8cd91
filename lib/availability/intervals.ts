import { formatTime, MINUTES_PER_DAY, timeToMinutes } from './time';

/** A half-open span of one day, [start, end), in minutes since midnight. */
export interface Interval {
  start: number;
  end: number;
}

export const WHOLE_DAY: Interval = { start: 0, end: MINUTES_PER_DAY };

/** An event's times as an interval; no times (an all-day exception) is the whole day. */
export function spanOf(start: string | null, end: string | null): Interval {
  return start && end ? { start: timeToMinutes(start), end: timeToMinutes(end) } : { ...WHOLE_DAY };
}

export function byStart(a: Interval, b: Interval): number {
  return a.start - b.start || a.end - b.end;
}

export function sortIntervals<T extends Interval>(intervals: readonly T[]): T[] {
  return [...intervals].sort(byStart);
}

/**
 * Overlap of half-open spans: touching (12:00 end, 12:00 start) is not an overlap, and an empty span
 * occupies no minute, so it overlaps nothing (as subtractIntervals and mergeIntervals see it).
 */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < a.end && b.start < b.end && a.start < b.end && b.start < a.end;
}

export function contains(outer: Interval, inner: Interval): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

export function formatInterval(i: Interval): string {
  return `${formatTime(i.start)}-${formatTime(i.end)}`;
}

export type IntervalProblem = { kind: 'invalid_time_range'; interval: Interval } | { kind: 'overlapping_intervals'; intervals: [Interval, Interval] };

/**
 * Checks one day's intervals as given (they are kept, not merged): each must start before it ends,
 * and no two may overlap. Returns the first problem, in start order, or null.
 */
export function findIntervalProblem(intervals: readonly Interval[]): IntervalProblem | null {
  for (const interval of intervals) {
    if (!(interval.start < interval.end)) return { kind: 'invalid_time_range', interval };
  }
  const sorted = sortIntervals(intervals);
  // Sorted by start, an interval overlaps an earlier one exactly when it starts before the end of
  // the earlier interval that reaches furthest.
  let reach = sorted[0];
  for (const current of sorted.slice(1)) {
    if (reach && overlaps(reach, current)) return { kind: 'overlapping_intervals', intervals: [reach, current] };
    if (!reach || current.end > reach.end) reach = current;
  }
  return null;
}

/** Merges overlapping or touching intervals into a sorted, disjoint list. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const i of sortIntervals(intervals)) {
    if (i.start >= i.end) continue;
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ start: i.start, end: i.end });
  }
  return out;
}

/** The parts of `working` not covered by any of `busy`: sorted and disjoint. */
export function subtractIntervals(working: readonly Interval[], busy: readonly Interval[]): Interval[] {
  const blocks = mergeIntervals(busy);
  const out: Interval[] = [];
  for (const w of mergeIntervals(working)) {
    let cursor = w.start;
    for (const b of blocks) {
      if (b.end <= cursor || b.start >= w.end) continue;
      if (b.start > cursor) out.push({ start: cursor, end: b.start });
      cursor = Math.max(cursor, b.end);
      if (cursor >= w.end) break;
    }
    if (cursor < w.end) out.push({ start: cursor, end: w.end });
  }
  return out;
}
