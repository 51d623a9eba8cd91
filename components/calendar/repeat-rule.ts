import { formatRecurrence, parseRecurrence, type RecurrenceRule } from '@/lib/availability/recurrence-rule';
import { dayOfWeek } from '@/lib/time/dates';

// The exception sheet's Repeat choices (as Google Calendar's phone app offers them) as a plain form,
// to and from the RRULE the API takes, and a rule in words for the day and week views. No `rrule`
// package here: reading and writing a rule is lib/availability/recurrence-rule.ts.

export const REPEAT_KINDS = ['none', 'weekly', 'monthlyDay', 'monthlyNth', 'yearly'] as const;
export type RepeatKind = (typeof REPEAT_KINDS)[number] | 'custom';
export type RepeatEnds = 'never' | 'until' | 'count';

export interface RepeatForm {
  kind: RepeatKind;
  /** weekly: every N weeks */
  interval: number;
  /** weekly: 0 = Sunday … 6 = Saturday */
  weekdays: number[];
  ends: RepeatEnds;
  until: string;
  count: number;
  /** a rule the form cannot show (made through the API): kept as it is unless the kind changes */
  custom: string | null;
}

/** Which week of the month a date falls in, the way "the second Tuesday" counts (5th = the last). */
export function nthOfMonth(date: string): number {
  const n = Math.ceil(Number(date.slice(8, 10)) / 7);
  return n >= 5 ? -1 : n;
}

export function repeatFormOf(rule: string | null, date: string): RepeatForm {
  const base: RepeatForm = {
    kind: 'none',
    interval: 1,
    weekdays: [dayOfWeek(date)],
    ends: 'never',
    until: `${date.slice(0, 4)}-12-31`,
    count: 10,
    custom: null,
  };
  if (!rule) return base;
  const parsed = parseRecurrence(rule);
  if (!parsed.ok) return { ...base, kind: 'custom', custom: rule };
  const r = parsed.rule;
  const ends = {
    ends: (r.count !== null ? 'count' : r.until !== null ? 'until' : 'never') as RepeatEnds,
    until: r.until ?? base.until,
    count: r.count ?? base.count,
  };
  const plainDays = r.byDay.every((d) => d.nth === null);
  if (r.freq === 'WEEKLY' && !r.byMonthDay.length && !r.byMonth.length && plainDays) {
    return { ...base, ...ends, kind: 'weekly', interval: r.interval, weekdays: r.byDay.length ? r.byDay.map((d) => d.weekday) : base.weekdays };
  }
  const simpleMonthly = r.freq === 'MONTHLY' && r.interval === 1 && !r.byMonth.length;
  if (simpleMonthly && r.byMonthDay.length === 1 && !r.byDay.length) return { ...base, ...ends, kind: 'monthlyDay' };
  if (simpleMonthly && r.byDay.length === 1 && r.byDay[0]!.nth !== null && !r.byMonthDay.length) return { ...base, ...ends, kind: 'monthlyNth' };
  if (r.freq === 'YEARLY' && r.interval === 1 && !r.byDay.length && !r.byMonthDay.length && !r.byMonth.length)
    return { ...base, ...ends, kind: 'yearly' };
  return { ...base, ...ends, kind: 'custom', custom: rule };
}

/** The RRULE of the form for a series starting on `date`; null = does not repeat. */
export function ruleOfForm(form: RepeatForm, date: string): string | null {
  if (form.kind === 'none') return null;
  if (form.kind === 'custom') return form.custom;
  const rule: RecurrenceRule = { freq: 'WEEKLY', interval: 1, byDay: [], byMonthDay: [], byMonth: [], count: null, until: null };
  if (form.kind === 'weekly') {
    rule.interval = Math.max(1, Math.floor(form.interval) || 1);
    const days = form.weekdays.length ? [...form.weekdays] : [dayOfWeek(date)];
    // Monday first, as RRULE weeks (and Taiwan's calendars) run.
    rule.byDay = days.sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7)).map((weekday) => ({ weekday, nth: null }));
  } else if (form.kind === 'monthlyDay') {
    rule.freq = 'MONTHLY';
    rule.byMonthDay = [Number(date.slice(8, 10))];
  } else if (form.kind === 'monthlyNth') {
    rule.freq = 'MONTHLY';
    rule.byDay = [{ weekday: dayOfWeek(date), nth: nthOfMonth(date) }];
  } else rule.freq = 'YEARLY';
  if (form.ends === 'until' && form.until) rule.until = form.until;
  if (form.ends === 'count') rule.count = Math.max(1, Math.floor(form.count) || 1);
  return formatRecurrence(rule);
}

