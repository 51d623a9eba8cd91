// The contract's Slots rule written the plainest way (every grid start checked against every
// exception and appointment), kept here unchanged so that a faster engine in lib/availability is
// compared with the definition, not with itself.
import type { Interval, SlotRequest } from '../lib/availability';

const overlaps = (a: Interval, b: Interval) => a.start < a.end && b.start < b.end && a.start < b.end && b.start < a.end;

export function referenceSlots(req: SlotRequest): Interval[] {
  const { durationMinutes: d, stepMinutes: step } = req;
  if (!(d > 0) || !(step > 0)) return [];
  const before = req.bufferBeforeMinutes ?? 0;
  const after = req.bufferAfterMinutes ?? 0;
  const earliest = req.earliestStart ?? 0;
  const starts = new Set<number>();
  for (const w of req.working) {
    for (let start = w.start; start + d <= w.end; start += step) {
      if (start < earliest) continue;
      const slot = { start, end: start + d };
      const guarded = { start: start - before, end: start + d + after };
      if (req.exceptions.some((e) => overlaps(e, slot))) continue;
      if (req.appointments.some((a) => overlaps(a, guarded))) continue;
      starts.add(start);
    }
  }
  return [...starts].sort((a, b) => a - b).map((start) => ({ start, end: start + d }));
}
