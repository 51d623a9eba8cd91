import 'server-only';
import { and, between, eq, gte, inArray, isNotNull, isNull, lte, or } from 'drizzle-orm';
import { parseTime } from '../availability';
import { expandSeries, formatRecurrence, splitSeries } from '../availability/recurrence';
import { assertMayManage, findPractitionerForCaller, type PractitionerRef } from '../auth/access';
import type { Caller } from '../auth/caller';
import { writeAudit } from '../db/audit';
import type { DbOrTx } from '../db/client';
import { inTransaction } from '../db/transaction';
import { lockPractitionerCalendar } from '../db/locks';
import { availabilityExceptions, calendarEvents } from '../db/schema';
import { AppError } from '../errors';
import { systemClock, type Clock } from '../time/clock';
import type { CreateExceptionInput, ExceptionScope, UpdateExceptionInput } from '../schemas/exceptions';
import type { ExceptionDto } from '../schemas/responses';
import { addDays, daysBetween } from '../time/dates';
import {
  assertNoConflicts,
  assertOccurrence,
  dbTime,
  deleteEditedOccurrences,
  loadException,
  ruleOf,
  saveSeries,
  seriesFields,
  toDto,
  type ExceptionRow,
  type Span,
} from './exception-series';
import { enqueueGoogleDelete, enqueueGoogleUpsert } from './google-sync-jobs';

export type { ExceptionDto } from '../schemas/responses';

function assertRange(s: Span): void {
  if (s.start && s.end && !(parseTime(s.start)! < parseTime(s.end)!)) {
    throw new AppError('invalid_time_range', 'The exception must start before it ends', { start_time: s.start, end_time: s.end });
  }
}

async function managedPractitioner(tx: DbOrTx, caller: Caller, practitionerId: number): Promise<PractitionerRef> {
  const practitioner = await findPractitionerForCaller(tx, caller, practitionerId);
  assertMayManage(caller, practitioner);
  await lockPractitionerCalendar(tx, practitioner.id);
  return practitioner;
}

/** Inserts an exception's calendar event and row (a single one, a series, or an occurrence edited on its own). */
async function insertException(
  tx: DbOrTx,
  caller: Caller,
  practitionerId: number,
  span: Span,
  fields: { rrule?: string | null; exdates?: string[]; seriesUntil?: string | null; recurringParentId?: number; originalDate?: string } = {},
): Promise<{ exceptionId: number; calendarEventId: number }> {
  const [event] = await tx
    .insert(calendarEvents)
    .values({ userId: practitionerId, eventType: 'availability_exception', date: span.date, startTime: span.start, endTime: span.end })
    .returning({ id: calendarEvents.id });
  const [exception] = await tx
    .insert(availabilityExceptions)
    .values({ calendarEventId: event!.id, ...fields, exdates: fields.exdates ?? [] })
    .returning({ id: availabilityExceptions.id });
  await enqueueGoogleUpsert(tx, { clinicId: caller.clinicId, practitionerId, calendarEventId: event!.id });
  return { exceptionId: exception!.id, calendarEventId: event!.id };
}

export async function createException(
  db: DbOrTx,
  caller: Caller,
  input: { practitionerId: number; body: CreateExceptionInput; confirm: boolean; clock?: Clock },
): Promise<ExceptionDto> {
  let span: Span = { date: input.body.date, start: input.body.start_time ?? null, end: input.body.end_time ?? null };
  assertRange(span);
  const series = input.body.recurrence ? seriesFields(span.date, ruleOf(input.body.recurrence)) : null;
  if (series) span = { ...span, date: series.date };
  return inTransaction(db, async (tx) => {
    const practitioner = await managedPractitioner(tx, caller, input.practitionerId);
    const covered = await assertNoConflicts(tx, caller, {
      practitionerId: practitioner.id,
      span,
      rule: series?.rrule,
      confirm: input.confirm,
      clock: input.clock ?? systemClock,
    });
    const created = await insertException(tx, caller, practitioner.id, span, series ? { rrule: series.rrule, seriesUntil: series.seriesUntil } : {});
    await writeAudit(tx, caller, {
      action: 'availability_exception.created',
      entityType: 'availability_exception',
      entityId: created.exceptionId,
      details: {
        practitioner_id: practitioner.id,
        ...span,
        ...(series ? { recurrence: series.rrule } : {}),
        ...(covered.length ? { confirmed_conflicts: covered } : {}),
      },
    });
    return toDto(tx, practitioner.id, created.exceptionId);
  });
}