/** The calendar namespace's translator, as both next-intl's server and client ones can be passed. */
export type CalendarT = (key: string, values?: Record<string, string | number>) => string;

const weekdayName = (locale: string, dow: number, style: 'short' | 'long' | 'narrow') =>
  // 2023-01-01 was a Sunday; UTC so no zone shifts the day.
  new Intl.DateTimeFormat(locale, { weekday: style, timeZone: 'UTC' }).format(new Date(Date.UTC(2023, 0, 1 + dow)));

const dateWords = (locale: string, date: string) =>
  new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));

/** "Every week on Wed, until Dec 31, 2027" / 「每週三，直到 2027年12月31日」: a rule in the reader's words. */
export function repeatWords(rule: string, t: CalendarT, locale: string): string {
  const parsed = parseRecurrence(rule);
  if (!parsed.ok) return t('repeatCustom', { rule });
  const r = parsed.rule;
  const zh = locale.startsWith('zh');
  const days = r.byDay
    .filter((d) => d.nth === null)
    .map((d) => weekdayName(locale, d.weekday, zh ? 'narrow' : 'short'))
    .join(zh ? '、' : ', ');
  let words: string;
  if (r.freq === 'WEEKLY' && days && !r.byMonth.length) {
    words = r.interval === 1 ? t('repeatWordsWeekly', { days }) : t('repeatWordsWeeks', { n: r.interval, days });
  } else if (r.freq === 'MONTHLY' && r.interval === 1 && r.byMonthDay.length === 1 && !r.byDay.length && !r.byMonth.length) {
    words = t('repeatWordsMonthDay', { day: r.byMonthDay[0]! });
  } else if (r.freq === 'MONTHLY' && r.interval === 1 && r.byDay.length === 1 && r.byDay[0]!.nth !== null && !r.byMonth.length) {
    const nth = r.byDay[0]!.nth!;
    words = t('repeatWordsMonthNth', {
      nth: t(nth < 0 ? 'repeatNthLast' : `repeatNth${nth}`),
      weekday: weekdayName(locale, r.byDay[0]!.weekday, 'long'),
    });
  } else if (r.freq === 'YEARLY' && r.interval === 1 && !r.byDay.length && !r.byMonthDay.length && !r.byMonth.length) {
    words = t('repeatWordsYearly');
  } else if (r.freq === 'DAILY' && !r.byDay.length && !r.byMonthDay.length && !r.byMonth.length) {
    words = r.interval === 1 ? t('repeatWordsDaily') : t('repeatWordsDays', { n: r.interval });
  } else {
    return t('repeatCustom', { rule });
  }
  if (r.until) return t('repeatWordsUntil', { words, date: dateWords(locale, r.until) });
  if (r.count !== null) return t('repeatWordsCount', { words, count: r.count });
  return words;
}

/** The day and week grids' words of each rule their repeating exceptions have (drawn on the server). */
export function repeatsOf(
  days: Array<{ events: Array<{ type: string; recurrence?: string | null }> }>,
  t: CalendarT,
  locale: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of days) {
    for (const e of d.events)
      if (e.type === 'availability_exception' && e.recurrence && !(e.recurrence in out)) out[e.recurrence] = repeatWords(e.recurrence, t, locale);
  }
  return out;
}

/** An exception block's title: "Unavailable", and for an occurrence "↻" with its rule in words. */
export function exceptionTitle(unavailable: string, e: { recurrence?: string | null }, repeats: Record<string, string> | undefined): string {
  return e.recurrence ? `${unavailable} ↻ ${repeats?.[e.recurrence] ?? ''}`.trimEnd() : unavailable;
}
