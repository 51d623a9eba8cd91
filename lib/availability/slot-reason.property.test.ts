import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Interval } from './intervals';
import { MAX_ALTERNATIVES, nearestAlternatives, slotReason, slotRequestOf, type AlternativeStart, type SlotCheckRequest } from './slot-reason';
import { computeSlots } from './slots';
import { MINUTES_PER_DAY } from './time';

const span = fc
  .tuple(fc.integer({ min: 0, max: MINUTES_PER_DAY }), fc.integer({ min: 0, max: MINUTES_PER_DAY }))
  .map(([a, b]): Interval => ({ start: Math.min(a, b), end: Math.max(a, b) }));
const busySpan = fc
  .tuple(fc.integer({ min: 0, max: MINUTES_PER_DAY - 1 }), fc.integer({ min: 1, max: 240 }))
  .map(([start, len]): Interval => ({ start, end: Math.min(MINUTES_PER_DAY, start + len) }));

/** Now (without notice) and now + notice as the engine gets them: the first never after the second. */
const nowAndNotice = fc
  .tuple(fc.option(fc.integer({ min: 0, max: MINUTES_PER_DAY }), { nil: null }), fc.integer({ min: 0, max: 600 }))
  .map(([notPastFrom, notice]) => ({
    notPastFrom,
    earliestStart: notPastFrom === null ? (notice > 300 ? notice - 300 : null) : Math.min(MINUTES_PER_DAY, notPastFrom + notice),
  }));

const checkRequest: fc.Arbitrary<SlotCheckRequest> = fc
  .record({
    working: fc.array(span, { maxLength: 4 }),
    exceptions: fc.array(fc.oneof(busySpan, span), { maxLength: 3 }),
    appointments: fc.array(busySpan, { maxLength: 5 }),
    held: fc.array(busySpan, { maxLength: 3 }),
    durationMinutes: fc.integer({ min: 5, max: 240 }),
    stepMinutes: fc.integer({ min: 5, max: 120 }),
    bufferBeforeMinutes: fc.integer({ min: 0, max: 60 }),
    bufferAfterMinutes: fc.integer({ min: 0, max: 60 }),
    clock: nowAndNotice,
  })
  .map(({ clock, ...rest }) => ({ ...rest, ...clock }));

describe('slotReason', () => {
  it('is undefined exactly for the starts the engine offers (every minute of the day)', () => {
    fc.assert(
      fc.property(checkRequest, (req) => {
        const offered = new Set(computeSlots(slotRequestOf(req)).map((s) => s.start));
        for (let start = 0; start <= MINUTES_PER_DAY; start++) {
          const reason = slotReason(req, start);
          if ((reason === undefined) !== offered.has(start)) {
            throw new Error(`start ${start}: reason ${reason}, offered ${offered.has(start)}`);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('names the rule that refuses a start, in the documented order', () => {
    const base: SlotCheckRequest = {
      working: [{ start: 540, end: 720 }],
      exceptions: [{ start: 600, end: 630 }],
      appointments: [{ start: 660, end: 690 }],
      held: [{ start: 690, end: 720 }],
      durationMinutes: 30,
      stepMinutes: 30,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      notPastFrom: 500,
      earliestStart: 560,
    };
    expect(slotReason(base, 480)).toBe('past');
    expect(slotReason(base, 540)).toBe('too_soon');
    expect(slotReason(base, 570)).toBeUndefined();
    expect(slotReason(base, 585)).toBe('not_on_grid');
    expect(slotReason(base, 600)).toBe('exception');
    expect(slotReason(base, 660)).toBe('booked');
    expect(slotReason(base, 690)).toBe('held');
    expect(slotReason(base, 720)).toBe('outside_hours');
    // The type's buffers widen what a neighbour takes, for holds as for appointments.
    expect(slotReason({ ...base, bufferAfterMinutes: 15 }, 630)).toBe('booked');
    expect(slotReason({ ...base, appointments: [], bufferAfterMinutes: 15 }, 660)).toBe('held');
  });
});

describe('nearestAlternatives', () => {
  const candidate = fc.record({
    practitionerId: fc.integer({ min: 1, max: 4 }),
    date: fc.constantFrom('2031-03-05', '2031-03-06', '2031-03-07', '2031-03-12'),
    start: fc.integer({ min: 0, max: 1400 }),
  });
  it('keeps at most five, nearest first, never the asked start, all from the candidates', () => {
    fc.assert(
      fc.property(fc.array(candidate, { maxLength: 40 }), fc.integer({ min: 0, max: 1400 }), (raw, askedStart) => {
        const candidates: AlternativeStart[] = raw.map((c) => ({ ...c, end: c.start + 30 }));
        const asked = { practitionerId: 1, date: '2031-03-05', start: askedStart };
        const out = nearestAlternatives(asked, candidates);
        expect(out.length).toBeLessThanOrEqual(MAX_ALTERNATIVES);
        const distance = (c: AlternativeStart) => (Date.parse(c.date) - Date.parse(asked.date)) / 60000 + Math.abs(c.start - asked.start);
        for (let i = 1; i < out.length; i++) expect(distance(out[i]!)).toBeGreaterThanOrEqual(distance(out[i - 1]!));
        for (const c of out) {
          expect(candidates).toContainEqual(c);
          expect(c.practitionerId === 1 && c.date === asked.date && c.start === askedStart).toBe(false);
        }
        const eligible = candidates.filter((c) => !(c.practitionerId === 1 && c.date === asked.date && c.start === askedStart));
        expect(out.length).toBe(Math.min(MAX_ALTERNATIVES, eligible.length));
        // Nothing left out is nearer than the farthest kept.
        if (out.length > 0) {
          const worst = distance(out[out.length - 1]!);
          const kept = new Set(out);
          for (const c of eligible) if (!kept.has(c)) expect(distance(c)).toBeGreaterThanOrEqual(worst);
        }
      }),
      { numRuns: 300 },
    );
  });
});
