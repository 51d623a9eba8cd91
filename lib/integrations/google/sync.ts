import 'server-only';
import { and, eq, gte, isNotNull, isNull, lt, ne, notInArray, or, sql } from 'drizzle-orm';
import type { calendar_v3 } from 'googleapis';
import { toHHMM } from '../../availability';
import type { AuditActor } from '../../db/audit';
import { writeAudit } from '../../db/audit';
import type { Db, DbOrTx } from '../../db/client';
import { lockPractitionerCalendar } from '../../db/locks';
import { appointments, availabilityExceptions, calendarEvents, googleBusyTimes, googleConnections } from '../../db/schema';
import { inTransaction } from '../../db/transaction';
import { findGoogleConnection, loadEventForGoogle, type GoogleConnectionRow, type OurEvent } from '../../queries/google';
import { cancelConfirmedAppointment, loadAppointmentForCancel } from '../../services/appointment-cancellation';
import { enqueueGoogleUpsert } from '../../services/google-sync-jobs';
import { changeNoticeMessage } from '../../services/line-messages';
import { enqueueJob } from '../../services/outbox';
import { clinicNow } from '../../time/clinic-clock';
import { addDays } from '../../time/dates';
import { calendarFor, describeGoogleError, loadGrant } from './client';
import { isBusy, localSpans, OUR_EVENT_PROPERTY, type LocalSpan } from './event-body';
import { markBroken } from './push';
import { applySeriesInstance, catchUpSeriesInstances, deleteSeriesOccurrences } from './sync-recurring';

/** How long one sync may hold its connection's lease; a crashed sync's lease simply runs out. */
const LEASE_MS = 60_000;
/** A full sync lists from a day back: older events change nothing we offer. */
const FULL_SYNC_LOOKBACK_DAYS = 1;

export interface SyncReport {
  state: 'synced' | 'skipped' | 'broken';
  full: boolean;
  changes: number;
}

const googleActor = (clinicId: number): AuditActor => ({ kind: 'google', clinicId });

/** Our calendar event id behind a Google event: the private property, or our id scheme (deleted events carry only their id). */
function ourEventId(item: calendar_v3.Schema$Event): number | null {
  const prop = item.extendedProperties?.private?.[OUR_EVENT_PROPERTY];
  if (prop && /^[1-9]\d{0,9}$/.test(prop)) return Number(prop);
  const m = item.id ? /^clinicbot([0-9a-v]{1,7})$/.exec(item.id) : null;
  return m ? parseInt(m[1]!, 32) : null;
}

/**
 * Takes the connection's sync lease (one sync per connection at a time, across servers). When a
 * sync is already running, it is asked to run once more instead, so a notification arriving
 * mid-sync is never lost.
 */
async function takeLease(db: Db, connectionId: number, now: Date): Promise<boolean> {
  const taken = await db
    .update(googleConnections)
    .set({ syncLeaseUntil: new Date(now.getTime() + LEASE_MS), resyncRequested: false })
    .where(
      and(
        eq(googleConnections.id, connectionId),
        eq(googleConnections.state, 'connected'),
        or(sql`${googleConnections.syncLeaseUntil} IS NULL`, lt(googleConnections.syncLeaseUntil, now)),
      ),
    )
    .returning({ id: googleConnections.id });
  if (taken.length > 0) return true;
  await db
    .update(googleConnections)
    .set({ resyncRequested: true })
    .where(and(eq(googleConnections.id, connectionId), eq(googleConnections.state, 'connected')));
  return false;
}

/** Lists every page of changes: incremental with the stored token, or full (then authoritative). */
async function listChanges(
  calendar: calendar_v3.Calendar,
  connection: GoogleConnectionRow,
  syncToken: string | null,
  now: Date,
  signal?: AbortSignal,
) {
  const items: calendar_v3.Schema$Event[] = [];
  let pageToken: string | undefined;
  let nextSyncToken: string | null = null;
  const base = syncToken
    ? { calendarId: connection.calendarId, syncToken }
    : {
        calendarId: connection.calendarId,
        singleEvents: true,
        showDeleted: false,
        timeMin: new Date(now.getTime() - FULL_SYNC_LOOKBACK_DAYS * 86_400_000).toISOString(),
      };
  for (let page = 0; page < 200; page += 1) {
    const { data } = await calendar.events.list({ ...base, maxResults: 250, ...(pageToken ? { pageToken } : {}) }, { signal });
    items.push(...(data.items ?? []));
    if (data.nextPageToken) {
      pageToken = data.nextPageToken;
      continue;
    }
    nextSyncToken = data.nextSyncToken ?? null;
    break;
  }
  return { items, nextSyncToken };
}