/** The span a change asks for, from the current one and the fields the body sets. */
function changedSpan(current: Span, b: UpdateExceptionInput): Span {
  const span: Span = {
    date: b.date ?? current.date,
    start: b.start_time === undefined ? current.start : b.start_time,
    end: b.end_time === undefined ? current.end : b.end_time,
  };
  if ((span.start === null) !== (span.end === null)) {
    throw new AppError('validation_error', 'An exception has both times or neither (all day)', {
      issues: [
        { path: [span.start === null ? 'start_time' : 'end_time'], code: 'custom', message: 'Give both times, or set both to null for all day' },
      ],
    });
  }
  assertRange(span);
  return span;
}

/**
 * Changes an exception. For a repeating one, `scope` says which occurrences, as Google Calendar
 * asks: `this` (the occurrence at `occurrenceDate` becomes its own exception, the series skips that
 * date), `following` (the series ends the day before, a new series with the change starts there) or
 * `all` (the series itself). Answers the exception that now holds the change.
 */
export async function updateException(
  db: DbOrTx,
  caller: Caller,
  input: {
    practitionerId: number;
    exceptionId: number;
    body: UpdateExceptionInput;
    confirm: boolean;
    scope?: ExceptionScope;
    occurrenceDate?: string | null;
    clock?: Clock;
  },
): Promise<ExceptionDto> {
  const scope = input.scope ?? 'all';
  const clock = input.clock ?? systemClock;
  return inTransaction(db, async (tx) => {
    const practitioner = await managedPractitioner(tx, caller, input.practitionerId);
    const current = await loadException(tx, practitioner.id, input.exceptionId);
    const b = input.body;
    const before = { date: current.date, start: dbTime(current.start), end: dbTime(current.end), recurrence: current.rrule };
    const audit = async (exceptionId: number, after: Span & { recurrence?: string | null }, covered: number[]) =>
      writeAudit(tx, caller, {
        action: 'availability_exception.updated',
        entityType: 'availability_exception',
        entityId: exceptionId,
        details: {
          practitioner_id: practitioner.id,
          ...(scope !== 'all' ? { scope, occurrence_date: input.occurrenceDate, series_exception_id: current.exceptionId } : {}),
          before: scope === 'all' ? before : { ...before, date: input.occurrenceDate },
          after,
          ...(covered.length ? { confirmed_conflicts: covered } : {}),
        },
      });
    const conflicts = (span: Span, rule: string | null, exdates?: string[]) =>
      assertNoConflicts(tx, caller, { practitionerId: practitioner.id, span, rule, exdates, confirm: input.confirm, clock });

    if (scope === 'all' || !current.rrule) {
      if (scope !== 'all') assertOccurrence(current, input.occurrenceDate ?? null);
      // "All events" asked from an occurrence: a date change moves the whole series by as many days.
      const body =
        current.rrule && input.occurrenceDate && b.date ? { ...b, date: addDays(current.date, daysBetween(input.occurrenceDate, b.date)) } : b;
      let span = changedSpan({ date: current.date, start: dbTime(current.start), end: dbTime(current.end) }, body);
      const ruleText = b.recurrence === undefined ? current.rrule : b.recurrence;
      if (ruleText && current.parentId !== null) {
        throw new AppError('validation_error', 'An occurrence changed on its own cannot repeat; change its series instead');
      }
      const series = ruleText ? seriesFields(span.date, ruleOf(ruleText)) : null;
      if (series) span = { ...span, date: series.date };
      const exdates = series ? current.exdates.filter((d) => d >= span.date) : [];
      const covered = await conflicts(span, series?.rrule ?? null, exdates);
      await tx
        .update(calendarEvents)
        .set({ date: span.date, startTime: span.start, endTime: span.end, updatedAt: new Date() })
        .where(eq(calendarEvents.id, current.calendarEventId));
      if (series || current.rrule) await saveSeries(tx, current, { rrule: series?.rrule ?? null, exdates, seriesUntil: series?.seriesUntil ?? null });
      if (current.rrule && !series)
        await deleteEditedOccurrences(tx, { clinicId: caller.clinicId, practitionerId: practitioner.id, seriesId: current.exceptionId });
      await enqueueGoogleUpsert(tx, { clinicId: caller.clinicId, practitionerId: practitioner.id, calendarEventId: current.calendarEventId });
      await audit(current.exceptionId, { ...span, recurrence: series?.rrule ?? null }, covered);
      return toDto(tx, practitioner.id, current.exceptionId);
    }

    const occurrence = assertOccurrence(current, input.occurrenceDate ?? null);
    const occurrenceSpan = { date: occurrence, start: dbTime(current.start), end: dbTime(current.end) };
    if (scope === 'this') {
      if (b.recurrence) throw new AppError('validation_error', 'One occurrence cannot repeat: change this and following, or all');
      const span = changedSpan(occurrenceSpan, b);
      const covered = await conflicts(span, null);
      await saveSeries(tx, current, { rrule: current.rrule, exdates: [...current.exdates, occurrence], seriesUntil: current.seriesUntil });
      await enqueueGoogleUpsert(tx, { clinicId: caller.clinicId, practitionerId: practitioner.id, calendarEventId: current.calendarEventId });
      const edited = await insertException(tx, caller, practitioner.id, span, { recurringParentId: current.exceptionId, originalDate: occurrence });
      await audit(edited.exceptionId, span, covered);
      return toDto(tx, practitioner.id, edited.exceptionId);
    }

    // following: the first occurrence's "following" is the whole series (as in Google Calendar).
    const split = splitSeries(current.date, current.rrule, occurrence);
    let span = changedSpan(occurrenceSpan, b);
    // recurrence null: "does not repeat" from here on (the occurrence stays, on its own).
    const rest = b.recurrence === null ? null : seriesFields(span.date, b.recurrence ? ruleOf(b.recurrence) : split.after);
    if (rest) span = { ...span, date: rest.date };
    const restExdates = !rest || b.recurrence || span.date !== occurrence ? [] : current.exdates.filter((d) => d >= occurrence);
    const covered = await conflicts(span, rest?.rrule ?? null, restExdates);
    if (split.before) {
      await saveSeries(tx, current, {
        rrule: formatRecurrence(split.before),
        exdates: current.exdates.filter((d) => d < occurrence),
        seriesUntil: seriesFieldsUntil(current.date, split.before),
      });
      await enqueueGoogleUpsert(tx, { clinicId: caller.clinicId, practitionerId: practitioner.id, calendarEventId: current.calendarEventId });
    }
    const created = await insertException(
      tx,
      caller,
      practitioner.id,
      span,
      rest ? { rrule: rest.rrule, exdates: restExdates, seriesUntil: rest.seriesUntil } : {},
    );
    // Occurrences edited on their own from the cut on belong to the new series (a changed rule drops them).
    if (restExdates.length > 0) {
      await tx
        .update(availabilityExceptions)
        .set({ recurringParentId: created.exceptionId })
        .where(and(eq(availabilityExceptions.recurringParentId, current.exceptionId), gte(availabilityExceptions.originalDate, occurrence)));
    }
    await deleteEditedOccurrences(tx, {
      clinicId: caller.clinicId,
      practitionerId: practitioner.id,
      seriesId: current.exceptionId,
      from: occurrence,
    });
    if (!split.before) await dropSeries(tx, caller, practitioner.id, current);
    await audit(created.exceptionId, { ...span, recurrence: rest?.rrule ?? null }, covered);
    return toDto(tx, practitioner.id, created.exceptionId);
  });
}

