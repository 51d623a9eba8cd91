import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expandSeries, firstOccurrence, formatRecurrence, parseRecurrence, seriesLastDate, splitSeries, type RecurrenceRule } from './recurrence';

// The expansion checked against a brute force written from RFC 5545's tables, day by day, with
// plain UTC date arithmetic and none of the module's helpers (nor the rrule package).

const DAY = 86_400_000;
const toDate = (s: string) => new Date(`${s}T00:00:00Z`);
const fmt = (d: Date) => d.toISOString().slice(0, 10);
const daysInMonth = (y: number, m0: number) => new Date(Date.UTC(y, m0 + 1, 0)).getUTCDate();
const daysInYear = (y: number) => (new Date(Date.UTC(y, 1, 29)).getUTCMonth() === 1 ? 366 : 365);

/** Does day `d` (a candidate of its period) satisfy the rule's BY parts and defaults? */
function matches(rule: RecurrenceRule, start: Date, d: Date): boolean {
  const y = d.getUTCFullYear();
  const m0 = d.getUTCMonth();
  const md = d.getUTCDate();
  const wd = d.getUTCDay();
  if (rule.byMonth.length && !rule.byMonth.includes(m0 + 1)) return false;
  if (rule.byMonthDay.length) {
    const dim = daysInMonth(y, m0);
    if (!rule.byMonthDay.some((n) => (n > 0 ? n === md : dim + n + 1 === md))) return false;
  }
  if (rule.byDay.length) {
    const inYear = rule.freq === 'YEARLY' && rule.byMonth.length === 0;
    const ok = rule.byDay.some((b) => {
      if (b.weekday !== wd) return false;
      if (b.nth === null) return true;
      let index: number;
      let length: number;
      if (inYear) {
        index = Math.round((d.getTime() - Date.UTC(y, 0, 1)) / DAY) + 1;
        length = daysInYear(y);
      } else {
        index = md;
        length = daysInMonth(y, m0);
      }
      const fromStart = Math.floor((index - 1) / 7) + 1;
      const fromEnd = -(Math.floor((length - index) / 7) + 1);
      return b.nth === fromStart || b.nth === fromEnd;
    });
    if (!ok) return false;
  }
  // Defaults taken from the start when the rule names no day.
  const namesDay = rule.byDay.length > 0 || rule.byMonthDay.length > 0;
  if (!namesDay) {
    if (rule.freq === 'WEEKLY' && wd !== start.getUTCDay()) return false;
    if (rule.freq === 'MONTHLY' && md !== start.getUTCDate()) return false;
    if (rule.freq === 'YEARLY') {
      if (md !== start.getUTCDate()) return false;
      if (rule.byMonth.length === 0 && m0 !== start.getUTCMonth()) return false;
    }
  }
  return true;
}

/** Is `d` in a period the interval keeps (counted from the start's period)? */
function inPeriod(rule: RecurrenceRule, start: Date, d: Date): boolean {
  const mondayOf = (x: Date) => x.getTime() - ((x.getUTCDay() + 6) % 7) * DAY;
  let n: number;
  if (rule.freq === 'DAILY') n = Math.round((d.getTime() - start.getTime()) / DAY);
  else if (rule.freq === 'WEEKLY') n = Math.round((mondayOf(d) - mondayOf(start)) / (7 * DAY));
  else if (rule.freq === 'MONTHLY') n = (d.getUTCFullYear() - start.getUTCFullYear()) * 12 + d.getUTCMonth() - start.getUTCMonth();
  else n = d.getUTCFullYear() - start.getUTCFullYear();
  return n % rule.interval === 0;
}

function bruteForce(rule: RecurrenceRule, start: string, exdates: string[], from: string, to: string): string[] {
  const out: string[] = [];
  const s = toDate(start);
  let seen = 0;
  for (let t = s.getTime(); t <= toDate(to).getTime(); t += DAY) {
    const d = new Date(t);
    const day = fmt(d);
    if (rule.until !== null && day > rule.until) break;
    if (!inPeriod(rule, s, d) || !matches(rule, s, d)) continue;
    seen += 1;
    if (rule.count !== null && seen > rule.count) break;
    if (day >= from && !exdates.includes(day)) out.push(day);
  }
  return out;
}

const dateIn = (min: string, days: number) => fc.integer({ min: 0, max: days }).map((n) => fmt(new Date(toDate(min).getTime() + n * DAY)));
const subset = <T>(items: T[], max: number) => fc.uniqueArray(fc.constantFrom(...items), { maxLength: max });
const weekdays = [0, 1, 2, 3, 4, 5, 6];

