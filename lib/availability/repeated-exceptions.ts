import { addDays, dayOfWeek } from '../time/dates';
import { dowToWeekday, type Weekday } from './weekly-schedule';

// "You blocked Wednesdays 14:00–18:00 4 times. Make it repeat every week?" (issue 16 item 4): which
// single exceptions look like a weekly habit. Pure: the settings page hands in the practitioner's
// single exceptions and the clinic's today.

/** A single (not recurring) exception; times `HH:MM`, both null = all day. */
export interface SingleException {
  exceptionId: number;
  date: string;
  start: string | null;
  end: string | null;
}

export interface RepeatSuggestion {
  weekday: Weekday;
  start: string | null;
  end: string | null;
  /** distinct dates blocked, oldest first; the weekly series would start on the first */
  dates: string[];
  /** every single exception the series would replace (two on one date both go) */
  exceptionIds: number[];
}

/** How far back a habit is looked for: the last 8 weeks and everything ahead. */
export const REPEAT_LOOKBACK_DAYS = 56;
/** A habit is one still kept: its latest date is at most two weeks ago (or ahead). */
export const REPEAT_STALE_DAYS = 14;
/** Blocked this many times (distinct dates) on one weekday with one span makes a suggestion. */
export const REPEAT_MIN_COUNT = 3;

/**
 * The weekday-and-hours groups of single exceptions blocked on at least REPEAT_MIN_COUNT distinct
 * dates since REPEAT_LOOKBACK_DAYS before `today`, the latest no older than REPEAT_STALE_DAYS: most
 * dates first, then the earliest start. Exceptions before the lookback are neither counted nor
 * replaced.
 */
export function findRepeatedExceptions(exceptions: readonly SingleException[], today: string): RepeatSuggestion[] {
  const since = addDays(today, -REPEAT_LOOKBACK_DAYS);
  const stale = addDays(today, -REPEAT_STALE_DAYS);
  const groups = new Map<string, { weekday: Weekday; start: string | null; end: string | null; dates: Set<string>; ids: number[] }>();
  for (const e of exceptions) {
    if (e.date < since) continue;
    const weekday = dowToWeekday(dayOfWeek(e.date));
    const key = `${weekday} ${e.start ?? ''}-${e.end ?? ''}`;
    const group = groups.get(key) ?? { weekday, start: e.start, end: e.end, dates: new Set<string>(), ids: [] };
    group.dates.add(e.date);
    group.ids.push(e.exceptionId);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((g) => ({ weekday: g.weekday, start: g.start, end: g.end, dates: [...g.dates].sort(), exceptionIds: [...g.ids].sort((a, b) => a - b) }))
    .filter((g) => g.dates.length >= REPEAT_MIN_COUNT && g.dates[g.dates.length - 1]! >= stale)
    .sort((a, b) => b.dates.length - a.dates.length || a.dates[0]!.localeCompare(b.dates[0]!) || (a.start ?? '').localeCompare(b.start ?? ''));
}

/** The RRULE of the weekly series a suggestion becomes (RFC 5545 BYDAY codes). */
export function weeklyRule(weekday: Weekday): string {
  return `FREQ=WEEKLY;BYDAY=${weekday.slice(0, 2).toUpperCase()}`;
}

/** What a dismissal remembers: the weekday and the span, so the same habit is not suggested again. */
export function repeatSuggestionKey(s: Pick<RepeatSuggestion, 'weekday' | 'start' | 'end'>): string {
  return `${s.weekday} ${s.start ?? 'all-day'}-${s.end ?? ''}`;
}