/**
 * Brings Google's changes of one practitioner's calendar into ours (the design's "GCal → DB"):
 * our appointments deleted or moved there, our exceptions deleted or moved there, and (when the
 * practitioner asked for it) their own events as busy time. Changes are merged one by one; nothing
 * we know is replaced wholesale. Our own writes coming back are recognised by their etag and change
 * nothing. A 410 drops the sync token and the next list is a full one, which is then authoritative:
 * our synced events missing from it were deleted in Google.
 */
export async function syncConnection(db: Db, connectionId: number, o: { now?: () => Date; signal?: AbortSignal } = {}): Promise<SyncReport> {
  const report = await syncUnderLease(db, connectionId, o);
  // A notification that found the lease taken just as that sync ended (after its last look at
  // resync_requested, before it let the lease go) asked for a run nobody would make before the cron:
  // make it now, once.
  if (report.state !== 'synced' || o.signal?.aborted) return report;
  const [again] = await db
    .select({ requested: googleConnections.resyncRequested })
    .from(googleConnections)
    .where(eq(googleConnections.id, connectionId));
  if (!again?.requested) return report;
  const next = await syncUnderLease(db, connectionId, o);
  return next.state === 'skipped' ? report : { ...next, full: report.full || next.full, changes: report.changes + next.changes };
}

async function syncUnderLease(db: Db, connectionId: number, o: { now?: () => Date; signal?: AbortSignal }): Promise<SyncReport> {
  const now = o.now ?? (() => new Date());
  if (!(await takeLease(db, connectionId, now()))) return { state: 'skipped', full: false, changes: 0 };
  let changes = 0;
  let full = false;
  try {
    for (let round = 0; round < 3; round += 1) {
      const connection = await findGoogleConnection(db, { id: connectionId });
      if (!connection || connection.state !== 'connected') return { state: 'skipped', full, changes };
      const grant = await loadGrant(db, connection.userId);
      if (!grant) {
        await markBroken(db, connection.id, 'no Google grant is stored');
        return { state: 'broken', full, changes };
      }
      const calendar = calendarFor(db, grant);
      let listed: Awaited<ReturnType<typeof listChanges>>;
      let usedToken = connection.syncToken;
      try {
        listed = await listChanges(calendar, connection, usedToken, now(), o.signal);
      } catch (err) {
        const failure = describeGoogleError(err);
        if (failure.revoked) {
          await markBroken(db, connection.id, 'Google refused the grant (revoked or expired)');
          return { state: 'broken', full, changes };
        }
        if (failure.status !== 410 || !usedToken) throw err;
        // The sync token expired: start over with a full list.
        usedToken = null;
        listed = await listChanges(calendar, connection, null, now(), o.signal);
      }
      full ||= usedToken === null;
      const seen = new Set<string>();
      for (const item of listed.items) {
        if (item.id) seen.add(item.id);
        if (await applyChange(db, connection, item, now())) changes += 1;
      }
      if (usedToken === null) {
        changes += await applyFullListAuthority(db, connection, seen, now());
        // Our series are not in a full list (their instances are): each is asked for its own (sync-recurring.ts).
        const apply = (item: calendar_v3.Schema$Event) => applyChange(db, connection, item, now());
        changes += await catchUpSeriesInstances(db, connection, calendar, now(), apply, o.signal);
      }
      const [after] = await db
        .update(googleConnections)
        .set({ syncToken: listed.nextSyncToken, lastSyncedAt: now(), updatedAt: now() })
        .where(eq(googleConnections.id, connectionId))
        .returning({ again: googleConnections.resyncRequested });
      if (!after?.again) break;
      await db.update(googleConnections).set({ resyncRequested: false }).where(eq(googleConnections.id, connectionId));
    }
    return { state: 'synced', full, changes };
  } finally {
    await db.update(googleConnections).set({ syncLeaseUntil: null }).where(eq(googleConnections.id, connectionId));
  }
}

