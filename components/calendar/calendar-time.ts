import { formatTime, MINUTES_PER_DAY, parseTime } from '@/lib/availability/time';
import { addDays } from '@/lib/time/dates';

/**
 * FullCalendar runs with `timeZone: 'UTC'` and every date it sees is clinic wall-clock time written
 * as UTC: `2026-11-24T10:00:00` stays 10:00 whatever the browser's own zone is.
 */
export function fcDateTime(date: string, hhmm: string): string {
  return hhmm === '24:00' ? `${addDays(date, 1)}T00:00:00` : `${date}T${hhmm}:00`;
}

/** A FullCalendar date (UTC-as-wall-clock) back to `HH:MM`. */
export function wallTime(d: Date): string {
  return formatTime(d.getUTCHours() * 60 + d.getUTCMinutes());
}

/** `YYYY-MM-DD` of a FullCalendar date. */
export function wallDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** A `YYYY-MM-DD` as a Date at UTC midnight, for formatting with `timeZone: 'UTC'`. */
export function dateAsUtc(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

/** Tapped slot → one hour, never past midnight (shown as 00:00 in a time input). */
export function oneHourFrom(start: string): { start: string; end: string } {
  const s = parseTime(start) ?? 9 * 60;
  return { start: formatTime(s), end: formatTime(Math.min(s + 60, MINUTES_PER_DAY)) };
}

/** An exception as the exception sheet's form starts from (an all-day one has no times). */
export function exceptionInitial(e: {
  start_time: string | null;
  end_time: string | null;
  recurrence?: string | null;
  occurrence_date?: string | null;
}): { start: string; end: string; allDay: boolean; recurrence: string | null; occurrenceDate: string | null } {
  return {
    start: e.start_time ?? '09:00',
    end: e.end_time ?? '10:00',
    allDay: e.start_time === null,
    // An occurrence of a repeating exception: the sheet asks "this / following / all".
    recurrence: e.recurrence ?? null,
    occurrenceDate: e.occurrence_date ?? null,
  };
}

/** The time fields cannot show 24:00: the end of the day is typed and shown as 00:00. */
export const toTimeInput = (hhmm: string) => (hhmm === '24:00' ? '00:00' : hhmm);
export const fromEndInput = (value: string) => (value === '00:00' ? '24:00' : value);

/**
 * The visible hours of a time grid: 07:00-22:00, widened to whole hours around the day's working
 * hours and events, so that nothing of the day (a practitioner starting at 06:30) is out of reach.
 */
export function visibleHours(times: Array<{ start: string; end: string }>): { min: string; max: string } {
  let min = 7 * 60;
  let max = 22 * 60;
  for (const t of times) {
    const s = parseTime(t.start);
    const e = parseTime(t.end);
    if (s !== null) min = Math.min(min, Math.floor(s / 60) * 60);
    if (e !== null) max = Math.max(max, Math.ceil(e / 60) * 60);
  }
  return { min: `${formatTime(min)}:00`, max: max >= MINUTES_PER_DAY ? '24:00:00' : `${formatTime(max)}:00` };
}

/** The day grid's hours from the day view's data: its working intervals, events and busy time (all-day ones aside). */
export function dayGridHours(
  schedule: Array<{ start_time: string; end_time: string }>,
  timed: Array<{ start_time: string | null; end_time: string | null }>,
): { min: string; max: string } {
  return visibleHours([...schedule, ...timed].flatMap((e) => (e.start_time && e.end_time ? [{ start: e.start_time, end: e.end_time }] : [])));
}

export const monthHref = (practitionerId: number, month: string) => `/calendar?practitioner=${practitionerId}&month=${month}`;
export const dayHref = (practitionerId: number, date: string) => `/calendar?practitioner=${practitionerId}&date=${date}`;
