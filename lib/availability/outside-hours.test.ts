import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Interval } from './intervals';
import { appointmentsCoveredBy, appointmentsLeftOutside, isOutsideHours } from './outside-hours';
import { parseTime, MINUTES_PER_DAY } from './time';
import { normalizeWeek } from './weekly-schedule';

const t = (hhmm: string): number => {
  const m = parseTime(hhmm);
  if (m === null) throw new Error(`bad time ${hhmm}`);
  return m;
};
const iv = (from: string, to: string): Interval => ({ start: t(from), end: t(to) });
const CHEN_MONDAY = [iv('09:00', '12:00'), iv('14:00', '18:00')];

describe('isOutsideHours', () => {
  it('is false for an appointment inside one interval, edges included', () => {
    expect(isOutsideHours(iv('10:00', '11:00'), CHEN_MONDAY, [])).toBe(false);
    expect(isOutsideHours(iv('09:00', '12:00'), CHEN_MONDAY, [])).toBe(false);
    expect(isOutsideHours(iv('17:00', '18:00'), CHEN_MONDAY, [])).toBe(false);
  });

  it('is true across the lunch gap even though both ends are in working intervals', () => {
    expect(isOutsideHours(iv('11:30', '14:30'), CHEN_MONDAY, [])).toBe(true);
  });

  it('is true across two touching intervals (a slot lies in one interval)', () => {
    expect(isOutsideHours(iv('11:30', '12:30'), [iv('09:00', '12:00'), iv('12:00', '13:00')], [])).toBe(true);
  });

  it('is true when it starts early, ends late or the day has no hours', () => {
    expect(isOutsideHours(iv('08:30', '09:30'), CHEN_MONDAY, [])).toBe(true);
    expect(isOutsideHours(iv('17:30', '18:30'), CHEN_MONDAY, [])).toBe(true);
    expect(isOutsideHours(iv('10:00', '11:00'), [], [])).toBe(true);
  });

  it('is true when an exception covers any of it, false when the exception only touches it', () => {
    expect(isOutsideHours(iv('10:00', '11:00'), CHEN_MONDAY, [iv('10:45', '13:00')])).toBe(true);
    expect(isOutsideHours(iv('10:00', '11:00'), CHEN_MONDAY, [{ start: 0, end: MINUTES_PER_DAY }])).toBe(true);
    expect(isOutsideHours(iv('10:00', '11:00'), CHEN_MONDAY, [iv('11:00', '12:00'), iv('09:00', '10:00')])).toBe(false);
  });
});

