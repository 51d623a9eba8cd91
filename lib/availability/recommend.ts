import { type Interval, mergeIntervals, subtractIntervals } from './intervals';
import { computeSlots, type SlotRequest } from './slots';

/*
 * Recommended starts (issue 15, item 4; CONTRACT "Recommended starts"): which of a practitioner-day's
 * free starts keep the day compact. Pure: the day, the asked type and the clinic's fill profile in,
 * a set of start minutes out.
 *
 * THE RULE
 *
 * 1. Free time. A *stretch* is a maximal run of free minutes inside one working interval: not in an
 *    exception or busy time, not in a confirmed appointment, not before the day's earliest start
 *    (now + notice). Working intervals are disjoint, as saved. Every free start [s, s + d) lies in
 *    exactly one stretch.
 *
 * 2. What a start leaves. Booking the asked type at s takes its own minutes and its buffers:
 *    [s − before, s + d + after), clipped to the stretch. What is left of the stretch are at most two
 *    *gaps*: [stretch start, s − before) and [s + d + after, stretch end). An empty gap is no gap.
 *
 * 3. A gap is *fillable* when a *filler* type could still be booked wholly inside it, by the engine's
 *    own rule (computeSlots) with the new appointment in place: on its working interval's grid
 *    (start + k × step, step = the clinic's slot step, else that type's duration), its own buffers
 *    clear of every appointment (the new one included). The fillers and how much each counts come
 *    from the clinic's *fill profile* (fillProfile below):
 *    - with history (at least MIN_HISTORY confirmed appointments of the clinic's types in use over
 *      the last 180 days, lib/queries/gap-history.ts), each type counts by its share of those
 *      appointments, and a gap is fillable only when the types that fit it together had at least
 *      RARELY_FILLED_SHARE of the bookings: a gap only a rarely booked type fits is as good as lost;
 *    - without enough history, a gap is fillable when any type in use fits it (a gap shorter than
 *      the shortest bookable type never is).
 *
 * 4. The *waste* of a start is the total length of the gaps it leaves that are not fillable.
 *
 * 5. Recommended: among the free starts whose waste is the smallest of the day (zero whenever any
 *    free start wastes nothing), the first and the last of each stretch. A start right after an
 *    appointment, or right before one, or at the edge of working hours, an exception or the notice
 *    limit is the first or last start of its stretch; when such a start would leave a lost gap, the
 *    nearest start of that stretch that leaves none takes its place. A day without appointments thus
 *    recommends the starts at the edges of its working intervals.
 *
 * The guarantee (lib/availability/recommend.property.test.ts, against computeSlots by brute force):
 * a recommended start never leaves an unfillable gap when another free start of the day would not,
 * and every recommended start is a free start; a day with free starts has at least one recommended.
 */

/** Enough history to trust shares: fewer bookings than this and every type in use counts. */
export const MIN_HISTORY = 20;
/** With history, a gap that only types with less than this share of the bookings fit is lost. */
export const RARELY_FILLED_SHARE = 0.1;

/** A type that may fill a gap later, with the share of the clinic's bookings it had. */
export interface FillerType {
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  /** the grid step its slots use: the clinic's slot step, else its duration */
  stepMinutes: number;
  /** 0..1; the shares of a profile's fillers add up to 1 (or all are 0 when there are none) */
  share: number;
}

export interface FillProfile {
  fillers: readonly FillerType[];
  /** a gap is fillable when the shares of the fillers that fit it add up to more than 0 and to at least this */
  minShare: number;
  /** whether the shares come from the clinic's history (else every type in use counts the same) */
  learned: boolean;
}

