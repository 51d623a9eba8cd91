import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Interval } from './intervals';
import {
  copyDay,
  dowToWeekday,
  emptyWeek,
  findWeekProblem,
  intervalsForDow,
  normalizeWeek,
  weekdayToDow,
  WEEKDAYS,
  type Weekday,
} from './weekly-schedule';
import { dayOfWeek } from '../time/dates';

const iv = (start: number, end: number): Interval => ({ start, end });

describe('weekdayToDow / dowToWeekday', () => {
  it('maps the contract day keys to the database day_of_week (0 = Sunday)', () => {
    expect(weekdayToDow('monday')).toBe(1);
    expect(weekdayToDow('saturday')).toBe(6);
    expect(weekdayToDow('sunday')).toBe(0);
    expect(dowToWeekday(0)).toBe('sunday');
    expect(dowToWeekday(1)).toBe('monday');
    expect(dowToWeekday(6)).toBe('saturday');
  });

  it('round-trips every day both ways', () => {
    for (const day of WEEKDAYS) expect(dowToWeekday(weekdayToDow(day))).toBe(day);
    for (let dow = 0; dow < 7; dow++) expect(weekdayToDow(dowToWeekday(dow))).toBe(dow);
    expect(new Set(WEEKDAYS.map(weekdayToDow)).size).toBe(7);
  });

  it('agrees with the calendar: 2025-01-20 … 2025-01-26 are Monday … Sunday', () => {
    WEEKDAYS.forEach((day, k) => {
      expect(dowToWeekday(dayOfWeek(`2025-01-${20 + k}`))).toBe(day);
    });
  });
});

describe('normalizeWeek', () => {
  it('fills all seven days and sorts each day', () => {
    const week = normalizeWeek({ monday: [iv(840, 1080), iv(540, 720)], friday: [iv(600, 660)] });
    expect(Object.keys(week).sort()).toEqual([...WEEKDAYS].sort());
    expect(week.monday).toEqual([iv(540, 720), iv(840, 1080)]);
    expect(week.friday).toEqual([iv(600, 660)]);
    for (const day of ['tuesday', 'wednesday', 'thursday', 'saturday', 'sunday'] as const) expect(week[day]).toEqual([]);
  });

  it('does not reorder the caller’s arrays', () => {
    const monday = [iv(840, 1080), iv(540, 720)];
    normalizeWeek({ monday });
    expect(monday).toEqual([iv(840, 1080), iv(540, 720)]);
  });

  it('emptyWeek has seven separate empty days', () => {
    const week = emptyWeek();
    expect(WEEKDAYS.map((d) => week[d])).toEqual(Array(7).fill([]));
    week.monday.push(iv(0, 60));
    expect(week.tuesday).toEqual([]);
  });

  it('sorts any input per day without losing or inventing intervals', () => {
    const day = fc.array(fc.record({ start: fc.integer({ min: 0, max: 1440 }), end: fc.integer({ min: 0, max: 1440 }) }), { maxLength: 5 });
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...WEEKDAYS), day), (partial) => {
        const week = normalizeWeek(partial);
        for (const d of WEEKDAYS) {
          const got = week[d];
          expect([...got].sort((a, b) => a.start - b.start || a.end - b.end)).toEqual(got);
          const key = (i: Interval) => `${i.start}-${i.end}`;
          expect(got.map(key).sort()).toEqual((partial[d] ?? []).map(key).sort());
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('intervalsForDow', () => {
  it("returns the date's weekday intervals", () => {
    const week = normalizeWeek({ monday: [iv(540, 720)], sunday: [iv(600, 660)] });
    expect(intervalsForDow(week, 1)).toEqual([iv(540, 720)]);
    expect(intervalsForDow(week, 0)).toEqual([iv(600, 660)]);
    expect(intervalsForDow(week, 2)).toEqual([]);
  });
});

describe('copyDay', () => {
  const week = normalizeWeek({ monday: [iv(540, 720), iv(840, 1080)], tuesday: [iv(600, 660)], sunday: [iv(0, 60)] });

  it("copies one day's intervals to the chosen days and leaves the others", () => {
    const next = copyDay(week, 'monday', ['tuesday', 'wednesday', 'friday']);
    for (const d of ['monday', 'tuesday', 'wednesday', 'friday'] as const) expect(next[d]).toEqual([iv(540, 720), iv(840, 1080)]);
    expect(next.thursday).toEqual([]);
    expect(next.sunday).toEqual([iv(0, 60)]);
  });

  it('does not change the original week', () => {
    const before = structuredClone(week);
    copyDay(week, 'monday', ['tuesday', 'sunday']);
    expect(week).toEqual(before);
  });

  it('does not alias arrays or intervals between days or with the source', () => {
    const next = copyDay(week, 'monday', ['tuesday', 'wednesday']);
    expect(next.tuesday).not.toBe(next.monday);
    expect(next.tuesday).not.toBe(next.wednesday);
    expect(next.tuesday).not.toBe(week.monday);
    next.tuesday[0]!.start = 480;
    next.wednesday.push(iv(1200, 1260));
    expect(next.monday).toEqual([iv(540, 720), iv(840, 1080)]);
    expect(week.monday).toEqual([iv(540, 720), iv(840, 1080)]);
    expect(next.wednesday).toHaveLength(3);
    expect(next.tuesday).toHaveLength(2);
  });

  it('copying a day onto itself or to no day changes nothing', () => {
    expect(copyDay(week, 'monday', ['monday'])).toEqual(week);
    expect(copyDay(week, 'monday', [])).toEqual(week);
  });

  it('copying an empty day clears the targets', () => {
    expect(copyDay(week, 'thursday', ['monday']).monday).toEqual([]);
  });
});

describe('findWeekProblem', () => {
  it('is null for a valid week', () => {
    expect(findWeekProblem(normalizeWeek({ monday: [iv(540, 720), iv(720, 1080)], friday: [iv(0, 1440)] }))).toBeNull();
    expect(findWeekProblem(emptyWeek())).toBeNull();
  });

  it('names the day with the problem', () => {
    expect(findWeekProblem(normalizeWeek({ monday: [iv(540, 720)], wednesday: [iv(600, 540)] }))).toEqual({
      day: 'wednesday',
      problem: { kind: 'invalid_time_range', interval: iv(600, 540) },
    });
    expect(findWeekProblem(normalizeWeek({ sunday: [iv(540, 720), iv(700, 800)] }))).toEqual({
      day: 'sunday',
      problem: { kind: 'overlapping_intervals', intervals: [iv(540, 720), iv(700, 800)] },
    });
  });

  it('reports the first day in Monday-first order', () => {
    const bad = [iv(600, 600)];
    const days: Weekday[] = ['saturday', 'tuesday'];
    const week = normalizeWeek(Object.fromEntries(days.map((d) => [d, bad])));
    expect(findWeekProblem(week)?.day).toBe('tuesday');
  });
});
