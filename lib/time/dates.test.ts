import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, dateOfDayNumber, dayNumber, dayOfWeek, daysBetween, isValidDate, monthRange, parseDate } from './dates';

// The reference: the same rules worked out with JavaScript's Date in UTC (what dates.ts did before
// it moved to integer day numbers).
const reference = {
  parse(date: string): Date | null {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    if (!m || Number(m[1]) < 1000) return null;
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return d.toISOString().slice(0, 10) === date ? d : null;
  },
  addDays(date: string, days: number): string {
    const d = reference.parse(date)!;
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  },
  monthDays(month: string): number | null {
    const m = /^(\d{4})-(\d{2})$/.exec(month);
    if (!m || Number(m[1]) < 1000 || Number(m[2]) < 1 || Number(m[2]) > 12) return null;
    return new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
  },
  addMonths(month: string, n: number): string {
    const [y, m] = month.split('-').map(Number) as [number, number];
    return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 7);
  },
};

const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** Real dates from 1000-01-01 to 9999-12-31. */
const realDate = fc
  .integer({ min: dayNumber('1000-01-01')!, max: dayNumber('9999-12-31')! })
  .map((n) => new Date(n * 86_400_000).toISOString().slice(0, 10));
/** Text shaped like a date, most of it not a real one: month 00–19, day 00–39. */
const dateLike = fc
  .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 39 }))
  .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`);

describe('dates: integer day arithmetic agrees with the calendar', () => {
  it('accepts exactly the real dates of years 1000–9999, and reads each as its UTC midnight', () => {
    fc.assert(
      fc.property(fc.oneof(realDate, dateLike), (date) => {
        expect(isValidDate(date)).toBe(reference.parse(date) !== null);
        expect(parseDate(date)?.getTime() ?? null).toBe(reference.parse(date)?.getTime() ?? null);
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses what is not a date: other shapes, signs, spaces, leap days of common years', () => {
    for (const bad of [
      '2027-02-29',
      '2100-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '0999-12-31',
      '2026-1-01',
      '2026/01/01',
      ' 2026-01-01',
      '2026-01-01 ',
      '+2026-01-0',
      '2026-01-0a',
      '',
      '２０２６-01-01',
    ]) {
      expect(isValidDate(bad), bad).toBe(false);
      expect(dayNumber(bad), bad).toBeNull();
    }
    expect(isValidDate('2028-02-29')).toBe(true);
    expect(isValidDate('2000-02-29')).toBe(true);
    expect(isValidDate(42 as unknown as string)).toBe(false);
  });

  it('adds days, counts days between and names the weekday as Date does', () => {
    fc.assert(
      fc.property(realDate, fc.integer({ min: -200_000, max: 200_000 }), (date, days) => {
        const later = addDays(date, days);
        // (Date's ISO text of years past 9999 does not fit YYYY-MM-DD: compared below them.)
        if (!later.startsWith('+')) expect(later).toBe(reference.addDays(date, days));
        if (isValidDate(later)) expect(daysBetween(date, later)).toBe(days);
        expect(dayOfWeek(date)).toBe(reference.parse(date)!.getUTCDay());
      }),
      { numRuns: 5000 },
    );
  });

  it('writes day numbers before year 1000 with four digits and after 9999 as ISO 8601 does', () => {
    expect(dateOfDayNumber(0)).toBe('1970-01-01');
    expect(addDays('1000-01-01', -1)).toBe('0999-12-31');
    expect(addDays('9999-12-31', 1)).toBe('+010000-01-01');
    expect(`${addDays('9999-12-31', 1)}T00:00:00.000Z`).toBe(new Date(Date.UTC(10000, 0, 1)).toISOString());
  });

  it('is total in daysBetween (NaN for a bad date) and strict in addDays and dayOfWeek (RangeError)', () => {
    expect(daysBetween('2026-02-30', '2026-03-01')).toBeNaN();
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => dayOfWeek('nope')).toThrow(RangeError);
  });

  it('knows each month’s length and moves by whole months', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 14 }), fc.integer({ min: -400, max: 400 }), (y, m, n) => {
        const month = `${pad(y, 4)}-${pad(m, 2)}`;
        const days = reference.monthDays(month);
        expect(monthRange(month)).toEqual(days === null ? null : { first: `${month}-01`, days });
        if (days !== null && y + Math.floor((m - 1 + n) / 12) >= 1000 && y + Math.floor((m - 1 + n) / 12) <= 9999)
          expect(addMonths(month, n)).toBe(reference.addMonths(month, n));
      }),
      { numRuns: 3000 },
    );
    expect(monthRange('2026-1')).toBeNull();
    expect(monthRange('2026-01-01')).toBeNull();
  });
});