const seriesFieldsUntil = (start: string, rule: Parameters<typeof formatRecurrence>[0]) => seriesFields(start, rule).seriesUntil;

/** Deletes a series' (or a single exception's) calendar event, after its edited occurrences. */
async function dropSeries(tx: DbOrTx, caller: Caller, practitionerId: number, row: ExceptionRow): Promise<void> {
  if (row.rrule) await deleteEditedOccurrences(tx, { clinicId: caller.clinicId, practitionerId, seriesId: row.exceptionId });
  await tx.delete(calendarEvents).where(eq(calendarEvents.id, row.calendarEventId));
  await enqueueGoogleDelete(tx, { clinicId: caller.clinicId, practitionerId, calendarEventId: row.calendarEventId, gcalEventId: row.gcalEventId });
}

/**
 * Deletes an exception; for a repeating one, `scope` as in updateException: `this` skips the
 * occurrence, `following` ends the series the day before, `all` deletes the series with the
 * occurrences edited on their own.
 */
export async function deleteException(
  db: DbOrTx,
  caller: Caller,
  input: { practitionerId: number; exceptionId: number; scope?: ExceptionScope; occurrenceDate?: string | null },
): Promise<void> {
  const scope = input.scope ?? 'all';
  await inTransaction(db, async (tx) => {
    const practitioner = await managedPractitioner(tx, caller, input.practitionerId);
    const current = await loadException(tx, practitioner.id, input.exceptionId);
    const occurrence = scope === 'all' ? null : assertOccurrence(current, input.occurrenceDate ?? null);
    const split = occurrence && scope === 'following' ? splitSeries(current.date, current.rrule!, occurrence) : null;
    if (occurrence && scope === 'this') {
      await saveSeries(tx, current, { rrule: current.rrule, exdates: [...current.exdates, occurrence], seriesUntil: current.seriesUntil });
      await enqueueGoogleUpsert(tx, { clinicId: caller.clinicId, practitionerId: practitioner.id, calendarEventId: current.calendarEventId });
    } else if (occurrence && split?.before) {
      await deleteEditedOccurrences(tx, {
        clinicId: caller.clinicId,
        practitionerId: practitioner.id,
        seriesId: current.exceptionId,
        from: occurrence,
      });
      await saveSeries(tx, current, {
        rrule: formatRecurrence(split.before),
        exdates: current.exdates.filter((d) => d < occurrence),
        seriesUntil: seriesFieldsUntil(current.date, split.before),
      });
      await enqueueGoogleUpsert(tx, { clinicId: caller.clinicId, practitionerId: practitioner.id, calendarEventId: current.calendarEventId });
    } else {
      await dropSeries(tx, caller, practitioner.id, current);
    }
    await writeAudit(tx, caller, {
      action: 'availability_exception.deleted',
      entityType: 'availability_exception',
      entityId: current.exceptionId,
      details: {
        practitioner_id: practitioner.id,
        date: occurrence ?? current.date,
        start: current.start,
        end: current.end,
        ...(current.rrule ? { recurrence: current.rrule, scope } : {}),
      },
    });
  });
}

