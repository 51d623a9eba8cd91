import { parseDate } from '../time/dates';

// A recurring exception's rule (issue 16): an RFC 5545 RRULE value, read into a plain record and
// written back in one canonical form. No expansion here (that is recurrence.ts, with the `rrule`
// package), so the phone's exception sheet can read and word a rule without shipping it. Only the
// subset Google Calendar's own repeat menu writes is accepted; anything else is refused with a
// message the API sends as a 400.

export const RECURRENCE_FREQS = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
export type RecurrenceFreq = (typeof RECURRENCE_FREQS)[number];

/** RRULE weekday codes, index = day of week (0 = Sunday, as in `dayOfWeek`). */
export const RRULE_DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;

export interface RecurrenceByDay {
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  /** 2 = the second of the month (or year), -1 = the last; null = every one */
  nth: number | null;
}

export interface RecurrenceRule {
  freq: RecurrenceFreq;
  interval: number;
  byDay: RecurrenceByDay[];
  byMonthDay: number[];
  byMonth: number[];
  count: number | null;
  /** the last local date an occurrence may fall on (UNTIL as a date) */
  until: string | null;
}

export const MAX_RECURRENCE_COUNT = 1000;
export const MAX_RECURRENCE_INTERVAL = 365;

export type ParsedRecurrence = { ok: true; rule: RecurrenceRule } | { ok: false; message: string };

const fail = (message: string): ParsedRecurrence => ({ ok: false, message });

