import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Interval } from './intervals';
import { fillProfile, recommendStarts, type FillProfile, type ProfileType, type RecommendRequest } from './recommend';
import { computeSlots } from './slots';

// Recommended starts against a brute-force oracle: for each free start, the appointment is really
// added to the day and the engine (computeSlots) is asked, for every filler type, for its slots on
// the new day; a gap left beside the new appointment (found minute by minute) is fillable when
// enough of the clinic's bookings were of types that have a slot wholly inside it.

/** Days of built clinics: disjoint working intervals, a few types (one asked), appointments,
 *  exceptions, a notice limit, and either no history or random counts per type. */
const day = fc
  .record({
    cuts: fc.uniqueArray(fc.integer({ min: 72, max: 264 }), { minLength: 2, maxLength: 6 }),
    types: fc.array(
      fc.record({
        durationMinutes: fc.integer({ min: 2, max: 24 }).map((n) => n * 5),
        bufferBeforeMinutes: fc.constantFrom(0, 0, 5, 10, 15),
        bufferAfterMinutes: fc.constantFrom(0, 0, 5, 10, 15),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    asked: fc.nat(),
    clinicStep: fc.constantFrom(null, 5, 10, 15, 30, 60),
    appointments: fc.array(
      fc
        .tuple(fc.integer({ min: 72, max: 270 }), fc.integer({ min: 2, max: 24 }))
        .map(([s, n]): Interval => ({ start: s * 5, end: Math.min(1440, (s + n) * 5) })),
      { maxLength: 5 },
    ),
    exceptions: fc.array(
      fc
        .tuple(fc.integer({ min: 72, max: 270 }), fc.integer({ min: 1, max: 24 }))
        .map(([s, n]): Interval => ({ start: s * 5, end: Math.min(1440, (s + n) * 5) })),
      { maxLength: 2 },
    ),
    earliest: fc.option(
      fc.integer({ min: 60, max: 270 }).map((n) => n * 5),
      { nil: null },
    ),
    history: fc.option(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 4, maxLength: 4 }), { nil: null }),
  })
  .map((r) => {
    const cuts = [...r.cuts].sort((a, b) => a - b).map((c) => c * 5);
    // Every other pair of cuts is a working interval: disjoint, sometimes touching none.
    const working: Interval[] = [];
    for (let i = 0; i + 1 < cuts.length; i += 2) working.push({ start: cuts[i]!, end: cuts[i + 1]! });
    const types: ProfileType[] = r.types.map((t, i) => ({ id: i + 1, ...t }));
    const asked = types[r.asked % types.length]!;
    const booked = new Map<number, number>(r.history ? types.map((t, i) => [t.id, r.history![i]!]) : []);
    const profile = fillProfile(types, booked, r.clinicStep);
    const req: RecommendRequest = {
      working,
      exceptions: r.exceptions,
      appointments: r.appointments,
      durationMinutes: asked.durationMinutes,
      stepMinutes: r.clinicStep ?? asked.durationMinutes,
      bufferBeforeMinutes: asked.bufferBeforeMinutes,
      bufferAfterMinutes: asked.bufferAfterMinutes,
      earliestStart: r.earliest,
      profile,
    };
    return req;
  });

const inside = (m: number, spans: readonly Interval[]) => spans.some((x) => x.start <= m && m < x.end);

/** The free run of minutes around the free start s (the stretch it lies in), minute by minute. */
function stretchOf(req: RecommendRequest, s: number): Interval {
  const w = req.working.find((x) => x.start <= s && s + req.durationMinutes <= x.end)!;
  const free = (m: number) =>
    m >= w.start && m < w.end && m >= (req.earliestStart ?? 0) && !inside(m, req.exceptions) && !inside(m, req.appointments);
  let start = s;
  while (free(start - 1)) start--;
  let end = s + req.durationMinutes;
  while (free(end)) end++;
  return { start, end };
}

/** Whether the gap could still be filled once [s, s + d) is booked, by the engine's own slots. */
function oracleFillable(req: RecommendRequest, profile: FillProfile, s: number, gap: Interval): boolean {
  const appointments = [...req.appointments, { start: s, end: s + req.durationMinutes }];
  let share = 0;
  let any = false;
  for (const t of profile.fillers) {
    const slots = computeSlots({ ...req, appointments, ...t });
    if (slots.some((x) => gap.start <= x.start && x.end <= gap.end)) {
      any = true;
      share += t.share;
    }
  }
  return any && share > 0 && share >= profile.minShare - 1e-9;
}

/** Minutes of the gaps beside the new appointment (and its buffers) that nothing could fill. */
function oracleWaste(req: RecommendRequest, s: number): number {
  const g = stretchOf(req, s);
  const left = { start: g.start, end: Math.max(g.start, s - (req.bufferBeforeMinutes ?? 0)) };
  const right = { start: Math.min(g.end, s + req.durationMinutes + (req.bufferAfterMinutes ?? 0)), end: g.end };
  let waste = 0;
  for (const gap of [left, right]) if (gap.end > gap.start && !oracleFillable(req, req.profile, s, gap)) waste += gap.end - gap.start;
  return waste;
}

const RUNS = { numRuns: 400 };

describe('recommendStarts properties', () => {
  it('every recommended start is a free start, and a day with free starts has at least one', () => {
    fc.assert(
      fc.property(day, (req) => {
        const starts = computeSlots(req).map((x) => x.start);
        const recommended = [...recommendStarts(req)];
        for (const r of recommended) expect(starts).toContain(r);
        expect(recommended.length > 0).toBe(starts.length > 0);
      }),
      RUNS,
    );
  });

  it('a recommended start never leaves an unfillable gap when another free start would not (nor more unfillable minutes)', () => {
    let withWasteFreeAlternative = 0;
    let everyStartWastes = 0;
    fc.assert(
      fc.property(day, (req) => {
        const starts = computeSlots(req).map((x) => x.start);
        if (starts.length === 0) return;
        const waste = new Map(starts.map((s) => [s, oracleWaste(req, s)]));
        const least = Math.min(...waste.values());
        if (least === 0 && [...waste.values()].some((w) => w > 0)) withWasteFreeAlternative++;
        if (least > 0) everyStartWastes++;
        for (const r of recommendStarts(req)) expect(waste.get(r)).toBe(least);
      }),
      RUNS,
    );
    // The runs did meet days where some starts would waste time and others would not, and days
    // where every start would (the least waste is then recommended).
    expect(withWasteFreeAlternative).toBeGreaterThan(20);
    expect(everyStartWastes).toBeGreaterThan(5);
  });

  it('recommends the starts next to appointments and edges: the first and last of each stretch among those wasting least', () => {
    fc.assert(
      fc.property(day, (req) => {
        const starts = computeSlots(req).map((x) => x.start);
        if (starts.length === 0) return;
        const waste = new Map(starts.map((s) => [s, oracleWaste(req, s)]));
        const least = Math.min(...waste.values());
        const best = starts.filter((s) => waste.get(s) === least);
        const byStretch = new Map<string, number[]>();
        for (const s of best) {
          const g = stretchOf(req, s);
          const key = `${g.start}-${g.end}`;
          byStretch.set(key, [...(byStretch.get(key) ?? []), s]);
        }
        const expected = new Set([...byStretch.values()].flatMap((list) => [Math.min(...list), Math.max(...list)]));
        expect([...recommendStarts(req)].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
      }),
      RUNS,
    );
  });

  it('a day with appointments recommends the start right after each one and right before the next when they waste nothing', () => {
    fc.assert(
      fc.property(day, (req) => {
        const starts = computeSlots(req).map((x) => x.start);
        const recommended = recommendStarts(req);
        const before = req.bufferBeforeMinutes ?? 0;
        const after = req.bufferAfterMinutes ?? 0;
        for (const s of starts) {
          const g = stretchOf(req, s);
          // Adjacent: nothing free between the appointment (and the start's buffer) and the start.
          const afterAppointment = req.appointments.some((a) => a.end === g.start) && s - before <= g.start;
          const beforeAppointment = req.appointments.some((a) => a.start === g.end) && s + req.durationMinutes + after >= g.end;
          if ((afterAppointment || beforeAppointment) && oracleWaste(req, s) === 0) expect(recommended.has(s)).toBe(true);
        }
      }),
      RUNS,
    );
  });
});
