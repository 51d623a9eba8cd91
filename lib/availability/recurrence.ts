import * as rruleModule from 'rrule';
import type { Options, RRule as RRuleType } from 'rrule';

// rrule ships CommonJS for Node (named exports only behind `default` when a tsx script imports it as
// ESM: prepare-db, clinic:create, the import) and ES modules for bundlers (named exports): take
// whichever this loader gives.
const rrulePkg = ((rruleModule as unknown as { default?: typeof rruleModule }).default ?? rruleModule) as typeof rruleModule;
const RRule = rrulePkg.RRule;
type RRule = RRuleType;
const RRuleWeekday = rrulePkg.Weekday;
import { addDays, dayOfWeek, daysBetween } from '../time/dates';
import { formatRecurrence, parseRecurrence, type RecurrenceRule } from './recurrence-rule';

export * from './recurrence-rule';

// Recurring exceptions (issue 16): a series is a start date (its calendar event's `date`, RFC 5545
// DTSTART) and a rule (an RRULE value). Everything here works on local DATES of the clinic: the
// `rrule` package is given UTC-midnight Date objects and has no time zone, so its "floating" dates
// are read back with their UTC parts and no zone can shift a day. Occurrences are expanded on read,
// never stored.

/** How far ahead a series' first date is looked for: a rule that never falls in it is refused. */
const FIRST_OCCURRENCE_YEARS = 40;

function ruleOf(rule: RecurrenceRule | string): RecurrenceRule {
  if (typeof rule !== 'string') return rule;
  const parsed = parseRecurrence(rule);
  if (!parsed.ok) throw new RangeError(`Invalid recurrence ${rule}: ${parsed.message}`);
  return parsed.rule;
}

const utc = (date: string) => new Date(`${date}T00:00:00.000Z`);
const dateOf = (d: Date) => d.toISOString().slice(0, 10);
const FREQ = { DAILY: RRule.DAILY, WEEKLY: RRule.WEEKLY, MONTHLY: RRule.MONTHLY, YEARLY: RRule.YEARLY } as const;

// Building an RRule is not free and the same few series are read by every slot answer, so their
// instances are kept (bounded). The package's own answer cache is off: it keeps every range ever
// asked in a list searched one by one, which would only grow in a long-running server.
const compiled = new Map<string, RRule>();
const COMPILED_MAX = 2000;

function compile(start: string, rule: RecurrenceRule): RRule {
  const key = `${start}|${formatRecurrence(rule)}`;
  const hit = compiled.get(key);
  if (hit) return hit;
  const options: Partial<Options> = {
    freq: FREQ[rule.freq],
    interval: rule.interval,
    dtstart: utc(start),
    wkst: RRule.MO,
    byweekday: rule.byDay.length ? rule.byDay.map((d) => new RRuleWeekday((d.weekday + 6) % 7, d.nth ?? undefined)) : null,
    bymonthday: rule.byMonthDay.length ? rule.byMonthDay : null,
    bymonth: rule.byMonth.length ? rule.byMonth : null,
    count: rule.count,
    until: rule.until ? utc(rule.until) : null,
  };
  const rrule = new RRule(options, true);
  if (compiled.size >= COMPILED_MAX) compiled.delete(compiled.keys().next().value!);
  compiled.set(key, rrule);
  return rrule;
}

export interface Series {
  /** DTSTART: the local date the series starts on */
  start: string;
  rule: RecurrenceRule | string;
  /** deleted occurrences (EXDATE) */
  exdates?: readonly string[];
}

/**
 * The local dates of a series' occurrences within [from, to] (both included), oldest first,
 * without its deleted ones. Like the `rrule` package (and unlike a strict reading of RFC 5545),
 * the start date counts only if the rule falls on it; services store series whose start does.
 */
export function expandSeries(series: Series, from: string, to: string): string[] {
  if (to < from || to < series.start) return [];
  const moved = fastForward(series.start, ruleOf(series.rule), from);
  const rrule = compile(moved.start, moved.rule);
  const lower = from < series.start ? series.start : from;
  const dates = rrule.between(utc(lower), utc(to), true).map(dateOf);
  if (!series.exdates || series.exdates.length === 0) return dates;
  const deleted = new Set(series.exdates);
  return dates.filter((d) => !deleted.has(d));
}

