import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { formatTime, MINUTES_PER_DAY, parseTime, timeToMinutes } from './time';
import { clinicNow, isValidTimeZone } from '../time/clinic-clock';
import { addDays, addMonths, dayOfWeek, daysBetween, isValidDate, monthRange } from '../time/dates';

describe('parseTime', () => {
  it.each([
    ['00:00', 0],
    ['09:00', 540],
    ['12:30', 750],
    ['23:59', 1439],
    ['24:00', 1440],
  ])('accepts %s as %i minutes', (value, minutes) => {
    expect(parseTime(value)).toBe(minutes);
  });

  it.each(['9:00', '24:01', '25:00', '12:60', '', 'ab:cd', '09:00:00', ' 09:00', '09:00 ', '0900', '-1:00'])('rejects %j', (value) => {
    expect(parseTime(value)).toBeNull();
  });
});

describe('timeToMinutes', () => {
  it("accepts HH:MM and the database's HH:MM:SS", () => {
    expect(timeToMinutes('14:15')).toBe(855);
    expect(timeToMinutes('14:15:00')).toBe(855);
    expect(timeToMinutes('24:00:00')).toBe(1440);
  });

  it('throws on an invalid time', () => {
    expect(() => timeToMinutes('9:00')).toThrow(RangeError);
    expect(() => timeToMinutes('24:30:00')).toThrow(RangeError);
  });
});

describe('formatTime', () => {
  it('pads hours and minutes', () => {
    expect(formatTime(0)).toBe('00:00');
    expect(formatTime(545)).toBe('09:05');
    expect(formatTime(1439)).toBe('23:59');
    expect(formatTime(MINUTES_PER_DAY)).toBe('24:00');
  });

  it('rejects minutes outside the day or not whole', () => {
    expect(() => formatTime(-1)).toThrow(RangeError);
    expect(() => formatTime(1441)).toThrow(RangeError);
    expect(() => formatTime(60.5)).toThrow(RangeError);
  });

  it('round-trips with parseTime for every minute of the day, 24:00 included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MINUTES_PER_DAY }), (m) => {
        const text = formatTime(m);
        expect(text).toMatch(/^\d\d:\d\d$/);
        expect(parseTime(text)).toBe(m);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips from valid HH:MM text back to the same text', () => {
    const hhmm = fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    fc.assert(
      fc.property(hhmm, (text) => {
        const m = parseTime(text);
        expect(m).not.toBeNull();
        expect(formatTime(m!)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('dates', () => {
  it('computes the weekday from YYYY-MM-DD (0 = Sunday)', () => {
    expect(dayOfWeek('2025-01-20')).toBe(1); // Monday
    expect(dayOfWeek('2025-01-19')).toBe(0); // Sunday
    expect(dayOfWeek('2024-02-29')).toBe(4); // Thursday, leap day
  });

  it('adds days across month and year ends and counts days between dates', () => {
    expect(addDays('2025-01-31', 1)).toBe('2025-02-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(daysBetween('2025-01-20', '2025-01-22')).toBe(2);
    expect(daysBetween('2025-01-22', '2025-01-20')).toBe(-2);
    // across a European DST change the count stays whole
    expect(daysBetween('2025-03-29', '2025-03-31')).toBe(2);
  });

  it('validates dates and months', () => {
    expect(isValidDate('2025-02-29')).toBe(false);
    expect(isValidDate('2024-02-29')).toBe(true);
    expect(isValidDate('2025-1-20')).toBe(false);
    // Dates and months agree: no year before 1000 (a fast-check run found dates accepting 0999).
    expect(isValidDate('0999-12-31')).toBe(false);
    expect(monthRange('0999-12')).toBeNull();
    expect(isValidDate('1000-01-01')).toBe(true);
    expect(monthRange('2024-02')).toEqual({ first: '2024-02-01', days: 29 });
    expect(monthRange('2025-13')).toBeNull();
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(addMonths('2025-01', -1)).toBe('2024-12');
  });
});

describe('clinicNow', () => {
  it("turns an instant into the clinic zone's date and minutes", () => {
    const instant = new Date('2025-01-20T23:30:00Z');
    expect(clinicNow('UTC', instant)).toEqual({ date: '2025-01-20', minutes: 1410 });
    expect(clinicNow('Europe/Berlin', instant)).toEqual({ date: '2025-01-21', minutes: 30 });
    expect(clinicNow('America/New_York', instant)).toEqual({ date: '2025-01-20', minutes: 18 * 60 + 30 });
  });

  it('reports midnight as 0 minutes, not 24:00', () => {
    expect(clinicNow('UTC', new Date('2025-01-21T00:00:00Z'))).toEqual({ date: '2025-01-21', minutes: 0 });
  });

  it('validates time zones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
