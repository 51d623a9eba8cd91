import 'server-only';
import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import { appointmentsCoveredBy, formatTime, spanOf, toHHMM } from '../availability';
import {
  expandSeries,
  firstOccurrence,
  formatRecurrence,
  isOccurrence,
  parseRecurrence,
  seriesLastDate,
  type RecurrenceRule,
} from '../availability/recurrence';
import type { Caller } from '../auth/caller';
import type { DbOrTx } from '../db/client';
import { availabilityExceptions, calendarEvents } from '../db/schema';
import { AppError, AppWarning } from '../errors';
import { hasNotEnded, loadCalendar } from '../queries/calendar-data';
import { getClinicSettings } from '../queries/clinic';
import type { ExceptionDto } from '../schemas/responses';
import { clinicNow } from '../time/clinic-clock';
import type { Clock } from '../time/clock';
import { addDays } from '../time/dates';
import { enqueueGoogleDelete } from './google-sync-jobs';

// What the exception services share about repeating exceptions (issue 16): reading a row with its
// series fields, the conflict warning over every future occurrence, and the small writes that
// "this occurrence" and "this and following" are made of. A series is one calendar event (its
// DTSTART date and the times of every occurrence) and one exception row (rrule, exdates,
// series_until); an occurrence edited on its own is a separate exception pointing at its series.

export interface Span {
  date: string;
  start: string | null;
  end: string | null;
}

export const dbTime = (t: string | null) => (t ? toHHMM(t) : null);

/** Days ahead a series' conflicts are looked for when the clinic sets no booking window. */
const DEFAULT_HORIZON_DAYS = 365;

export async function loadException(tx: DbOrTx, practitionerId: number, exceptionId: number) {
  const [row] = await tx
    .select({
      exceptionId: availabilityExceptions.id,
      calendarEventId: calendarEvents.id,
      date: calendarEvents.date,
      start: calendarEvents.startTime,
      end: calendarEvents.endTime,
      gcalEventId: calendarEvents.gcalEventId,
      createdAt: calendarEvents.createdAt,
      updatedAt: calendarEvents.updatedAt,
      rrule: availabilityExceptions.rrule,
      exdates: sql<string>`array_to_string(${availabilityExceptions.exdates}, ',')`,
      seriesUntil: availabilityExceptions.seriesUntil,
      parentId: availabilityExceptions.recurringParentId,
      originalDate: availabilityExceptions.originalDate,
    })
    .from(availabilityExceptions)
    .innerJoin(calendarEvents, eq(calendarEvents.id, availabilityExceptions.calendarEventId))
    .where(and(eq(availabilityExceptions.id, exceptionId), eq(calendarEvents.userId, practitionerId)));
  if (!row) throw new AppError('not_found', 'Availability exception not found');
  return { ...row, exdates: row.exdates ? row.exdates.split(',') : [] };
}
export type ExceptionRow = Awaited<ReturnType<typeof loadException>>;

export async function toDto(tx: DbOrTx, practitionerId: number, exceptionId: number): Promise<ExceptionDto> {
  const r = await loadException(tx, practitionerId, exceptionId);
  return {
    calendar_event_id: r.calendarEventId,
    exception_id: r.exceptionId,
    date: r.date,
    start_time: dbTime(r.start),
    end_time: dbTime(r.end),
    gcal_event_id: r.gcalEventId,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
    recurrence: r.rrule,
    exdates: r.exdates,
    series_until: r.seriesUntil,
    recurring_exception_id: r.parentId,
    original_date: r.originalDate,
  };
}

const invalid = (field: string, message: string) =>
  new AppError('validation_error', message, { issues: [{ path: [field], code: 'custom', message }] });

/** A rule from a request (already checked by its schema; server actions pass the same schema). */
export function ruleOf(text: string): RecurrenceRule {
  const parsed = parseRecurrence(text);
  if (!parsed.ok) throw invalid('recurrence', parsed.message);
  return parsed.rule;
}

/**
 * A series as stored: its start moved to the rule's first date on or after the asked one (as
 * Google Calendar does, so DTSTART is always an occurrence), the canonical rule and its last date.
 */
export function seriesFields(date: string, rule: RecurrenceRule): { date: string; rrule: string; seriesUntil: string | null } {
  const first = firstOccurrence(date, rule);
  if (!first) throw invalid('recurrence', 'The repeat rule falls on no date from this date on');
  return { date: first, rrule: formatRecurrence(rule), seriesUntil: seriesLastDate(first, rule) };
}

