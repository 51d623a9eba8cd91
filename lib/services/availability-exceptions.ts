import 'server-only';
import { and, between, eq, inArray } from 'drizzle-orm';
import { appointmentsCoveredBy, formatTime, parseTime, spanOf, toHHMM } from '../availability';
import { assertMayManage, findPractitionerForCaller, type PractitionerRef } from '../auth/access';
import type { Caller } from '../auth/caller';
import { writeAudit } from '../db/audit';
import type { DbOrTx } from '../db/client';
import { inTransaction } from '../db/transaction';
import { lockPractitionerCalendar } from '../db/locks';
import { availabilityExceptions, calendarEvents } from '../db/schema';
import { AppError, AppWarning } from '../errors';
import { hasNotEnded, loadCalendar } from '../queries/calendar-data';
import { getClinicSettings } from '../queries/clinic';
import { clinicNow } from '../time/clinic-clock';
import { systemClock, type Clock } from '../time/clock';
import type { CreateExceptionInput, UpdateExceptionInput } from '../schemas/exceptions';
import type { ExceptionDto } from '../schemas/responses';
import { daysBetween } from '../time/dates';
import { enqueueGoogleDelete, enqueueGoogleUpsert } from './google-sync-jobs';

export type { ExceptionDto } from '../schemas/responses';

interface Span {
  date: string;
  start: string | null;
  end: string | null;
}

const dbTime = (t: string | null) => (t ? toHHMM(t) : null);

function assertRange(s: Span): void {
  if (s.start && s.end && !(parseTime(s.start)! < parseTime(s.end)!)) {
    throw new AppError('invalid_time_range', 'The exception must start before it ends', { start_time: s.start, end_time: s.end });
  }
}

/**
 * Confirmed appointments the exception would cover: a warning unless confirmed. Warnings concern
 * the future (contract): an appointment that is already over never warns.
 */
async function assertNoConflicts(tx: DbOrTx, caller: Caller, practitionerId: number, s: Span, confirm: boolean, clock: Clock): Promise<number[]> {
  const clinic = await getClinicSettings(tx, caller.clinicId);
  const now = clinicNow(clinic.timezone, clock());
  if (s.date < now.date) return [];
  const sameDay = (await loadCalendar(tx, { practitionerId, from: s.date, to: s.date })).appointmentsOn(s.date).filter((a) => hasNotEnded(a, now));
  const covered = appointmentsCoveredBy(sameDay, spanOf(s.start, s.end));
  if (covered.length > 0 && !confirm) {
    throw new AppWarning(
      'appointment_conflicts',
      "This availability exception conflicts with existing appointments. The appointments will remain valid but marked as 'outside hours'.",
      {
        conflicting_appointments: covered.map((a) => ({
          calendar_event_id: a.calendarEventId,
          start_time: formatTime(a.start),
          end_time: formatTime(a.end),
          patient: a.patient,
        })),
      },
    );
  }
  return covered.map((a) => a.calendarEventId);
}

async function managedPractitioner(tx: DbOrTx, caller: Caller, practitionerId: number): Promise<PractitionerRef> {
  const practitioner = await findPractitionerForCaller(tx, caller, practitionerId);
  assertMayManage(caller, practitioner);
  await lockPractitionerCalendar(tx, practitioner.id);
  return practitioner;
}

async function loadException(tx: DbOrTx, practitionerId: number, exceptionId: number) {
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
    })
    .from(availabilityExceptions)
    .innerJoin(calendarEvents, eq(calendarEvents.id, availabilityExceptions.calendarEventId))
    .where(and(eq(availabilityExceptions.id, exceptionId), eq(calendarEvents.userId, practitionerId)));
  if (!row) throw new AppError('not_found', 'Availability exception not found');
  return row;
}

async function toDto(tx: DbOrTx, practitionerId: number, exceptionId: number): Promise<ExceptionDto> {
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
  };
}