function intList(value: string, min: number, max: number, zeroAllowed = false): number[] | null {
  const out: number[] = [];
  for (const part of value.split(',')) {
    if (!/^[+-]?\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n < min || n > max || (n === 0 && !zeroAllowed)) return null;
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

/**
 * Reads an RRULE value (without `RRULE:` and without DTSTART), e.g. `FREQ=WEEKLY;BYDAY=WE;UNTIL=20271231`.
 * Accepted: FREQ (DAILY, WEEKLY, MONTHLY, YEARLY), INTERVAL, BYDAY (with an ordinal such as 2TU or
 * -1FR for MONTHLY and YEARLY), BYMONTHDAY, BYMONTH, and COUNT or UNTIL (a date, YYYYMMDD).
 */
export function parseRecurrence(text: string): ParsedRecurrence {
  if (typeof text !== 'string' || text.length === 0 || text.length > 300) return fail('Give a repeat rule such as FREQ=WEEKLY;BYDAY=WE');
  const body = text.toUpperCase().startsWith('RRULE:') ? text.slice(6) : text;
  const parts = new Map<string, string>();
  for (const part of body.split(';')) {
    const m = /^([A-Z]+)=([^=;]+)$/.exec(part.toUpperCase());
    if (!m) return fail(`"${part}" is not a NAME=VALUE part of a repeat rule`);
    if (parts.has(m[1]!)) return fail(`${m[1]} is given twice`);
    parts.set(m[1]!, m[2]!);
  }
  const known = new Set(['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'COUNT', 'UNTIL']);
  for (const key of parts.keys()) {
    if (!known.has(key)) return fail(`${key} is not supported (use FREQ, INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, COUNT or UNTIL)`);
  }
  const freq = parts.get('FREQ');
  if (!freq) return fail('FREQ is required');
  if (!(RECURRENCE_FREQS as readonly string[]).includes(freq)) return fail('FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY');
  const rule: RecurrenceRule = { freq: freq as RecurrenceFreq, interval: 1, byDay: [], byMonthDay: [], byMonth: [], count: null, until: null };

  const interval = parts.get('INTERVAL');
  if (interval !== undefined) {
    if (!/^\d{1,3}$/.test(interval) || Number(interval) < 1 || Number(interval) > MAX_RECURRENCE_INTERVAL) {
      return fail(`INTERVAL must be a whole number from 1 to ${MAX_RECURRENCE_INTERVAL}`);
    }
    rule.interval = Number(interval);
  }
  const byDay = parts.get('BYDAY');
  if (byDay !== undefined) {
    for (const item of byDay.split(',')) {
      const m = /^([+-]?\d{1,2})?(SU|MO|TU|WE|TH|FR|SA)$/.exec(item);
      if (!m) return fail(`BYDAY "${item}" is not a weekday such as WE, 2TU or -1FR`);
      const nth = m[1] === undefined ? null : Number(m[1]);
      if (nth !== null) {
        const limit = rule.freq === 'MONTHLY' ? 5 : rule.freq === 'YEARLY' ? 53 : 0;
        if (limit === 0) return fail('A numbered weekday (such as 2TU) needs FREQ=MONTHLY or YEARLY');
        if (nth === 0 || Math.abs(nth) > limit) return fail(`BYDAY "${item}": the number must be 1 to ${limit} or -${limit} to -1`);
      }
      const weekday = RRULE_DAYS.indexOf(m[2] as (typeof RRULE_DAYS)[number]);
      if (!rule.byDay.some((d) => d.weekday === weekday && d.nth === nth)) rule.byDay.push({ weekday, nth });
    }
  }
  // The rrule package drops plain weekdays beside numbered ones (SU,1SU reads as 1SU); Google's
  // menu never mixes them either.
  if (rule.byDay.some((d) => d.nth === null) && rule.byDay.some((d) => d.nth !== null)) {
    return fail('BYDAY cannot mix numbered weekdays (2TU) with plain ones (TU)');
  }
  const byMonthDay = parts.get('BYMONTHDAY');
  if (byMonthDay !== undefined) {
    if (rule.freq === 'WEEKLY') return fail('BYMONTHDAY cannot be used with FREQ=WEEKLY');
    const days = intList(byMonthDay, -31, 31);
    if (!days) return fail('BYMONTHDAY must list days 1 to 31 or -31 to -1');
    rule.byMonthDay = days;
  }
  const byMonth = parts.get('BYMONTH');
  if (byMonth !== undefined) {
    const months = intList(byMonth, 1, 12);
    if (!months) return fail('BYMONTH must list months 1 to 12');
    rule.byMonth = months;
  }
  // Combinations that could fall on no date at all are refused: the rrule package looks for a next
  // date period by period up to the year 9999, so a rule that never matches would stall a read.
  if (rule.byDay.length && rule.byMonthDay.length) return fail('Give BYDAY or BYMONTHDAY, not both');
  if (rule.freq === 'DAILY' && rule.interval > 1 && (rule.byDay.length || rule.byMonthDay.length || rule.byMonth.length)) {
    return fail('FREQ=DAILY with an INTERVAL takes no BYDAY, BYMONTHDAY or BYMONTH');
  }
  if (rule.freq === 'MONTHLY' && rule.interval > 1 && rule.byMonth.length) return fail('FREQ=MONTHLY with an INTERVAL takes no BYMONTH');
  if (rule.byMonthDay.length && rule.byMonth.length) {
    const longest = (m: number) => [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
    if (!rule.byMonthDay.some((d) => rule.byMonth.some((m) => Math.abs(d) <= longest(m))))
      return fail('BYMONTHDAY falls in none of the BYMONTH months');
  }
  const count = parts.get('COUNT');
  const until = parts.get('UNTIL');
  if (count !== undefined && until !== undefined) return fail('Give COUNT or UNTIL, not both');
  if (count !== undefined) {
    if (!/^\d{1,4}$/.test(count) || Number(count) < 1 || Number(count) > MAX_RECURRENCE_COUNT) {
      return fail(`COUNT must be a whole number from 1 to ${MAX_RECURRENCE_COUNT}`);
    }
    rule.count = Number(count);
  }
  if (until !== undefined) {
    const m = /^(\d{4})(\d{2})(\d{2})$/.exec(until);
    const date = m ? `${m[1]}-${m[2]}-${m[3]}` : null;
    if (!date || !parseDate(date)) return fail('UNTIL must be a date, YYYYMMDD');
    rule.until = date;
  }
  return { ok: true, rule };
}

/** The rule as a canonical RRULE value (the form stored and sent to Google). */
export function formatRecurrence(rule: RecurrenceRule): string {
  const parts = [`FREQ=${rule.freq}`];
  if (rule.interval !== 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.byDay.length) parts.push(`BYDAY=${rule.byDay.map((d) => `${d.nth ?? ''}${RRULE_DAYS[d.weekday]}`).join(',')}`);
  if (rule.byMonthDay.length) parts.push(`BYMONTHDAY=${rule.byMonthDay.join(',')}`);
  if (rule.byMonth.length) parts.push(`BYMONTH=${rule.byMonth.join(',')}`);
  if (rule.count !== null) parts.push(`COUNT=${rule.count}`);
  if (rule.until !== null) parts.push(`UNTIL=${rule.until.replaceAll('-', '')}`);
  return parts.join(';');
}