/** Applies one listed Google event; true when it changed something of ours. */
async function applyChange(db: Db, connection: GoogleConnectionRow, item: calendar_v3.Schema$Event, now: Date): Promise<boolean> {
  if (item.recurringEventId && item.id) {
    // An instance of a recurring event: an occurrence of ours that was moved in Google earlier (its
    // own row since), or an instance of our series deleted or moved there (sync-recurring.ts).
    const occurrence = await loadEventForGoogle(db, { userId: connection.userId, gcalEventId: item.id });
    if (occurrence) return applyToOurEvent(db, connection, occurrence, item, now);
    const instance = await applySeriesInstance(db, connection, item);
    if (instance !== null) return instance;
  }
  const id = ourEventId(item);
  if (id !== null && item.id) {
    const ours = await loadEventForGoogle(db, { calendarEventId: id });
    if (ours && ours.userId === connection.userId && (ours.gcalEventId === null || ours.gcalEventId === item.id)) {
      return applyToOurEvent(db, connection, ours, item, now);
    }
    if (item.extendedProperties?.private?.[OUR_EVENT_PROPERTY] || item.status === 'cancelled') return false;
  }
  if (id === null && item.id) {
    // Not written by us, but ours by its Google id: an appointment brought over from the old system
    // (npm run db:import-legacy) keeps the event the old system made, until our first write marks it.
    const known = await loadEventForGoogle(db, { userId: connection.userId, gcalEventId: item.id });
    if (known) return applyToOurEvent(db, connection, known, item, now);
  }
  if (!connection.countBusy || !item.id) return false;
  return replaceBusyTime(db, connection, item);
}

async function applyToOurEvent(db: Db, connection: GoogleConnectionRow, ours: OurEvent, item: calendar_v3.Schema$Event, now: Date): Promise<boolean> {
  if (item.status === 'cancelled') return deletedInGoogle(db, connection, ours);
  // Our own write coming back, or a change to what we do not mirror (title, description): nothing to do.
  if (item.etag && item.etag === ours.gcalEtag) return false;
  const spans = localSpans(item, connection.timezone);
  const span = spans.length === 1 ? spans[0]! : null;
  const f = ours.facts;
  const same = span !== null && span.date === f.date && span.start === f.start && span.end === f.end;
  if (same || (ours.eventType === 'appointment' && ours.status !== 'confirmed')) {
    await db
      .update(calendarEvents)
      .set({ gcalEtag: item.etag ?? null })
      .where(eq(calendarEvents.id, ours.calendarEventId));
    return false;
  }
  return ours.eventType === 'appointment'
    ? movedAppointment(db, connection, ours, span, item.etag ?? null, now)
    : movedException(db, connection, ours, span, item.etag ?? null);
}

/** Our appointment or exception deleted in Google: canceled_by_clinic with the patient's LINE message, or the exception removed. Once. */
async function deletedInGoogle(db: Db, connection: GoogleConnectionRow, ours: OurEvent): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    await lockPractitionerCalendar(tx, ours.userId);
    if (ours.eventType === 'appointment') {
      const appt = await loadAppointmentForCancel(tx, { calendarEventId: ours.calendarEventId, clinicId: connection.clinicId });
      const result = await cancelConfirmedAppointment(tx, googleActor(connection.clinicId), appt, 'canceled_by_clinic', 'gcal_deletion', {
        notifyPatient: true,
        removeGoogleCopy: false,
      });
      if (!result.already) await tx.update(calendarEvents).set({ gcalSyncStatus: 'synced' }).where(eq(calendarEvents.id, ours.calendarEventId));
      return !result.already;
    }
    await deleteSeriesOccurrences(tx, connection, ours);
    const deleted = await tx.delete(calendarEvents).where(eq(calendarEvents.id, ours.calendarEventId)).returning({ id: calendarEvents.id });
    if (deleted.length === 0) return false;
    await writeAudit(tx, googleActor(connection.clinicId), {
      action: 'availability_exception.deleted',
      entityType: 'availability_exception',
      entityId: ours.exceptionId,
      details: { source: 'gcal_deletion', practitioner_id: ours.userId, date: ours.facts.date, start: ours.facts.start, end: ours.facts.end },
    });
    return true;
  });
}

