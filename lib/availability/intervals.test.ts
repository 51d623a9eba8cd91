import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { contains, findIntervalProblem, formatInterval, type Interval, mergeIntervals, overlaps, subtractIntervals } from './intervals';
import { MINUTES_PER_DAY } from './time';

const hm = (h: number, m = 0) => h * 60 + m;
const iv = (from: string, to: string): Interval => {
  const [fh, fm] = from.split(':').map(Number) as [number, number];
  const [th, tm] = to.split(':').map(Number) as [number, number];
  return { start: hm(fh, fm), end: hm(th, tm) };
};

describe('overlaps / contains', () => {
  it('treats touching half-open intervals as not overlapping', () => {
    expect(overlaps(iv('09:00', '12:00'), iv('12:00', '13:00'))).toBe(false);
    expect(overlaps(iv('12:00', '13:00'), iv('09:00', '12:00'))).toBe(false);
    expect(overlaps(iv('09:00', '12:01'), iv('12:00', '13:00'))).toBe(true);
  });

  it('contains includes the edges', () => {
    expect(contains(iv('09:00', '12:00'), iv('09:00', '12:00'))).toBe(true);
    expect(contains(iv('09:00', '12:00'), iv('08:59', '10:00'))).toBe(false);
    expect(contains(iv('09:00', '12:00'), iv('11:00', '12:01'))).toBe(false);
  });
});

describe('formatInterval', () => {
  it('formats as HH:MM-HH:MM, 24:00 included', () => {
    expect(formatInterval(iv('09:05', '12:00'))).toBe('09:05-12:00');
    expect(formatInterval({ start: 0, end: MINUTES_PER_DAY })).toBe('00:00-24:00');
  });
});

describe('findIntervalProblem', () => {
  it('accepts an empty day, a single interval and touching intervals', () => {
    expect(findIntervalProblem([])).toBeNull();
    expect(findIntervalProblem([iv('09:00', '12:00')])).toBeNull();
    expect(findIntervalProblem([iv('09:00', '12:00'), iv('12:00', '18:00')])).toBeNull();
    expect(findIntervalProblem([iv('00:00', '12:00'), { start: hm(12), end: MINUTES_PER_DAY }])).toBeNull();
  });

  it('reports an interval that does not start before it ends', () => {
    expect(findIntervalProblem([iv('09:00', '12:00'), iv('14:00', '13:00')])).toEqual({
      kind: 'invalid_time_range',
      interval: iv('14:00', '13:00'),
    });
    expect(findIntervalProblem([iv('10:00', '10:00')])).toEqual({ kind: 'invalid_time_range', interval: iv('10:00', '10:00') });
  });

  it('reports an overlap with the two intervals involved', () => {
    const problem = findIntervalProblem([iv('09:00', '12:00'), iv('11:00', '13:00')]);
    expect(problem).toEqual({ kind: 'overlapping_intervals', intervals: [iv('09:00', '12:00'), iv('11:00', '13:00')] });
  });

  it('finds overlaps in unsorted input', () => {
    const problem = findIntervalProblem([iv('14:00', '18:00'), iv('09:00', '12:00'), iv('17:00', '19:00')]);
    expect(problem?.kind).toBe('overlapping_intervals');
    if (problem?.kind !== 'overlapping_intervals') return;
    expect(problem.intervals).toEqual(expect.arrayContaining([iv('14:00', '18:00'), iv('17:00', '19:00')]));
    expect(findIntervalProblem([iv('14:00', '18:00'), iv('09:00', '12:00'), iv('12:00', '14:00')])).toBeNull();
  });

  it('finds an interval nested in a long earlier one even with a short one in between', () => {
    expect(findIntervalProblem([iv('09:00', '17:00'), iv('10:00', '11:00'), iv('12:00', '13:00')])).toEqual({
      kind: 'overlapping_intervals',
      intervals: [iv('09:00', '17:00'), iv('10:00', '11:00')],
    });
    // unsorted: the long interval comes after the one nested in it
    expect(findIntervalProblem([iv('13:00', '14:00'), iv('09:00', '18:00')])).toEqual({
      kind: 'overlapping_intervals',
      intervals: [iv('09:00', '18:00'), iv('13:00', '14:00')],
    });
  });
});

describe('mergeIntervals', () => {
  it('merges overlapping and touching intervals, sorts, drops empty ones', () => {
    expect(mergeIntervals([iv('14:00', '16:00'), iv('09:00', '10:00'), iv('10:00', '11:00'), iv('15:00', '18:00'), iv('12:00', '12:00')])).toEqual([
      iv('09:00', '11:00'),
      iv('14:00', '18:00'),
    ]);
    expect(mergeIntervals([iv('09:00', '17:00'), iv('10:00', '11:00')])).toEqual([iv('09:00', '17:00')]);
    expect(mergeIntervals([])).toEqual([]);
  });

  it('does not mutate its input', () => {
    const input = [iv('09:00', '10:00'), iv('09:30', '11:00')];
    const copy = structuredClone(input);
    mergeIntervals(input);
    expect(input).toEqual(copy);
  });
});

