import { describe, it, expect } from 'vitest';
import type { Interval } from './intervals';
import { computeSlots, earliestStartOn, type SlotRequest, withinWorkingHours } from './slots';
import { formatTime, MINUTES_PER_DAY, parseTime } from './time';

const t = (hhmm: string): number => {
  const m = parseTime(hhmm);
  if (m === null) throw new Error(`bad time ${hhmm}`);
  return m;
};
const iv = (from: string, to: string): Interval => ({ start: t(from), end: t(to) });
const starts = (slots: readonly Interval[]) => slots.map((s) => formatTime(s.start));

/** Dr. Chen's Monday: 09:00-12:00 and 14:00-18:00. */
const CHEN_MONDAY = [iv('09:00', '12:00'), iv('14:00', '18:00')];

function request(overrides: Partial<SlotRequest>): SlotRequest {
  return {
    working: CHEN_MONDAY,
    exceptions: [],
    appointments: [],
    durationMinutes: 60,
    stepMinutes: 60,
    earliestStart: null,
    ...overrides,
  };
}

describe('computeSlots — the design flows', () => {
  it("Dr. Chen's Monday, 60-minute type, without bookings: every hour that fits", () => {
    expect(starts(computeSlots(request({})))).toEqual(['09:00', '10:00', '11:00', '14:00', '15:00', '16:00', '17:00']);
  });

  it('an appointment 10:00-11:00 and an exception 17:00-18:00 remove those slots', () => {
    const slots = computeSlots(request({ appointments: [iv('10:00', '11:00')], exceptions: [iv('17:00', '18:00')] }));
    expect(starts(slots)).toEqual(['09:00', '11:00', '14:00', '15:00', '16:00']);
    for (const s of slots) expect(s.end - s.start).toBe(60);
  });

  it('a 30-minute type with clinic step 15 offers overlapping slots on the 15-minute grid', () => {
    const slots = computeSlots(request({ working: [iv('09:00', '10:00')], durationMinutes: 30, stepMinutes: 15, appointments: [] }));
    expect(starts(slots)).toEqual(['09:00', '09:15', '09:30']);
    expect(slots[2]).toEqual(iv('09:30', '10:00'));
  });

  it('step 15 around an appointment: slots touch it but never overlap it', () => {
    const slots = computeSlots(
      request({ working: [iv('09:00', '11:00')], durationMinutes: 30, stepMinutes: 15, appointments: [iv('10:00', '10:15')] }),
    );
    expect(starts(slots)).toEqual(['09:00', '09:15', '09:30', '10:15', '10:30']);
  });

  it('a 10-minute after-buffer removes the slot that ends just when an appointment starts', () => {
    const base = request({ appointments: [iv('11:00', '12:00')] });
    expect(starts(computeSlots(base))).toContain('10:00');
    const buffered = computeSlots({ ...base, bufferAfterMinutes: 10 });
    expect(starts(buffered)).toEqual(['09:00', '14:00', '15:00', '16:00', '17:00']);
  });

  it('a before-buffer removes the slot that starts just when an appointment ends', () => {
    const base = request({ appointments: [iv('14:00', '15:00')] });
    expect(starts(computeSlots(base))).toContain('15:00');
    const buffered = computeSlots({ ...base, bufferBeforeMinutes: 5 });
    expect(starts(buffered)).toEqual(['09:00', '10:00', '11:00', '16:00', '17:00']);
  });

  it('buffers do not keep slots clear of exceptions or of the working interval edges', () => {
    const slots = computeSlots(request({ exceptions: [iv('10:00', '11:00')], bufferBeforeMinutes: 30, bufferAfterMinutes: 30 }));
    expect(starts(slots)).toEqual(['09:00', '11:00', '14:00', '15:00', '16:00', '17:00']);
  });

  it('a buffer exactly as long as the gap still fits (touching is fine)', () => {
    const slots = computeSlots(
      request({ working: [iv('09:00', '12:00')], appointments: [iv('10:10', '11:00')], bufferAfterMinutes: 10, stepMinutes: 60 }),
    );
    expect(starts(slots)).toEqual(['09:00', '11:00']);
  });

  it('an all-day exception leaves no slots', () => {
    expect(computeSlots(request({ exceptions: [{ start: 0, end: MINUTES_PER_DAY }] }))).toEqual([]);
  });

  it('earliestStart cuts the morning', () => {
    expect(starts(computeSlots(request({ earliestStart: t('10:30') })))).toEqual(['11:00', '14:00', '15:00', '16:00', '17:00']);
    expect(starts(computeSlots(request({ earliestStart: t('11:00') })))).toEqual(['11:00', '14:00', '15:00', '16:00', '17:00']);
    expect(starts(computeSlots(request({ earliestStart: 0 })))).toHaveLength(7);
    expect(computeSlots(request({ earliestStart: MINUTES_PER_DAY }))).toEqual([]);
  });

  it('a grid that does not reach the interval end offers only what fits', () => {
    const slots = computeSlots(request({ working: [iv('09:00', '10:45')], durationMinutes: 60, stepMinutes: 60 }));
    expect(slots).toEqual([iv('09:00', '10:00')]);
  });

  it('the grid starts at each interval start, not at the hour', () => {
    const slots = computeSlots(request({ working: [iv('09:10', '11:10'), iv('13:45', '15:00')] }));
    expect(starts(slots)).toEqual(['09:10', '10:10', '13:45']);
  });

  it('an appointment type longer than any interval has no slots', () => {
    expect(computeSlots(request({ durationMinutes: 241 }))).toEqual([]);
    expect(computeSlots(request({ durationMinutes: 240, stepMinutes: 15 }))).toEqual([iv('14:00', '18:00')]);
  });

  it('a slot never spans two touching working intervals', () => {
    const slots = computeSlots(request({ working: [iv('09:00', '09:30'), iv('09:30', '10:00')], durationMinutes: 60 }));
    expect(slots).toEqual([]);
  });

  it('a working interval ending at 24:00 offers the last slot of the day', () => {
    const slots = computeSlots(request({ working: [iv('22:00', '24:00')] }));
    expect(slots).toEqual([iv('22:00', '23:00'), iv('23:00', '24:00')]);
  });

  it('no day off and no duration: nothing', () => {
    expect(computeSlots(request({ working: [] }))).toEqual([]);
    expect(computeSlots(request({ durationMinutes: 0 }))).toEqual([]);
    expect(computeSlots(request({ stepMinutes: 0 }))).toEqual([]);
  });

  it('returns sorted slots without duplicates even when working intervals are given out of order', () => {
    const slots = computeSlots(request({ working: [iv('14:00', '16:00'), iv('09:00', '11:00')] }));
    expect(starts(slots)).toEqual(['09:00', '10:00', '14:00', '15:00']);
  });
});