/**
 * Our appointment moved in Google: the practitioner decided, so it takes the new time (even outside
 * hours, where it is then flagged) and the patient gets the change notice. A move onto another
 * confirmed appointment, or to something an appointment cannot be (all day, across midnight), is
 * refused: our time is written back to Google and the refusal is recorded for the practitioner.
 */
async function movedAppointment(
  db: Db,
  connection: GoogleConnectionRow,
  ours: OurEvent,
  span: LocalSpan | null,
  etag: string | null,
  now: Date,
): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    await lockPractitionerCalendar(tx, ours.userId);
    const appt = await loadAppointmentForCancel(tx, { calendarEventId: ours.calendarEventId, clinicId: connection.clinicId });
    if (appt.status !== 'confirmed') return false;
    const before = { date: appt.date, startTime: toHHMM(appt.start!), endTime: toHHMM(appt.end!) };
    const clash = span?.start && span.end ? await overlappingAppointment(tx, ours.userId, ours.calendarEventId, span) : null;
    if (!span?.start || !span.end || clash !== null) {
      await enqueueGoogleUpsert(tx, { clinicId: connection.clinicId, practitionerId: ours.userId, calendarEventId: ours.calendarEventId });
      await writeAudit(tx, googleActor(connection.clinicId), {
        action: 'appointment.google_move_refused',
        entityType: 'appointment',
        entityId: ours.calendarEventId,
        details: {
          practitioner_id: ours.userId,
          kept: { date: before.date, time: `${before.startTime}-${before.endTime}` },
          attempted: span ? { date: span.date, time: span.start ? `${span.start}-${span.end}` : 'all day' } : 'more than one day',
          reason: clash !== null ? 'overlaps_confirmed_appointment' : 'not_a_single_timed_span',
          conflicting_calendar_event_id: clash,
        },
      });
      return false;
    }
    await tx
      .update(calendarEvents)
      .set({ date: span.date, startTime: span.start, endTime: span.end, gcalEtag: etag, gcalSyncStatus: 'synced', updatedAt: now })
      .where(eq(calendarEvents.id, ours.calendarEventId));
    const after = { date: span.date, startTime: span.start, endTime: span.end };
    let lineJobId: number | null = null;
    if (appt.lineUserId) {
      lineJobId = await enqueueJob(tx, {
        clinicId: connection.clinicId,
        kind: 'line.push',
        payload: {
          reason: 'appointment_moved',
          calendar_event_id: ours.calendarEventId,
          patient_id: appt.patientId,
          to: appt.lineUserId,
          messages: [
            {
              type: 'text',
              text: changeNoticeMessage(
                { ...before, practitioner: appt.practitioner, appointmentType: appt.appointmentType },
                { ...after, practitioner: appt.practitioner, appointmentType: appt.appointmentType },
              ),
            },
          ],
        },
      });
    }
    await writeAudit(tx, googleActor(connection.clinicId), {
      action: 'appointment.moved',
      entityType: 'appointment',
      entityId: ours.calendarEventId,
      details: {
        source: 'gcal_move',
        practitioner_id: ours.userId,
        patient_id: appt.patientId,
        before: { date: before.date, time: `${before.startTime}-${before.endTime}` },
        after: { date: after.date, time: `${after.startTime}-${after.endTime}` },
        line_notification: lineJobId ? { outbox_job_id: lineJobId } : 'patient has no LINE user id',
      },
    });
    return true;
  });
}

/** Another confirmed appointment of the practitioner over the span, if any. */
async function overlappingAppointment(tx: DbOrTx, userId: number, exceptId: number, span: LocalSpan): Promise<number | null> {
  const [row] = await tx
    .select({ id: calendarEvents.id })
    .from(calendarEvents)
    .innerJoin(appointments, eq(appointments.calendarEventId, calendarEvents.id))
    .where(
      and(
        eq(calendarEvents.userId, userId),
        eq(calendarEvents.date, span.date),
        ne(calendarEvents.id, exceptId),
        eq(appointments.status, 'confirmed'),
        sql`${calendarEvents.startTime} < ${span.end === '24:00' ? '24:00:00' : span.end}::time AND ${calendarEvents.endTime} > ${span.start}::time`,
      ),
    )
    .limit(1);
  return row?.id ?? null;
}