describe('appointmentsLeftOutside', () => {
  // 2025-01-20 is a Monday, 2025-01-21 a Tuesday, 2025-01-26 a Sunday.
  const current = normalizeWeek({ monday: CHEN_MONDAY, tuesday: [iv('09:00', '17:00')], sunday: [iv('10:00', '12:00')] });

  it('reports appointments inside the old hours and outside the new ones', () => {
    const next = normalizeWeek({ monday: [iv('09:00', '12:00')], tuesday: [iv('09:00', '17:00')], sunday: [iv('10:00', '12:00')] });
    const appts = [
      { id: 'a', date: '2025-01-20', ...iv('10:00', '11:00') }, // Monday morning: still inside
      { id: 'b', date: '2025-01-20', ...iv('15:00', '16:00') }, // Monday afternoon: dropped
      { id: 'c', date: '2025-01-21', ...iv('15:00', '16:00') }, // Tuesday afternoon: unchanged day
    ];
    expect(appointmentsLeftOutside(appts, current, next).map((a) => a.id)).toEqual(['b']);
  });

  it('uses the weekday of the appointment date', () => {
    // Only Tuesday changes: the Monday appointment at the same time is not affected.
    const next = normalizeWeek({ monday: CHEN_MONDAY, tuesday: [iv('09:00', '12:00')], sunday: [iv('10:00', '12:00')] });
    const appts = [
      { id: 'mon', date: '2025-01-20', ...iv('15:00', '16:00') },
      { id: 'tue', date: '2025-01-21', ...iv('15:00', '16:00') },
      { id: 'tue-next-week', date: '2025-01-28', ...iv('13:00', '14:00') },
    ];
    expect(appointmentsLeftOutside(appts, current, next).map((a) => a.id)).toEqual(['tue', 'tue-next-week']);
  });

  it('maps Sunday dates to the sunday key (day_of_week 0)', () => {
    const next = normalizeWeek({ monday: CHEN_MONDAY, tuesday: [iv('09:00', '17:00')] });
    const appts = [{ id: 'sun', date: '2025-01-26', ...iv('10:00', '11:00') }];
    expect(appointmentsLeftOutside(appts, current, next).map((a) => a.id)).toEqual(['sun']);
  });

  it('does not report appointments that were already outside hours', () => {
    const next = normalizeWeek({ monday: [iv('09:00', '10:00')] });
    const appts = [
      { id: 'lunch', date: '2025-01-20', ...iv('12:30', '13:30') }, // in the old lunch gap
      { id: 'span', date: '2025-01-20', ...iv('11:30', '14:30') }, // spanned the old gap
      { id: 'sat', date: '2025-01-25', ...iv('10:00', '11:00') }, // Saturday, never worked
      { id: 'morning', date: '2025-01-20', ...iv('10:30', '11:30') }, // was inside, now outside
    ];
    expect(appointmentsLeftOutside(appts, current, next).map((a) => a.id)).toEqual(['morning']);
  });

  it('does not report appointments already under an exception of their date', () => {
    const next = normalizeWeek({ monday: [iv('09:00', '10:00')] });
    const appts = [
      { id: 'covered', date: '2025-01-20', ...iv('10:30', '11:30') },
      { id: 'other-day', date: '2025-01-27', ...iv('10:30', '11:30') },
      { id: 'touching', date: '2025-01-20', ...iv('11:30', '12:00') },
    ];
    const exceptionsOn = (date: string) => (date === '2025-01-20' ? [iv('10:00', '11:30')] : []);
    expect(appointmentsLeftOutside(appts, current, next, exceptionsOn).map((a) => a.id)).toEqual(['other-day', 'touching']);
    expect(appointmentsLeftOutside(appts, current, next).map((a) => a.id)).toEqual(['covered', 'other-day', 'touching']);
  });

  it('reports an appointment the new hours split across two intervals', () => {
    const next = normalizeWeek({ monday: [iv('09:00', '10:30'), iv('10:30', '12:00'), iv('14:00', '18:00')] });
    const appts = [{ id: 'x', date: '2025-01-20', ...iv('10:00', '11:00') }];
    expect(appointmentsLeftOutside(appts, current, next)).toEqual(appts);
  });

  it('the same schedule leaves nobody outside', () => {
    const appts = [
      { date: '2025-01-20', ...iv('09:00', '12:00') },
      { date: '2025-01-21', ...iv('16:00', '17:00') },
      { date: '2025-01-25', ...iv('16:00', '17:00') },
    ];
    expect(appointmentsLeftOutside(appts, current, current)).toEqual([]);
  });

  it('reports exactly the appointments that go from inside to outside (property)', () => {
    const span = fc
      .tuple(fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 24 }))
      .map(([a, b]): Interval => ({ start: Math.min(a, b) * 60, end: Math.max(a, b) * 60 }));
    const appt = fc.tuple(fc.integer({ min: 20, max: 26 }), span).map(([day, s]) => ({ date: `2025-01-${day}`, ...s }));
    fc.assert(
      fc.property(fc.array(span, { maxLength: 3 }), fc.array(span, { maxLength: 3 }), fc.array(appt, { maxLength: 6 }), (oldMon, newMon, appts) => {
        const before = normalizeWeek({ monday: oldMon });
        const after = normalizeWeek({ monday: newMon });
        const inside = (hours: Interval[], a: Interval) => hours.some((h) => h.start <= a.start && a.end <= h.end);
        const expected = appts.filter((a) => a.date === '2025-01-20' && inside(oldMon, a) && !inside(newMon, a));
        expect(appointmentsLeftOutside(appts, before, after)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});

describe('appointmentsCoveredBy', () => {
  const appts = [
    { id: 'a', ...iv('09:00', '10:00') },
    { id: 'b', ...iv('10:00', '11:00') },
    { id: 'c', ...iv('14:00', '15:00') },
  ];

  it('returns the appointments an exception overlaps, not those it only touches', () => {
    expect(appointmentsCoveredBy(appts, iv('10:30', '14:00')).map((a) => a.id)).toEqual(['b']);
    expect(appointmentsCoveredBy(appts, iv('09:59', '14:01')).map((a) => a.id)).toEqual(['a', 'b', 'c']);
    expect(appointmentsCoveredBy(appts, iv('11:00', '14:00'))).toEqual([]);
  });

  it('an all-day exception covers every appointment of the day', () => {
    expect(appointmentsCoveredBy(appts, { start: 0, end: MINUTES_PER_DAY })).toEqual(appts);
  });
});
