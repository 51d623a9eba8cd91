import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays } from '../time/dates';
import {
  cancellationWindowPassed,
  dayRuleOf,
  effectiveBookingWindow,
  effectiveMinNotice,
  patientLimitReached,
  type ClinicBookingRules,
  type TypeBookingRules,
} from './booking-rules';
import type { Interval } from './intervals';
import { slotReason, slotRequestOf, type SlotCheckRequest } from './slot-reason';
import { computeSlots, earliestStartOn } from './slots';
import { staffStartCheck } from './staff-override';
import { MINUTES_PER_DAY } from './time';

const today = '2031-03-05';

describe('booking window', () => {
  const clinic: ClinicBookingRules = { minNoticeMinutes: 0, bookingWindowDays: 10 };
  it('refuses the first date after today + N and allows today + N', () => {
    expect(dayRuleOf(addDays(today, 10), today, clinic, {}, 0)).toBeUndefined();
    expect(dayRuleOf(addDays(today, 11), today, clinic, {}, 0)).toBe('beyond_booking_window');
    expect(dayRuleOf(today, today, { ...clinic, bookingWindowDays: 0 }, {}, 0)).toBeUndefined();
    expect(dayRuleOf(addDays(today, 1), today, { ...clinic, bookingWindowDays: 0 }, {}, 0)).toBe('beyond_booking_window');
  });
  it('takes the type’s window over the clinic’s, the clinic’s when the type has none; null is no limit', () => {
    expect(effectiveBookingWindow(clinic, { bookingWindowDays: 3 })).toBe(3);
    expect(dayRuleOf(addDays(today, 4), today, clinic, { bookingWindowDays: 3 }, 0)).toBe('beyond_booking_window');
    expect(dayRuleOf(addDays(today, 3), today, clinic, { bookingWindowDays: 3 }, 0)).toBeUndefined();
    // A type may allow further ahead than the clinic.
    expect(dayRuleOf(addDays(today, 30), today, clinic, { bookingWindowDays: 30 }, 0)).toBeUndefined();
    expect(effectiveBookingWindow(clinic, { bookingWindowDays: null })).toBe(10);
    expect(dayRuleOf(addDays(today, 5000), today, { minNoticeMinutes: 0, bookingWindowDays: null }, {}, 0)).toBeUndefined();
  });
});

describe('maximum appointments per day', () => {
  it('refuses at the maximum and allows one below; null is no limit', () => {
    const clinic: ClinicBookingRules = { minNoticeMinutes: 0, maxAppointmentsPerDay: 3 };
    expect(dayRuleOf(today, today, clinic, {}, 2)).toBeUndefined();
    expect(dayRuleOf(today, today, clinic, {}, 3)).toBe('day_full');
    expect(dayRuleOf(today, today, { minNoticeMinutes: 0, maxAppointmentsPerDay: null }, {}, 500)).toBeUndefined();
  });
  it('names the booking window first when both apply', () => {
    expect(dayRuleOf(addDays(today, 2), today, { minNoticeMinutes: 0, bookingWindowDays: 1, maxAppointmentsPerDay: 1 }, {}, 1)).toBe(
      'beyond_booking_window',
    );
  });
});

describe('minimum notice per type', () => {
  it('takes the type’s notice over the clinic’s (smaller or larger), the clinic’s when the type has none', () => {
    const clinic: ClinicBookingRules = { minNoticeMinutes: 60 };
    expect(effectiveMinNotice(clinic, {})).toBe(60);
    expect(effectiveMinNotice(clinic, { minNoticeMinutes: null })).toBe(60);
    expect(effectiveMinNotice(clinic, { minNoticeMinutes: 0 })).toBe(0);
    expect(effectiveMinNotice(clinic, { minNoticeMinutes: 240 })).toBe(240);
  });
  it('refuses a start one minute inside the type’s notice as too_soon and offers the one at its end', () => {
    const now = { date: today, minutes: 9 * 60 };
    const type: TypeBookingRules = { minNoticeMinutes: 120 };
    const req: SlotCheckRequest = {
      working: [{ start: 0, end: MINUTES_PER_DAY }],
      exceptions: [],
      appointments: [],
      held: [],
      durationMinutes: 30,
      stepMinutes: 1,
      earliestStart: earliestStartOn(today, now, effectiveMinNotice({ minNoticeMinutes: 0 }, type)),
      notPastFrom: earliestStartOn(today, now, 0),
    };
    expect(slotReason(req, 11 * 60 - 1)).toBe('too_soon');
    expect(slotReason(req, 11 * 60)).toBeUndefined();
  });
});

