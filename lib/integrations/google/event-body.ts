import type { calendar_v3 } from 'googleapis';
import { addDays } from '../../time/dates';
import { clinicDayStart, clinicNow } from '../../time/clinic-clock';
import type { AppointmentFacts, ExceptionFacts, ExceptionSeries } from '../../queries/google';

export type { AppointmentFacts, ExceptionFacts };

/** The private extended property that marks a Google event as ours (CONTRACT.md, "Google sync"). */
export const OUR_EVENT_PROPERTY = 'clinicBotEventId';

/**
 * The Google event id of one of our calendar events. Deterministic, so a retried insert can never
 * make a second event (Google answers 409 to a repeated id), and in Google's base32hex alphabet
 * (a–v, 0–9; 5 to 1024 characters).
 */
export function googleEventIdFor(calendarEventId: number): string {
  return `clinicbot${calendarEventId.toString(32)}`;
}

/** A wall-clock time of the clinic; 24:00 is the next day's 00:00 (Google has no 24:00). */
const at = (date: string, time: string, timeZone: string): calendar_v3.Schema$EventDateTime =>
  time === '24:00' ? { dateTime: `${addDays(date, 1)}T00:00:00`, timeZone } : { dateTime: `${date}T${time}:00`, timeZone };

/**
 * The Google event of an appointment or an exception, exactly as the design's "Google Calendar
 * Event Properties" say: times in the clinic's zone, all-day exceptions as `{date}` events ending
 * the next day.
 */
export function googleEventBody(facts: AppointmentFacts | ExceptionFacts, timeZone: string): calendar_v3.Schema$Event {
  const extendedProperties = { private: { [OUR_EVENT_PROPERTY]: String(facts.calendarEventId) } };
  if (facts.kind === 'appointment') {
    return {
      summary: `${facts.patient} - ${facts.appointmentType}`,
      description: [
        `Patient: ${facts.patient}`,
        `Phone: ${facts.phone ?? ''}`,
        `Appointment Type: ${facts.appointmentType}`,
        'Managed by Clinic Bot - Changes will sync automatically',
      ].join('\n'),
      start: at(facts.date, facts.start, timeZone),
      end: at(facts.date, facts.end, timeZone),
      colorId: '11',
      visibility: 'private',
      transparency: 'opaque',
      reminders: {
        useDefault: false,
        overrides: [
          { method: 'popup', minutes: 60 },
          { method: 'email', minutes: 1440 },
        ],
      },
      extendedProperties,
    };
  }
  const allDay = facts.start === null || facts.end === null;
  return {
    summary: 'Unavailable',
    description: 'Managed by Clinic Bot - Changes will sync automatically',
    start: allDay ? { date: facts.date } : at(facts.date, facts.start!, timeZone),
    end: allDay ? { date: addDays(facts.date, 1) } : at(facts.date, facts.end!, timeZone),
    visibility: 'private',
    transparency: 'opaque',
    extendedProperties,
    ...(facts.series ? { recurrence: googleRecurrence(facts.series, facts.date, allDay ? null : facts.start, timeZone) } : {}),
  };
}

const compact = (date: string) => date.replace(/-/g, '');

/**
 * A recurring exception's `recurrence` lines (RFC 5545, as Google's recurring events take them;
 * the start and end of the first occurrence are the event's own). Google expands the rule in the
 * event's time zone. Deleted occurrences are EXDATEs in the form of the event's start: a date for
 * an all-day series, the occurrence's local start with the clinic's TZID for a timed one (an EXDATE
 * that does not match an occurrence's start removes nothing). UNTIL is rewritten from the series'
 * last local date: a date for an all-day series; for a timed one RFC 5545 wants a UTC instant, the
 * end of that local day.
 */
export function googleRecurrence(series: ExceptionSeries, dtstart: string, start: string | null, timeZone: string): string[] {
  const parts = series.rrule
    .replace(/^RRULE:/i, '')
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '' && !/^DTSTART/i.test(p));
  const rule = parts.map((p) => {
    const [name, value = ''] = p.split('=');
    if (name!.toUpperCase() !== 'UNTIL') return p;
    const lastDate = series.until ?? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
    if (start === null) return `UNTIL=${compact(lastDate)}`;
    const endOfDay = new Date(clinicDayStart(timeZone, addDays(lastDate, 1)).getTime() - 1000);
    return `UNTIL=${endOfDay
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '')}`;
  });
  const exdates = [...new Set(series.exdates)].sort();
  return [
    `RRULE:${rule.join(';')}`,
    ...exdates.map((d) => (start === null ? `EXDATE;VALUE=DATE:${compact(d)}` : `EXDATE;TZID=${timeZone}:${compact(d)}T${start.replace(':', '')}00`)),
  ];
}

/** One local day's part of a Google event, in the clinic's zone: times null = the whole day. */
export interface LocalSpan {
  date: string;
  start: string | null;
  end: string | null;
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * A Google event's time as local dates and times of the clinic, one span per day it touches
 * (an event from 22:00 to 02:00 is two spans). All-day events keep their dates.
 */
export function localSpans(event: Pick<calendar_v3.Schema$Event, 'start' | 'end'>, timeZone: string): LocalSpan[] {
  if (event.start?.date) {
    const last = event.end?.date ? addDays(event.end.date, -1) : event.start.date;
    const spans: LocalSpan[] = [];
    for (let d = event.start.date; d <= last && spans.length < 366; d = addDays(d, 1)) spans.push({ date: d, start: null, end: null });
    return spans;
  }
  if (!event.start?.dateTime || !event.end?.dateTime) return [];
  const from = clinicNow(timeZone, new Date(event.start.dateTime));
  const to = clinicNow(timeZone, new Date(event.end.dateTime));
  if (to.date < from.date || (to.date === from.date && to.minutes <= from.minutes)) return [];
  const spans: LocalSpan[] = [];
  for (let d = from.date; d <= to.date && spans.length < 366; d = addDays(d, 1)) {
    const start = d === from.date ? from.minutes : 0;
    const end = d === to.date ? to.minutes : 24 * 60;
    if (end > start) spans.push({ date: d, start: hhmm(start), end: end === 24 * 60 ? '24:00' : hhmm(end) });
  }
  return spans;
}

/** Whether a Google event holds the practitioner's time: not free, not cancelled, not declined by them. */
export function isBusy(event: calendar_v3.Schema$Event): boolean {
  if (event.status === 'cancelled' || event.transparency === 'transparent') return false;
  const self = event.attendees?.find((a) => a.self);
  return self?.responseStatus !== 'declined';
}