describe('earliestStartOn', () => {
  const now = { date: '2025-01-20', minutes: t('10:15') };

  it('is now + notice today, the whole day tomorrow, nothing yesterday', () => {
    expect(earliestStartOn('2025-01-20', now, 0)).toBe(t('10:15'));
    expect(earliestStartOn('2025-01-20', now, 120)).toBe(t('12:15'));
    expect(earliestStartOn('2025-01-21', now, 120)).toBeNull();
    expect(earliestStartOn('2025-01-19', now, 0)).toBe(MINUTES_PER_DAY);
  });

  it('a notice crossing midnight: now 23:30, notice 60 → today is past, tomorrow from 00:30', () => {
    const late = { date: '2025-01-20', minutes: t('23:30') };
    expect(earliestStartOn('2025-01-20', late, 60)).toBe(MINUTES_PER_DAY);
    expect(earliestStartOn('2025-01-21', late, 60)).toBe(t('00:30'));
    expect(earliestStartOn('2025-01-22', late, 60)).toBeNull();
  });

  it('a notice reaching exactly midnight opens the next day from 00:00', () => {
    const late = { date: '2025-01-20', minutes: t('23:00') };
    expect(earliestStartOn('2025-01-20', late, 60)).toBe(MINUTES_PER_DAY);
    const next = earliestStartOn('2025-01-21', late, 60);
    expect(next === null || next === 0).toBe(true);
  });

  it('a 48-hour notice blocks two whole days and part of the third', () => {
    expect(earliestStartOn('2025-01-21', now, 48 * 60)).toBe(MINUTES_PER_DAY);
    expect(earliestStartOn('2025-01-22', now, 48 * 60)).toBe(t('10:15'));
    expect(earliestStartOn('2025-01-23', now, 48 * 60)).toBeNull();
    const late = { date: '2025-01-20', minutes: t('23:30') };
    expect(earliestStartOn('2025-01-22', late, 48 * 60)).toBe(t('23:30'));
  });

  it('crosses month and year ends', () => {
    const nye = { date: '2024-12-31', minutes: t('22:00') };
    expect(earliestStartOn('2025-01-01', nye, 180)).toBe(t('01:00'));
    expect(earliestStartOn('2024-12-31', nye, 180)).toBe(MINUTES_PER_DAY);
  });

  it('feeds computeSlots: tomorrow with a notice crossing midnight', () => {
    const late = { date: '2025-01-19', minutes: t('23:30') };
    const earliest = earliestStartOn('2025-01-20', late, 10 * 60); // until 09:30 Monday
    expect(starts(computeSlots(request({ earliestStart: earliest })))).toEqual(['10:00', '11:00', '14:00', '15:00', '16:00', '17:00']);
  });
});

describe('withinWorkingHours', () => {
  it('needs one interval to hold the whole span', () => {
    expect(withinWorkingHours(CHEN_MONDAY, iv('09:00', '12:00'))).toBe(true);
    expect(withinWorkingHours(CHEN_MONDAY, iv('11:30', '14:30'))).toBe(false);
    expect(withinWorkingHours([iv('09:00', '10:00'), iv('10:00', '11:00')], iv('09:30', '10:30'))).toBe(false);
    expect(withinWorkingHours([], iv('09:00', '10:00'))).toBe(false);
  });
});
