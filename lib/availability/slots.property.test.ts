import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Interval } from './intervals';
import { computeSlots, type SlotRequest } from './slots';
import { MINUTES_PER_DAY } from './time';

// Everything here is checked against the CONTRACT "Slots" wording, by brute force, without the
// engine's own helpers (no overlaps/contains/mergeIntervals imported).

const span = fc
  .tuple(fc.integer({ min: 0, max: MINUTES_PER_DAY }), fc.integer({ min: 0, max: MINUTES_PER_DAY }))
  .map(([a, b]): Interval => ({ start: Math.min(a, b), end: Math.max(a, b) }));

/** A busy span (appointment or exception), often short, like the real ones. */
const busySpan = fc
  .tuple(fc.integer({ min: 0, max: MINUTES_PER_DAY - 1 }), fc.integer({ min: 1, max: 240 }))
  .map(([start, len]): Interval => ({ start, end: Math.min(MINUTES_PER_DAY, start + len) }));

const slotRequest = fc.record({
  working: fc.array(span, { maxLength: 4 }),
  exceptions: fc.array(fc.oneof(busySpan, span), { maxLength: 3 }),
  appointments: fc.array(busySpan, { maxLength: 5 }),
  durationMinutes: fc.integer({ min: 5, max: 240 }),
  stepMinutes: fc.integer({ min: 5, max: 120 }),
  bufferBeforeMinutes: fc.integer({ min: 0, max: 60 }),
  bufferAfterMinutes: fc.integer({ min: 0, max: 60 }),
  earliestStart: fc.option(fc.integer({ min: 0, max: MINUTES_PER_DAY }), { nil: null }),
}) satisfies fc.Arbitrary<SlotRequest>;

/** Some minute lies in both [a1, a2) and [b1, b2). */
const share = (a1: number, a2: number, b1: number, b2: number) => Math.max(a1, b1) < Math.min(a2, b2);

/** Working intervals holding [s, s + d) with s on their grid. */
const gridHolders = (req: SlotRequest, s: number) =>
  req.working.filter((w) => w.start <= s && s + req.durationMinutes <= w.end && (s - w.start) % req.stepMinutes === 0);

/** The contract's slot rule for a start minute, checked directly. */
function isValidSlotStart(req: SlotRequest, s: number): boolean {
  const d = req.durationMinutes;
  if (gridHolders(req, s).length === 0) return false;
  if (req.earliestStart !== null && s < req.earliestStart) return false;
  if (req.exceptions.some((e) => share(s, s + d, e.start, e.end))) return false;
  const before = req.bufferBeforeMinutes ?? 0;
  const after = req.bufferAfterMinutes ?? 0;
  return !req.appointments.some((a) => share(s - before, s + d + after, a.start, a.end));
}

const RUNS = { numRuns: 300 };

describe('computeSlots properties', () => {
  it('(a) every slot lies wholly inside one working interval', () => {
    fc.assert(
      fc.property(slotRequest, (req) => {
        for (const slot of computeSlots(req)) expect(req.working.some((w) => w.start <= slot.start && slot.end <= w.end)).toBe(true);
      }),
      RUNS,
    );
  });

  it('(b) every slot starts on the grid of a working interval holding it', () => {
    fc.assert(
      fc.property(slotRequest, (req) => {
        for (const slot of computeSlots(req)) expect(gridHolders(req, slot.start).length).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });

  it('(c) no slot overlaps any exception', () => {
    fc.assert(
      fc.property(slotRequest, (req) => {
        for (const slot of computeSlots(req)) for (const e of req.exceptions) expect(share(slot.start, slot.end, e.start, e.end)).toBe(false);
      }),
      RUNS,
    );
  });

  it('(d) no slot widened by its buffers overlaps any appointment', () => {
    fc.assert(
      fc.property(slotRequest, (req) => {
        for (const slot of computeSlots(req))
          for (const a of req.appointments) {
            const from = slot.start - req.bufferBeforeMinutes;
            const to = slot.end + req.bufferAfterMinutes;
            expect(share(from, to, a.start, a.end)).toBe(false);
          }
      }),
      RUNS,
    );
  });

  it('(e) slots are strictly increasing, without duplicates, each exactly the duration long', () => {
    fc.assert(
      fc.property(slotRequest, (req) => {
        const slots = computeSlots(req);
        for (const slot of slots) {
          expect(Number.isInteger(slot.start)).toBe(true);
          expect(slot.end - slot.start).toBe(req.durationMinutes);
        }
        for (let k = 1; k < slots.length; k++) expect(slots[k]!.start).toBeGreaterThan(slots[k - 1]!.start);
      }),
      RUNS,
    );
  });

  it('(f) no slot starts before earliestStart', () => {
    fc.assert(
      fc.property(slotRequest, (req) => {
        if (req.earliestStart === null) return;
        for (const slot of computeSlots(req)) expect(slot.start).toBeGreaterThanOrEqual(req.earliestStart);
      }),
      RUNS,
    );
  });

  it('(g) completeness: exactly the minutes of the day that satisfy every rule are offered', () => {
    fc.assert(
      fc.property(slotRequest, (req) => {
        const expected: number[] = [];
        for (let s = 0; s <= MINUTES_PER_DAY; s++) if (isValidSlotStart(req, s)) expected.push(s);
        expect(computeSlots(req).map((slot) => slot.start)).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('(h) with nothing booked, no exception and no notice, the slots are exactly the grid starts that fit', () => {
    const free = fc.record({
      working: fc.array(span, { maxLength: 4 }),
      durationMinutes: fc.integer({ min: 5, max: 240 }),
      stepMinutes: fc.integer({ min: 5, max: 120 }),
    });
    fc.assert(
      fc.property(free, ({ working, durationMinutes: d, stepMinutes: step }) => {
        const expected = new Set<number>();
        for (const w of working) for (let k = 0; w.start + k * step + d <= w.end; k++) expected.add(w.start + k * step);
        const slots = computeSlots({ working, exceptions: [], appointments: [], durationMinutes: d, stepMinutes: step, earliestStart: null });
        expect(slots).toEqual([...expected].sort((a, b) => a - b).map((s) => ({ start: s, end: s + d })));
      }),
      RUNS,
    );
  });

  it('buffers default to 0: omitting them equals passing 0', () => {
    fc.assert(
      fc.property(slotRequest, (req) => {
        const { working, exceptions, appointments, durationMinutes, stepMinutes, earliestStart } = req;
        const rest: SlotRequest = { working, exceptions, appointments, durationMinutes, stepMinutes, earliestStart };
        expect(computeSlots(rest)).toEqual(computeSlots({ ...req, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 }));
      }),
      RUNS,
    );
  });

  it('more constraints never add slots (monotone in appointments, exceptions, buffers and notice)', () => {
    fc.assert(
      fc.property(slotRequest, busySpan, fc.integer({ min: 0, max: 30 }), (req, extra, more) => {
        const base = new Set(computeSlots(req).map((s) => s.start));
        const tighter = [
          { ...req, appointments: [...req.appointments, extra] },
          { ...req, exceptions: [...req.exceptions, extra] },
          { ...req, bufferBeforeMinutes: req.bufferBeforeMinutes + more, bufferAfterMinutes: req.bufferAfterMinutes + more },
          { ...req, earliestStart: (req.earliestStart ?? 0) + more },
        ];
        for (const r of tighter) for (const s of computeSlots(r)) expect(base.has(s.start)).toBe(true);
      }),
      RUNS,
    );
  });
});
