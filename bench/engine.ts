// In-process: the availability engine (computeSlots) on one day, against sorting that day's inputs.
import { performance } from 'node:perf_hooks';
import { computeSlots, type Interval, type SlotRequest } from '../lib/availability';
import { referenceSlots } from './reference';

/** A fixed shuffle (the engine must not rely on the order it is given). */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const span = (start: number, end: number): Interval => ({ start, end });

/** Two working intervals, eight appointments, one exception; 30-minute type on a 15-minute grid. */
export const TYPICAL_DAY: SlotRequest = {
  working: [span(540, 720), span(780, 1080)],
  appointments: shuffled(
    [span(540, 570), span(615, 645), span(690, 720), span(780, 840), span(885, 915), span(960, 975), span(1020, 1050), span(1065, 1080)],
    7,
  ),
  exceptions: [span(990, 1005)],
  durationMinutes: 30,
  stepMinutes: 15,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 5,
  earliestStart: null,
};

const denseAppointments: Interval[] = [];
for (let m = 480; m + 10 <= 1260; m += 15) if ((m / 15) % 4 !== 3) denseAppointments.push(span(m, m + 10));
const denseExceptions: Interval[] = [];
for (let m = 500; m < 1250; m += 64) denseExceptions.push(span(m, m + 7));

/** Three working intervals over 13 hours, 39 appointments, 12 exceptions; 10 minutes on a 5-minute grid. */
export const DENSE_DAY: SlotRequest = {
  working: [span(480, 720), span(780, 1020), span(1050, 1260)],
  appointments: shuffled(denseAppointments, 11),
  exceptions: shuffled(denseExceptions, 13),
  durationMinutes: 10,
  stepMinutes: 5,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 5,
  earliestStart: null,
};

const byStart = (a: Interval, b: Interval) => a.start - b.start;

/** What the engine is held against: copying and sorting the same three input arrays by start. */
function sortInputs(req: SlotRequest): number {
  const a = [...req.appointments].sort(byStart);
  const e = [...req.exceptions].sort(byStart);
  const w = [...req.working].sort(byStart);
  return a.length + e.length + w.length;
}

export interface EngineResult {
  label: string;
  engineNs: number;
  sortNs: number;
  ratio: number;
  slots: number;
  appointments: number;
  exceptions: number;
}

let sink = 0;

/** Iterations that take about `ms` milliseconds. */
function calibrate(fn: () => number, ms: number): number {
  let n = 64;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) sink += fn();
    if (performance.now() - t0 >= ms) return n;
    n *= 2;
  }
}

function sample(fn: () => number, n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sink += fn();
  return ((performance.now() - t0) * 1e6) / n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median nanoseconds per call of the engine and of the sort, samples interleaved in one run. */
export function benchEngine(label: string, req: SlotRequest, samples: number): EngineResult {
  const got = computeSlots(req);
  const want = referenceSlots(req);
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Error(
      `computeSlots disagrees with the contract's rule on the ${label} day:\n  engine    ${JSON.stringify(got)}\n  reference ${JSON.stringify(want)}`,
    );
  }
  const engine = () => computeSlots(req).length;
  const sort = () => sortInputs(req);
  const nEngine = calibrate(engine, 20);
  const nSort = calibrate(sort, 20);
  // Warm both up before the first sample counts.
  sample(engine, nEngine);
  sample(sort, nSort);
  const engineNs: number[] = [];
  const sortNs: number[] = [];
  for (let i = 0; i < samples; i++) {
    engineNs.push(sample(engine, Math.max(1, nEngine >> 2)));
    sortNs.push(sample(sort, Math.max(1, nSort >> 2)));
  }
  if (sink === -1) console.log(sink);
  const e = median(engineNs);
  const s = median(sortNs);
  return { label, engineNs: e, sortNs: s, ratio: e / s, slots: got.length, appointments: req.appointments.length, exceptions: req.exceptions.length };
}