describe('patient limit and cancellation deadline', () => {
  it('refuses a patient at the maximum of upcoming appointments, allows one below; null is no limit', () => {
    expect(patientLimitReached(1, 2)).toBe(false);
    expect(patientLimitReached(2, 2)).toBe(true);
    expect(patientLimitReached(99, null)).toBe(false);
  });
  it('refuses an agent cancellation one minute inside the deadline and allows it at the deadline; null is no deadline', () => {
    expect(cancellationWindowPassed(24 * 60 - 1, 24)).toBe(true);
    expect(cancellationWindowPassed(24 * 60, 24)).toBe(false);
    expect(cancellationWindowPassed(-30, null)).toBe(false);
    expect(cancellationWindowPassed(0, 0)).toBe(false);
  });
});

const busySpan = fc
  .tuple(fc.integer({ min: 0, max: MINUTES_PER_DAY - 1 }), fc.integer({ min: 1, max: 240 }))
  .map(([start, len]): Interval => ({ start, end: Math.min(MINUTES_PER_DAY, start + len) }));
const span = fc
  .tuple(fc.integer({ min: 0, max: MINUTES_PER_DAY }), fc.integer({ min: 0, max: MINUTES_PER_DAY }))
  .map(([a, b]): Interval => ({ start: Math.min(a, b), end: Math.max(a, b) }));

describe('slotReason with booking rules', () => {
  it('is undefined exactly for the starts the engine offers, and names the rule on a closed date', () => {
    fc.assert(
      fc.property(
        fc.record({
          working: fc.array(span, { maxLength: 3 }),
          exceptions: fc.array(busySpan, { maxLength: 2 }),
          appointments: fc.array(busySpan, { maxLength: 4 }),
          held: fc.array(busySpan, { maxLength: 2 }),
          durationMinutes: fc.integer({ min: 5, max: 240 }),
          stepMinutes: fc.integer({ min: 5, max: 120 }),
          daysAhead: fc.integer({ min: 0, max: 20 }),
          nowMinutes: fc.integer({ min: 0, max: MINUTES_PER_DAY - 1 }),
          clinicNotice: fc.integer({ min: 0, max: 600 }),
          typeNotice: fc.option(fc.integer({ min: 0, max: 600 }), { nil: null }),
          clinicWindow: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }),
          typeWindow: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }),
          maxPerDay: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
        }),
        (g) => {
          const date = addDays(today, g.daysAhead);
          const now = { date: today, minutes: g.nowMinutes };
          const clinic: ClinicBookingRules = {
            minNoticeMinutes: g.clinicNotice,
            bookingWindowDays: g.clinicWindow,
            maxAppointmentsPerDay: g.maxPerDay,
          };
          const type: TypeBookingRules = { minNoticeMinutes: g.typeNotice, bookingWindowDays: g.typeWindow };
          const dayRule = dayRuleOf(date, today, clinic, type, g.appointments.length);
          const req: SlotCheckRequest = {
            working: g.working,
            exceptions: g.exceptions,
            appointments: g.appointments,
            held: g.held,
            durationMinutes: g.durationMinutes,
            stepMinutes: g.stepMinutes,
            earliestStart: earliestStartOn(date, now, effectiveMinNotice(clinic, type)),
            notPastFrom: earliestStartOn(date, now, 0),
            dayRule,
          };
          const offered = new Set(computeSlots(slotRequestOf(req)).map((s) => s.start));
          if (dayRule) expect(offered.size).toBe(0);
          for (let start = 0; start <= MINUTES_PER_DAY; start++) {
            const reason = slotReason(req, start);
            if ((reason === undefined) !== offered.has(start)) throw new Error(`start ${start}: reason ${reason}, offered ${offered.has(start)}`);
            if (dayRule && reason !== 'past' && reason !== 'too_soon') expect(reason).toBe(dayRule);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('staffStartCheck with booking rules', () => {
  it('warns about a closed date (staff may confirm) and says nothing of rules on an open one', () => {
    const req = {
      start: 600,
      durationMinutes: 30,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      working: [{ start: 540, end: 720 }],
      blocked: [],
      appointments: [],
      notPastFrom: null,
      earliestStart: null,
      stepMinutes: 30,
    };
    expect(staffStartCheck(req)).toEqual({ reasons: [] });
    expect(staffStartCheck({ ...req, dayRule: 'day_full' })).toEqual({ reasons: ['day_full'] });
    expect(staffStartCheck({ ...req, dayRule: 'beyond_booking_window' })).toEqual({ reasons: ['beyond_booking_window'] });
  });
});
