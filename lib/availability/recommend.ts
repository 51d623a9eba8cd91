import { type Interval, mergeIntervals, sortIntervals } from './intervals';
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
  /** the end of the latest appointment ending at or before the stretch's start; -Infinity if none */
  appointmentBefore: number;
  /** the start of the earliest appointment starting at or after the stretch's end; Infinity if none */
  appointmentAfter: number;
  /** the free starts inside it, in order */
  starts: number[];
}

/**
 * The recommended starts among the day's free starts (`slots`, computeSlots(req) when left out, as
 * computeSlots gives them: sorted): a set of start minutes, each one of the free starts.
 *
 * A start's waste is worked out only where the rule needs it: from each end of a stretch inward to
 * its first start that wastes nothing; every start only on a day where none wastes nothing.
 */
export function recommendStarts(req: RecommendRequest, slots: readonly Interval[] = computeSlots(req)): Set<number> {
  const out = new Set<number>();
  if (slots.length === 0) return out;
  const { profile } = req;
  const d = req.durationMinutes;
  const before = req.bufferBeforeMinutes ?? 0;
  const after = req.bufferAfterMinutes ?? 0;
  const booked = merged(req.appointments);
  const taken = req.exceptions.length === 0 ? booked : merged([...req.exceptions, ...booked]);
  const earliest = req.earliestStart ?? 0;

  const stretches: Stretch[] = [];
  for (const w of isSorted(req.working) ? req.working : sortIntervals(req.working)) {
    let cursor = Math.max(w.start, earliest);
    for (const t of taken) {
      if (cursor >= w.end || t.start >= w.end) break;
      if (t.end <= cursor) continue;
      if (t.start > cursor) stretches.push(stretchOf(booked, cursor, t.start, w.start));
      cursor = Math.max(cursor, t.end);
    }
    if (cursor < w.end) stretches.push(stretchOf(booked, cursor, w.end, w.start));
  }

  // Each free start into its stretch: both are in order, and a stretch ending before a start's
  // end holds neither it nor any later one.
  let p = 0;
  for (const slot of slots) {
    const s = slot.start;
    while (p < stretches.length && stretches[p]!.end < s + d) p++;
    const g = p < stretches.length && stretches[p]!.start <= s ? stretches[p] : stretches.find((x) => x.start <= s && s + d <= x.end);
    g?.starts.push(s); // none: not a free start of this day, nothing to say about it
  }

  const asked: Asked = { profile, d, before, after };

  // The usual day: some start wastes nothing, so the least waste is none; each stretch's first and
  // last such start are found from its ends inward.
  for (const g of stretches) {
    const starts = g.starts;
    let i = 0;
    while (i < starts.length && waste(asked, g, starts[i]!) > 0) i++;
    if (i === starts.length) continue;
    let j = starts.length - 1;
    while (j > i && waste(asked, g, starts[j]!) > 0) j--;
    out.add(starts[i]!);
    out.add(starts[j]!);
  }
  if (out.size > 0) return out;

  // Every start wastes something: the least waste of the day, first and last of each stretch.
  const wastes = stretches.map((g) => g.starts.map((s) => waste(asked, g, s)));
  let least = Infinity;
  for (const list of wastes) for (const w of list) if (w < least) least = w;
  stretches.forEach((g, k) => {
    const list = wastes[k]!;
    const first = list.indexOf(least);
    if (first < 0) return;
    out.add(g.starts[first]!);
    out.add(g.starts[list.lastIndexOf(least)]!);
  });
  return out;
}

/**
 * Whether enough of the clinic's bookings were of types that fit the gap [gapStart, gapEnd) (free
 * minutes of a working interval whose grid starts at `origin`), with appointments ending at
 * `appointmentBefore` on its left and starting at `appointmentAfter` on its right (±Infinity: none).
 */
function fillable(
  profile: FillProfile,
  origin: number,
  gapStart: number,
  gapEnd: number,
  appointmentBefore: number,
  appointmentAfter: number,
): boolean {
  let share = 0;
  let any = false;
  for (const t of profile.fillers) {
    if (!(t.durationMinutes > 0) || !(t.stepMinutes > 0)) continue;
    const lowest = Math.max(gapStart, appointmentBefore + t.bufferBeforeMinutes);
    const latestEnd = Math.min(gapEnd, appointmentAfter - t.bufferAfterMinutes);
    const start = lowest <= origin ? origin : origin + Math.ceil((lowest - origin) / t.stepMinutes) * t.stepMinutes;
    if (start + t.durationMinutes <= latestEnd) {
      any = true;
      share += t.share;
    }
  }
  return any && share > 0 && share >= profile.minShare - 1e-9;
}

interface Asked {
  profile: FillProfile;
  d: number;
  before: number;
  after: number;
}

/** The unfillable minutes that booking the asked type at `s` leaves in its stretch `g`. */
function waste(asked: Asked, g: Stretch, s: number): number {
  let minutes = 0;
  const leftEnd = Math.max(g.start, s - asked.before);
  if (leftEnd > g.start && !fillable(asked.profile, g.origin, g.start, leftEnd, g.appointmentBefore, s)) minutes += leftEnd - g.start;
  const rightStart = Math.min(g.end, s + asked.d + asked.after);
  if (rightStart < g.end && !fillable(asked.profile, g.origin, rightStart, g.end, s + asked.d, g.appointmentAfter)) minutes += g.end - rightStart;
  return minutes;
}

/** A stretch [start, end) of a working interval starting at `origin`, with its neighbouring appointments. */
function stretchOf(booked: readonly Interval[], start: number, end: number, origin: number): Stretch {
  let appointmentBefore = -Infinity;
  let appointmentAfter = Infinity;
  for (const a of booked) {
    if (a.end <= start) appointmentBefore = a.end;
    else if (a.start >= end) {
      appointmentAfter = a.start;
      break;
    }
  }
  return { start, end, origin, appointmentBefore, appointmentAfter, starts: [] };
}

/** mergeIntervals, without its sort when the spans come in order (as a day's rows mostly do). */
function merged(intervals: readonly Interval[]): Interval[] {
  if (!isSorted(intervals)) return mergeIntervals(intervals);
  const out: Interval[] = [];
  for (const i of intervals) {
    if (i.start >= i.end) continue;
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ start: i.start, end: i.end });
  }
  return out;
}

function isSorted(intervals: readonly Interval[]): boolean {
  for (let i = 1; i < intervals.length; i++) if (intervals[i - 1]!.start > intervals[i]!.start) return false;
  return true;
}