describe('subtractIntervals', () => {
  it('cuts busy time out of working time', () => {
    const working = [iv('09:00', '12:00'), iv('14:00', '18:00')];
    const busy = [iv('10:00', '11:00'), iv('17:00', '18:00'), iv('11:30', '14:30')];
    expect(subtractIntervals(working, busy)).toEqual([iv('09:00', '10:00'), iv('11:00', '11:30'), iv('14:30', '17:00')]);
  });

  it('leaves nothing when busy covers the day, everything when busy is empty', () => {
    expect(subtractIntervals([iv('09:00', '12:00')], [{ start: 0, end: MINUTES_PER_DAY }])).toEqual([]);
    expect(subtractIntervals([iv('14:00', '15:00'), iv('09:00', '12:00')], [])).toEqual([iv('09:00', '12:00'), iv('14:00', '15:00')]);
  });

  it('handles a busy block spanning the gap between two working intervals', () => {
    expect(subtractIntervals([iv('09:00', '12:00'), iv('13:00', '15:00')], [iv('11:00', '14:00')])).toEqual([
      iv('09:00', '11:00'),
      iv('14:00', '15:00'),
    ]);
  });
});

// ---- properties ----

const span = (max = MINUTES_PER_DAY) =>
  fc.tuple(fc.integer({ min: 0, max }), fc.integer({ min: 0, max })).map(([a, b]): Interval => ({ start: Math.min(a, b), end: Math.max(a, b) }));
const list = (max?: number) => fc.array(span(max), { maxLength: 6 });

/** The minutes [m, m+1) a set of intervals covers, by brute force. */
function minutes(intervals: readonly Interval[]): Set<number> {
  const out = new Set<number>();
  for (const i of intervals) for (let m = i.start; m < i.end; m++) out.add(m);
  return out;
}
const length = (intervals: readonly Interval[]) => intervals.reduce((sum, i) => sum + (i.end - i.start), 0);

function expectSortedDisjointNonEmpty(intervals: readonly Interval[]) {
  for (const i of intervals) expect(i.start).toBeLessThan(i.end);
  for (let k = 1; k < intervals.length; k++) expect(intervals[k - 1]!.end).toBeLessThan(intervals[k]!.start);
}

describe('interval properties', () => {
  it('mergeIntervals covers exactly the same minutes, sorted and disjoint (not touching)', () => {
    fc.assert(
      fc.property(list(), (w) => {
        const merged = mergeIntervals(w);
        expectSortedDisjointNonEmpty(merged);
        expect(minutes(merged)).toEqual(minutes(w));
      }),
      { numRuns: 300 },
    );
  });

  it('an empty busy span takes no time: nothing overlaps it and subtracting it changes nothing', () => {
    // found by the property below (seed -1801712080)
    expect(overlaps({ start: 0, end: 254 }, { start: 253, end: 253 })).toBe(false);
    expect(overlaps({ start: 253, end: 253 }, { start: 0, end: 254 })).toBe(false);
    expect(subtractIntervals([{ start: 0, end: 254 }], [{ start: 253, end: 253 }])).toEqual([{ start: 0, end: 254 }]);
  });

  it('subtracting nothing changes nothing', () => {
    fc.assert(
      fc.property(list(), (w) => {
        expect(subtractIntervals(w, [])).toEqual(mergeIntervals(w));
      }),
      { numRuns: 300 },
    );
  });

  it('subtractIntervals avoids busy, stays inside working, and the lengths add up', () => {
    fc.assert(
      fc.property(list(), list(), (w, busy) => {
        const result = subtractIntervals(w, busy);
        const merged = mergeIntervals(w);
        expectSortedDisjointNonEmpty(result);
        for (const r of result) {
          for (const b of busy) expect(overlaps(r, b)).toBe(false);
          expect(merged.some((m) => contains(m, r))).toBe(true);
        }
        const busyMinutes = minutes(busy);
        const workingAndBusy = [...minutes(w)].filter((m) => busyMinutes.has(m)).length;
        expect(length(merged)).toBe(length(result) + workingAndBusy);
      }),
      { numRuns: 300 },
    );
  });

  it('findIntervalProblem is null exactly when all intervals are non-empty and pairwise disjoint', () => {
    // a small range makes overlaps and empty intervals common; unsorted ends make inverted ones
    const raw = fc.record({ start: fc.integer({ min: 0, max: 60 }), end: fc.integer({ min: 0, max: 60 }) });
    fc.assert(
      fc.property(fc.array(raw, { maxLength: 5 }), (intervals) => {
        const allValid = intervals.every((i) => i.start < i.end);
        let disjoint = true;
        for (let a = 0; a < intervals.length; a++)
          for (let b = a + 1; b < intervals.length; b++) if (overlaps(intervals[a]!, intervals[b]!)) disjoint = false;
        const problem = findIntervalProblem(intervals);
        expect(problem === null).toBe(allValid && disjoint);
        if (problem?.kind === 'invalid_time_range') {
          expect(intervals).toContainEqual(problem.interval);
          expect(problem.interval.start).toBeGreaterThanOrEqual(problem.interval.end);
        }
        if (problem?.kind === 'overlapping_intervals') {
          expect(allValid).toBe(true);
          const [x, y] = problem.intervals;
          expect(intervals).toContainEqual(x);
          expect(intervals).toContainEqual(y);
          expect(overlaps(x, y)).toBe(true);
          expect(intervals.indexOf(x)).not.toBe(intervals.indexOf(y));
        }
      }),
      { numRuns: 300 },
    );
  });
});