const ruleArb: fc.Arbitrary<RecurrenceRule> = fc
  .record({
    freq: fc.constantFrom('DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY' as const),
    interval: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 4 })),
    plainDays: subset(weekdays, 3),
    nthDays: fc.uniqueArray(fc.record({ weekday: fc.constantFrom(...weekdays), nth: fc.constantFrom(1, 2, 3, 4, 5, -1, -2) }), {
      maxLength: 2,
      selector: (b) => `${b.nth}${b.weekday}`,
    }),
    monthDays: subset([1, 2, 13, 15, 28, 29, 30, 31, -1, -2, -7], 2),
    months: subset([1, 2, 3, 6, 9, 12], 3),
    end: fc.oneof(
      fc.constant({ count: null, until: null }),
      fc.integer({ min: 1, max: 40 }).map((count) => ({ count, until: null })),
      dateIn('2026-01-01', 1200).map((until) => ({ count: null, until })),
    ),
    useMonthDays: fc.boolean(),
    useMonths: fc.boolean(),
  })
  .map((r): RecurrenceRule => ({
    freq: r.freq,
    interval: r.interval,
    // Numbered and plain weekdays are not mixed in one rule (refused by parseRecurrence).
    byDay: (r.freq === 'MONTHLY' || r.freq === 'YEARLY') && r.nthDays.length > 0 ? r.nthDays : r.plainDays.map((weekday) => ({ weekday, nth: null })),
    byMonthDay: r.useMonthDays && r.freq !== 'WEEKLY' ? r.monthDays : [],
    byMonth: r.useMonths ? r.months : [],
    count: r.end.count,
    until: r.end.until,
  }))
  // Only rules parseRecurrence accepts (it refuses combinations that could never fall on a date).
  .filter((rule) => parseRecurrence(formatRecurrence(rule)).ok);

describe('recurrence expansion', () => {
  it('equals a brute-force day-by-day expansion for random rules, ranges and deleted dates', () => {
    fc.assert(
      fc.property(
        ruleArb,
        dateIn('2026-01-01', 700),
        dateIn('2026-01-01', 1000),
        fc.integer({ min: 0, max: 400 }),
        fc.array(dateIn('2026-01-01', 1200), { maxLength: 6 }),
        (rule, start, from, length, exdates) => {
          const to = fmt(new Date(toDate(from).getTime() + length * DAY));
          // The canonical text reads back as the same rule: what is stored is what was meant.
          const parsed = parseRecurrence(formatRecurrence(rule));
          expect(parsed.ok && parsed.rule).toEqual(rule);
          const got = expandSeries({ start, rule: formatRecurrence(rule), exdates }, from, to);
          expect(got).toEqual(bruteForce(rule, start, exdates, from, to));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('series_until is the last occurrence of a COUNT or UNTIL rule (none after it, it is one)', () => {
    fc.assert(
      fc.property(ruleArb, dateIn('2026-01-01', 700), (rule, start) => {
        const last = seriesLastDate(start, rule);
        if (rule.count === null && rule.until === null) {
          expect(last).toBeNull();
          return;
        }
        const all = bruteForce(rule, start, [], start, '2031-12-31');
        // A sparse COUNT rule may end after the brute force's horizon: then only later than it.
        if (rule.count !== null && all.length < rule.count) expect(last === null || last > '2031-12-31').toBe(true);
        else expect(last).toBe(all.length ? all[all.length - 1] : null);
      }),
      { numRuns: 150 },
    );
  });

  it('a split at an occurrence keeps exactly the dates before it and starts the rest on it', () => {
    fc.assert(
      fc.property(ruleArb, dateIn('2026-01-01', 400), fc.nat(), (rule, start, pick) => {
        const all = bruteForce(rule, start, [], start, '2029-12-31');
        if (all.length === 0) return;
        const at = all[pick % all.length]!;
        const { before, after } = splitSeries(start, rule, at);
        const kept = before ? expandSeries({ start, rule: before }, start, '2029-12-31') : [];
        expect(kept).toEqual(all.filter((d) => d < at));
        const rest = expandSeries({ start: at, rule: after }, at, '2029-12-31');
        expect(rest).toEqual(all.filter((d) => d >= at));
      }),
      { numRuns: 150 },
    );
  });

  it('the first occurrence is the first brute-force date, or none', () => {
    fc.assert(
      fc.property(ruleArb, dateIn('2026-01-01', 700), (rule, start) => {
        const all = bruteForce(rule, start, [], start, '2035-12-31');
        if (all.length) expect(firstOccurrence(start, rule)).toBe(all[0]);
      }),
      { numRuns: 100 },
    );
  });
});