export interface ProfileType {
  id: number;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

/**
 * The clinic's fill profile from its types in use and how many confirmed appointments each had in
 * the history window (by type id; types no longer in use are ignored).
 */
export function fillProfile(types: readonly ProfileType[], bookedByType: ReadonlyMap<number, number>, clinicStepMinutes: number | null): FillProfile {
  const counts = types.map((t) => Math.max(0, bookedByType.get(t.id) ?? 0));
  const total = counts.reduce((a, b) => a + b, 0);
  const learned = total >= MIN_HISTORY;
  const fillers = types.map((t, i): FillerType => ({
    durationMinutes: t.durationMinutes,
    bufferBeforeMinutes: t.bufferBeforeMinutes,
    bufferAfterMinutes: t.bufferAfterMinutes,
    stepMinutes: clinicStepMinutes ?? t.durationMinutes,
    share: learned ? counts[i]! / total : 1 / types.length,
  }));
  return { fillers, minShare: learned ? RARELY_FILLED_SHARE : 0, learned };
}

export interface RecommendRequest extends SlotRequest {
  profile: FillProfile;
}

interface Stretch extends Interval {
  /** the start of its working interval: the grid's origin */
  origin: number;
}

/**
 * The recommended starts among the day's free starts (`slots`, computeSlots(req) when left out):
 * a set of start minutes, each one of the free starts.
 */
export function recommendStarts(req: RecommendRequest, slots: readonly Interval[] = computeSlots(req)): Set<number> {
  const out = new Set<number>();
  if (slots.length === 0) return out;
  const d = req.durationMinutes;
  const before = req.bufferBeforeMinutes ?? 0;
  const after = req.bufferAfterMinutes ?? 0;
  const booked = mergeIntervals(req.appointments);
  const taken = [...req.exceptions, ...req.appointments];
  const earliest = req.earliestStart ?? 0;
  const stretches: Stretch[] = [];
  for (const w of req.working) {
    const from = Math.max(w.start, earliest);
    if (from >= w.end) continue;
    for (const g of subtractIntervals([{ start: from, end: w.end }], taken)) stretches.push({ ...g, origin: w.start });
  }

  const scored: Array<{ start: number; stretch: Stretch; waste: number }> = [];
  for (const slot of slots) {
    const s = slot.start;
    const stretch =
      stretches.find((g) => g.start <= s && s + d <= g.end && (s - g.origin) % req.stepMinutes === 0) ??
      stretches.find((g) => g.start <= s && s + d <= g.end);
    if (!stretch) continue; // not a free start of this day: nothing to say about it
    let waste = 0;
    const leftEnd = Math.max(stretch.start, s - before);
    if (
      leftEnd > stretch.start &&
      !fillable(req.profile, stretch.origin, { start: stretch.start, end: leftEnd }, lastEndAtOrBefore(booked, stretch.start), s)
    ) {
      waste += leftEnd - stretch.start;
    }
    const rightStart = Math.min(stretch.end, s + d + after);
    if (
      rightStart < stretch.end &&
      !fillable(req.profile, stretch.origin, { start: rightStart, end: stretch.end }, s + d, firstStartAtOrAfter(booked, stretch.end))
    ) {
      waste += stretch.end - rightStart;
    }
    scored.push({ start: s, stretch, waste });
  }
  if (scored.length === 0) return out;
  const least = Math.min(...scored.map((x) => x.waste));
  const best = new Map<Stretch, { first: number; last: number }>();
  for (const x of scored) {
    if (x.waste !== least) continue;
    const seen = best.get(x.stretch);
    if (!seen) best.set(x.stretch, { first: x.start, last: x.start });
    else {
      seen.first = Math.min(seen.first, x.start);
      seen.last = Math.max(seen.last, x.start);
    }
  }
  for (const { first, last } of best.values()) {
    out.add(first);
    out.add(last);
  }
  return out;
}

/**
 * Whether enough of the clinic's bookings were of types that fit `gap` (free minutes of a working
 * interval whose grid starts at `origin`), with appointments ending at `appointmentBefore` on its
 * left and starting at `appointmentAfter` on its right (±Infinity: none).
 */
function fillable(profile: FillProfile, origin: number, gap: Interval, appointmentBefore: number, appointmentAfter: number): boolean {
  let share = 0;
  let any = false;
  for (const t of profile.fillers) {
    if (!(t.durationMinutes > 0) || !(t.stepMinutes > 0)) continue;
    const lowest = Math.max(gap.start, appointmentBefore + t.bufferBeforeMinutes);
    const latestEnd = Math.min(gap.end, appointmentAfter - t.bufferAfterMinutes);
    const start = lowest <= origin ? origin : origin + Math.ceil((lowest - origin) / t.stepMinutes) * t.stepMinutes;
    if (start + t.durationMinutes <= latestEnd) {
      any = true;
      share += t.share;
    }
  }
  return any && share > 0 && share >= profile.minShare - 1e-9;
}

/** The latest end of the (merged, sorted) appointments ending at or before `minute`; -Infinity if none. */
function lastEndAtOrBefore(booked: readonly Interval[], minute: number): number {
  let end = -Infinity;
  for (const a of booked) {
    if (a.end <= minute) end = a.end;
    else break;
  }
  return end;
}

/** The earliest start of the (merged, sorted) appointments starting at or after `minute`; Infinity if none. */
function firstStartAtOrAfter(booked: readonly Interval[], minute: number): number {
  for (const a of booked) if (a.start >= minute) return a.start;
  return Infinity;
}