/**
 * The same series started later: the `rrule` package walks every period from DTSTART, so a weekly
 * series begun two years ago costs a hundred periods on every read of this week. A rule without
 * COUNT (which counts from the true start) repeats the same way from the first day of any period its
 * INTERVAL keeps (a Monday for weeks, as WKST=MO), once what DTSTART implied (its weekday, day of the
 * month, month) is written into the rule. Checked against the brute force in the property tests.
 */
function fastForward(start: string, rule: RecurrenceRule, from: string): { start: string; rule: RecurrenceRule } {
  if (rule.count !== null || from <= start) return { start, rule };
  const [sy, sm, sd] = start.split('-').map(Number) as [number, number, number];
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const namesDay = rule.byDay.length > 0 || rule.byMonthDay.length > 0;
  const explicit: RecurrenceRule = { ...rule };
  let aligned: string;
  if (rule.freq === 'DAILY') {
    aligned = addDays(start, Math.floor(daysBetween(start, from) / rule.interval) * rule.interval);
  } else if (rule.freq === 'WEEKLY') {
    if (!rule.byDay.length) explicit.byDay = [{ weekday: dayOfWeek(start), nth: null }];
    const monday = addDays(start, -((dayOfWeek(start) + 6) % 7));
    aligned = addDays(monday, Math.floor(daysBetween(monday, from) / (7 * rule.interval)) * 7 * rule.interval);
  } else if (rule.freq === 'MONTHLY') {
    if (!namesDay) explicit.byMonthDay = [sd];
    const months = Math.floor(((fy - sy) * 12 + fm - sm) / rule.interval) * rule.interval;
    aligned = new Date(Date.UTC(sy, sm - 1 + months, 1)).toISOString().slice(0, 10);
  } else {
    if (!namesDay) {
      explicit.byMonthDay = [sd];
      if (!rule.byMonth.length) explicit.byMonth = [sm];
    }
    aligned = `${String(sy + Math.floor((fy - sy) / rule.interval) * rule.interval).padStart(4, '0')}-01-01`;
  }
  return aligned <= start ? { start, rule } : { start: aligned, rule: explicit };
}

/** Whether `date` is an occurrence of the series (a deleted one is not). */
export function isOccurrence(series: Series, date: string): boolean {
  return expandSeries(series, date, date).length === 1;
}

/** The first date on or after `start` that the rule falls on, or null when it never does (in 40 years or its end). */
export function firstOccurrence(start: string, rule: RecurrenceRule | string): string | null {
  const r = compile(start, ruleOf(rule));
  const limit = utc(addDays(start, FIRST_OCCURRENCE_YEARS * 366));
  const [first] = r.between(utc(start), limit, true, (_d, i) => i < 1);
  return first ? dateOf(first) : null;
}

/**
 * The last date an occurrence can fall on (deleted ones included), from UNTIL or the COUNT-th
 * occurrence; null for a series without end. Stored as `series_until`: range reads filter on it.
 */
export function seriesLastDate(start: string, rule: RecurrenceRule | string): string | null {
  const r = ruleOf(rule);
  if (r.count === null && r.until === null) return null;
  const rrule = compile(start, r);
  if (r.count !== null) {
    const all = rrule.all();
    return all.length ? dateOf(all[all.length - 1]!) : null;
  }
  const last = rrule.before(utc(r.until!), true);
  return last && dateOf(last) >= start ? dateOf(last) : null;
}

/** How many occurrences (deleted ones included) fall before `date`. */
function countBefore(start: string, rule: RecurrenceRule, date: string): number {
  if (date <= start) return 0;
  return compile(start, rule).between(utc(start), utc(addDays(date, -1)), true).length;
}

/**
 * "This and following" cuts a series at `date`: the rule the old series keeps (ending the day
 * before; COUNT recomputed when the rule counts), or null when no occurrence is left before it;
 * and the rule of the rest from `date` on (COUNT reduced by the occurrences already had).
 */
export function splitSeries(start: string, rule: RecurrenceRule | string, date: string): { before: RecurrenceRule | null; after: RecurrenceRule } {
  const r = ruleOf(rule);
  const had = countBefore(start, r, date);
  const before: RecurrenceRule | null = had === 0 ? null : r.count !== null ? { ...r, count: had } : { ...r, until: addDays(date, -1) };
  const after: RecurrenceRule = r.count !== null ? { ...r, count: Math.max(1, r.count - had) } : r;
  return { before, after };
}