/** `scope=this|following` name an occurrence: it must be one (not deleted, on the rule). */
export function assertOccurrence(row: ExceptionRow, date: string | null): string {
  if (!row.rrule) throw invalid('scope', 'This exception does not repeat: change or delete it whole (scope all)');
  if (!date || !isOccurrence({ start: row.date, rule: row.rrule, exdates: row.exdates }, date)) {
    throw invalid('occurrence_date', 'occurrence_date is not an occurrence of this repeating exception');
  }
  return date;
}

/**
 * Confirmed future appointments the span (on every occurrence of `rule`, within the booking
 * horizon: the clinic's booking window, else a year) would cover: a warning unless confirmed.
 * Warnings concern the future (contract): an appointment that is already over never warns.
 */
export async function assertNoConflicts(
  tx: DbOrTx,
  caller: Caller,
  input: { practitionerId: number; span: Span; rule?: string | null; exdates?: string[]; confirm: boolean; clock: Clock },
): Promise<number[]> {
  const clinic = await getClinicSettings(tx, caller.clinicId);
  const now = clinicNow(clinic.timezone, input.clock());
  const { span } = input;
  let dates: string[];
  if (input.rule) {
    const horizon = addDays(now.date, clinic.bookingWindowDays ?? DEFAULT_HORIZON_DAYS);
    dates = expandSeries({ start: span.date, rule: input.rule, exdates: input.exdates }, span.date < now.date ? now.date : span.date, horizon);
  } else dates = span.date < now.date ? [] : [span.date];
  if (dates.length === 0) return [];
  const calendar = await loadCalendar(tx, { practitionerId: input.practitionerId, from: dates[0]!, to: dates[dates.length - 1]! });
  const covered = dates.flatMap((date) =>
    appointmentsCoveredBy(
      calendar.appointmentsOn(date).filter((a) => hasNotEnded(a, now)),
      spanOf(span.start, span.end),
    ),
  );
  if (covered.length > 0 && !input.confirm) {
    throw new AppWarning(
      'appointment_conflicts',
      "This availability exception conflicts with existing appointments. The appointments will remain valid but marked as 'outside hours'.",
      {
        conflicting_appointments: covered.map((a) => ({
          calendar_event_id: a.calendarEventId,
          date: a.date,
          start_time: formatTime(a.start),
          end_time: formatTime(a.end),
          patient: a.patient,
        })),
      },
    );
  }
  return covered.map((a) => a.calendarEventId);
}

/**
 * Deletes occurrences edited on their own (children of `seriesId`), all or those replacing a date
 * from `from` on, with their Google copies. Their calendar events go first: the exception rows
 * follow by cascade (the series has no cascade to them, on purpose).
 */
export async function deleteEditedOccurrences(
  tx: DbOrTx,
  v: { clinicId: number; practitionerId: number; seriesId: number; from?: string },
): Promise<number[]> {
  const children = await tx
    .select({ id: calendarEvents.id, gcalEventId: calendarEvents.gcalEventId, exceptionId: availabilityExceptions.id })
    .from(availabilityExceptions)
    .innerJoin(calendarEvents, eq(calendarEvents.id, availabilityExceptions.calendarEventId))
    .where(and(eq(availabilityExceptions.recurringParentId, v.seriesId), v.from ? gte(availabilityExceptions.originalDate, v.from) : undefined));
  if (children.length === 0) return [];
  await tx.delete(calendarEvents).where(
    inArray(
      calendarEvents.id,
      children.map((c) => c.id),
    ),
  );
  for (const c of children) {
    await enqueueGoogleDelete(tx, { clinicId: v.clinicId, practitionerId: v.practitionerId, calendarEventId: c.id, gcalEventId: c.gcalEventId });
  }
  return children.map((c) => c.exceptionId);
}

/** Writes a series' rule fields (and its calendar event's update time). */
export async function saveSeries(
  tx: DbOrTx,
  row: { exceptionId: number; calendarEventId: number },
  fields: { rrule: string | null; exdates: string[]; seriesUntil: string | null },
): Promise<void> {
  await tx
    .update(availabilityExceptions)
    .set({ rrule: fields.rrule, exdates: [...new Set(fields.exdates)].sort(), seriesUntil: fields.seriesUntil })
    .where(eq(availabilityExceptions.id, row.exceptionId));
  await tx.update(calendarEvents).set({ updatedAt: new Date() }).where(eq(calendarEvents.id, row.calendarEventId));
}