/**
 * The design's bulk "clear exceptions": every exception of a practitioner in a date range. A
 * repeating exception loses its occurrences in the range (exdates), or is deleted when all of them
 * are in it.
 */
export async function clearExceptions(
  db: DbOrTx,
  caller: Caller,
  input: { practitionerId: number; from: string; to: string },
): Promise<{ deleted: number }> {
  if (daysBetween(input.from, input.to) < 0) throw new AppError('invalid_time_range', 'The range must not end before it starts');
  if (daysBetween(input.from, input.to) > 366) throw new AppError('validation_error', 'Clear at most one year at a time');
  return inTransaction(db, async (tx) => {
    const practitioner = await managedPractitioner(tx, caller, input.practitionerId);
    const rows = await tx
      .select({ id: calendarEvents.id, gcalEventId: calendarEvents.gcalEventId, exceptionId: availabilityExceptions.id })
      .from(calendarEvents)
      .innerJoin(availabilityExceptions, eq(availabilityExceptions.calendarEventId, calendarEvents.id))
      .where(
        and(eq(calendarEvents.userId, practitioner.id), isNull(availabilityExceptions.rrule), between(calendarEvents.date, input.from, input.to)),
      );
    const seriesIds = await tx
      .select({ id: availabilityExceptions.id })
      .from(availabilityExceptions)
      .innerJoin(calendarEvents, eq(calendarEvents.id, availabilityExceptions.calendarEventId))
      .where(
        and(
          eq(calendarEvents.userId, practitioner.id),
          isNotNull(availabilityExceptions.rrule),
          lte(calendarEvents.date, input.to),
          or(isNull(availabilityExceptions.seriesUntil), gte(availabilityExceptions.seriesUntil, input.from)),
        ),
      );
    if (rows.length > 0) {
      await tx.delete(calendarEvents).where(
        inArray(
          calendarEvents.id,
          rows.map((r) => r.id),
        ),
      );
      for (const r of rows) {
        await enqueueGoogleDelete(tx, {
          clinicId: caller.clinicId,
          practitionerId: practitioner.id,
          calendarEventId: r.id,
          gcalEventId: r.gcalEventId,
        });
      }
    }
    let occurrences = 0;
    const touchedSeries: number[] = [];
    for (const { id } of seriesIds) {
      const series = await loadException(tx, practitioner.id, id);
      const inRange = expandSeries({ start: series.date, rule: series.rrule!, exdates: series.exdates }, input.from, input.to);
      if (inRange.length === 0) continue;
      occurrences += inRange.length;
      touchedSeries.push(id);
      const wholly = series.date >= input.from && series.seriesUntil !== null && series.seriesUntil <= input.to;
      if (wholly) await dropSeries(tx, caller, practitioner.id, series);
      else {
        await saveSeries(tx, series, { rrule: series.rrule, exdates: [...series.exdates, ...inRange], seriesUntil: series.seriesUntil });
        await enqueueGoogleUpsert(tx, { clinicId: caller.clinicId, practitionerId: practitioner.id, calendarEventId: series.calendarEventId });
      }
    }
    if (rows.length === 0 && occurrences === 0) return { deleted: 0 };
    await writeAudit(tx, caller, {
      action: 'availability_exception.cleared',
      entityType: 'practitioner',
      entityId: practitioner.id,
      practitionerId: practitioner.id,
      details: {
        from: input.from,
        to: input.to,
        exception_ids: rows.map((r) => r.exceptionId),
        ...(touchedSeries.length ? { series_exception_ids: touchedSeries, occurrences } : {}),
      },
    });
    return { deleted: rows.length + occurrences };
  });
}