export async function createException(
  db: DbOrTx,
  caller: Caller,
  input: { practitionerId: number; body: CreateExceptionInput; confirm: boolean; clock?: Clock },
): Promise<ExceptionDto> {
  const span: Span = { date: input.body.date, start: input.body.start_time ?? null, end: input.body.end_time ?? null };
  assertRange(span);
  return inTransaction(db, async (tx) => {
    const practitioner = await managedPractitioner(tx, caller, input.practitionerId);
    const covered = await assertNoConflicts(tx, caller, practitioner.id, span, input.confirm, input.clock ?? systemClock);
    const [event] = await tx
      .insert(calendarEvents)
      .values({
        userId: practitioner.id,
        eventType: 'availability_exception',
        date: span.date,
        startTime: span.start,
        endTime: span.end,
      })
      .returning({ id: calendarEvents.id });
    const [exception] = await tx.insert(availabilityExceptions).values({ calendarEventId: event!.id }).returning({ id: availabilityExceptions.id });
    await enqueueGoogleUpsert(tx, { clinicId: caller.clinicId, practitionerId: practitioner.id, calendarEventId: event!.id });
    await writeAudit(tx, caller, {
      action: 'availability_exception.created',
      entityType: 'availability_exception',
      entityId: exception!.id,
      details: { practitioner_id: practitioner.id, ...span, ...(covered.length ? { confirmed_conflicts: covered } : {}) },
    });
    return toDto(tx, practitioner.id, exception!.id);
  });
}

export async function updateException(
  db: DbOrTx,
  caller: Caller,
  input: { practitionerId: number; exceptionId: number; body: UpdateExceptionInput; confirm: boolean; clock?: Clock },
): Promise<ExceptionDto> {
  return inTransaction(db, async (tx) => {
    const practitioner = await managedPractitioner(tx, caller, input.practitionerId);
    const current = await loadException(tx, practitioner.id, input.exceptionId);
    const b = input.body;
    const span: Span = {
      date: b.date ?? current.date,
      start: b.start_time === undefined ? dbTime(current.start) : b.start_time,
      end: b.end_time === undefined ? dbTime(current.end) : b.end_time,
    };
    if ((span.start === null) !== (span.end === null)) {
      throw new AppError('validation_error', 'An exception has both times or neither (all day)', {
        issues: [
          { path: [span.start === null ? 'start_time' : 'end_time'], code: 'custom', message: 'Give both times, or set both to null for all day' },
        ],
      });
    }
    assertRange(span);
    const covered = await assertNoConflicts(tx, caller, practitioner.id, span, input.confirm, input.clock ?? systemClock);
    await tx
      .update(calendarEvents)
      .set({ date: span.date, startTime: span.start, endTime: span.end, updatedAt: new Date() })
      .where(eq(calendarEvents.id, current.calendarEventId));
    await enqueueGoogleUpsert(tx, { clinicId: caller.clinicId, practitionerId: practitioner.id, calendarEventId: current.calendarEventId });
    await writeAudit(tx, caller, {
      action: 'availability_exception.updated',
      entityType: 'availability_exception',
      entityId: current.exceptionId,
      details: {
        practitioner_id: practitioner.id,
        before: { date: current.date, start: dbTime(current.start), end: dbTime(current.end) },
        after: span,
        ...(covered.length ? { confirmed_conflicts: covered } : {}),
      },
    });
    return toDto(tx, practitioner.id, current.exceptionId);
  });
}

export async function deleteException(db: DbOrTx, caller: Caller, input: { practitionerId: number; exceptionId: number }): Promise<void> {
  await inTransaction(db, async (tx) => {
    const practitioner = await managedPractitioner(tx, caller, input.practitionerId);
    const current = await loadException(tx, practitioner.id, input.exceptionId);
    await tx.delete(calendarEvents).where(eq(calendarEvents.id, current.calendarEventId));
    await enqueueGoogleDelete(tx, {
      clinicId: caller.clinicId,
      practitionerId: practitioner.id,
      calendarEventId: current.calendarEventId,
      gcalEventId: current.gcalEventId,
    });
    await writeAudit(tx, caller, {
      action: 'availability_exception.deleted',
      entityType: 'availability_exception',
      entityId: current.exceptionId,
      details: { practitioner_id: practitioner.id, date: current.date, start: current.start, end: current.end },
    });
  });
}

/** The design's bulk "clear exceptions": every exception of a practitioner in a date range. */
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
      .where(and(eq(calendarEvents.userId, practitioner.id), between(calendarEvents.date, input.from, input.to)));
    if (rows.length === 0) return { deleted: 0 };
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
    await writeAudit(tx, caller, {
      action: 'availability_exception.cleared',
      entityType: 'practitioner',
      entityId: practitioner.id,
      practitionerId: practitioner.id,
      details: { from: input.from, to: input.to, exception_ids: rows.map((r) => r.exceptionId) },
    });
    return { deleted: rows.length };
  });
}