/** Our exception moved in Google: it takes the new time (the usual rule: appointments under it stay, outside hours). */
async function movedException(
  db: Db,
  connection: GoogleConnectionRow,
  ours: OurEvent,
  span: LocalSpan | null,
  etag: string | null,
): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    await lockPractitionerCalendar(tx, ours.userId);
    if (!span) {
      // Stretched over several days: one exception is one day here, so ours is written back.
      await enqueueGoogleUpsert(tx, { clinicId: connection.clinicId, practitionerId: ours.userId, calendarEventId: ours.calendarEventId });
      return false;
    }
    const updated = await tx
      .update(calendarEvents)
      .set({ date: span.date, startTime: span.start, endTime: span.end, gcalEtag: etag, gcalSyncStatus: 'synced', updatedAt: new Date() })
      .where(eq(calendarEvents.id, ours.calendarEventId))
      .returning({ id: calendarEvents.id });
    if (updated.length === 0) return false;
    await writeAudit(tx, googleActor(connection.clinicId), {
      action: 'availability_exception.updated',
      entityType: 'availability_exception',
      entityId: ours.exceptionId,
      details: {
        source: 'gcal_move',
        practitioner_id: ours.userId,
        before: { date: ours.facts.date, start: ours.facts.start, end: ours.facts.end },
        after: span,
      },
    });
    return true;
  });
}

/** The practitioner's own Google event as busy time (or no longer), one row per local day. */
async function replaceBusyTime(db: Db, connection: GoogleConnectionRow, item: calendar_v3.Schema$Event): Promise<boolean> {
  const spans = isBusy(item) ? localSpans(item, connection.timezone) : [];
  return inTransaction(db, async (tx) => {
    const removed = await tx
      .delete(googleBusyTimes)
      .where(and(eq(googleBusyTimes.userId, connection.userId), eq(googleBusyTimes.gcalEventId, item.id!)))
      .returning({ id: googleBusyTimes.id });
    if (spans.length > 0) {
      await tx
        .insert(googleBusyTimes)
        .values(spans.map((s) => ({ userId: connection.userId, gcalEventId: item.id!, date: s.date, startTime: s.start, endTime: s.end })));
    }
    return removed.length > 0 || spans.length > 0;
  });
}

/**
 * After a full list: our synced events that Google no longer has were deleted there (CONTRACT.md),
 * and busy times of events that are gone go too.
 */
async function applyFullListAuthority(db: Db, connection: GoogleConnectionRow, seen: Set<string>, now: Date): Promise<number> {
  const from = addDays(clinicNow(connection.timezone, now).date, -FULL_SYNC_LOOKBACK_DAYS + 1);
  const ids = [...seen];
  const missing = await db
    .select({ id: calendarEvents.id })
    .from(calendarEvents)
    .leftJoin(appointments, eq(appointments.calendarEventId, calendarEvents.id))
    .leftJoin(availabilityExceptions, eq(availabilityExceptions.calendarEventId, calendarEvents.id))
    .where(
      and(
        eq(calendarEvents.userId, connection.userId),
        // Series, and occurrences that are instances of one, are settled by catchUpSeriesInstances.
        isNull(availabilityExceptions.rrule),
        sql`NOT (${availabilityExceptions.recurringParentId} IS NOT NULL AND position('_' in ${calendarEvents.gcalEventId}) > 0)`,
        isNotNull(calendarEvents.gcalEventId),
        eq(calendarEvents.gcalSyncStatus, 'synced'),
        gte(calendarEvents.date, from),
        or(eq(calendarEvents.eventType, 'availability_exception'), eq(appointments.status, 'confirmed')),
        ...(ids.length > 0 ? [notInArray(calendarEvents.gcalEventId, ids)] : []),
      ),
    );
  let changes = 0;
  for (const { id } of missing) {
    const ours = await loadEventForGoogle(db, { calendarEventId: id });
    if (ours && (await deletedInGoogle(db, connection, ours))) changes += 1;
  }
  if (connection.countBusy) {
    const gone = await db
      .delete(googleBusyTimes)
      .where(and(eq(googleBusyTimes.userId, connection.userId), ...(ids.length > 0 ? [notInArray(googleBusyTimes.gcalEventId, ids)] : [])))
      .returning({ id: googleBusyTimes.id });
    if (gone.length > 0) changes += 1;
  } else {
    await db.delete(googleBusyTimes).where(eq(googleBusyTimes.userId, connection.userId));
  }
  return changes;
}
