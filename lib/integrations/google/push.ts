import 'server-only';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { calendar_v3 } from 'googleapis';
import { getDb, type DbOrTx } from '../../db/client';
import { calendarEvents, googleChannels, googleConnections } from '../../db/schema';
import { DeliveryError, MAX_ATTEMPTS, type ClaimedJob, type HandlerContext } from '../../outbox/delivery';
import { findGoogleConnection, loadEventForGoogle, type GoogleConnectionRow } from '../../queries/google';
import { calendarFor, describeGoogleError, loadGrant, type GoogleFailure } from './client';
import { googleEventBody, googleEventIdFor } from './event-body';

type Outcome = 'delivered' | 'already_delivered';

/** The calendar client of a connected practitioner; a job for a disconnected one has nothing to do. */
export async function connectedCalendar(
  db: DbOrTx,
  userId: number,
): Promise<{ connection: GoogleConnectionRow; calendar: calendar_v3.Calendar } | null> {
  const connection = await findGoogleConnection(db, { userId });
  if (!connection || connection.state === 'disconnected') return null;
  if (connection.state === 'broken') {
    throw new DeliveryError('The Google connection is broken: the practitioner must reconnect Google in settings', { permanent: true });
  }
  const grant = await loadGrant(db, userId);
  if (!grant) {
    await markBroken(db, connection.id, 'no Google grant is stored');
    throw new DeliveryError('No Google grant is stored: the practitioner must reconnect Google', { permanent: true });
  }
  return { connection, calendar: calendarFor(db, grant) };
}

/** A revoked grant marks the connection broken, once: no retries, no loop; settings offer reconnecting. */
export async function markBroken(db: DbOrTx, connectionId: number, reason: string): Promise<void> {
  await db
    .update(googleConnections)
    .set({ state: 'broken', brokenReason: reason, updatedAt: new Date() })
    .where(and(eq(googleConnections.id, connectionId), eq(googleConnections.state, 'connected')));
}

/**
 * Turns a failed Google call into the outbox's terms: a revoked grant breaks the connection and
 * fails at once; 5xx, timeouts and quota answers are retried with backoff; the rest fail.
 */
export async function googleDeliveryError(db: DbOrTx, connectionId: number, err: unknown, signal?: AbortSignal): Promise<DeliveryError> {
  if (err instanceof DeliveryError) return err;
  if (signal?.aborted) return new DeliveryError('Google request aborted: out of time');
  const failure: GoogleFailure = describeGoogleError(err);
  if (failure.revoked) {
    await markBroken(db, connectionId, 'Google refused the grant (revoked or expired)');
    return new DeliveryError(`${failure.message}: reconnect Google`, { permanent: true });
  }
  return new DeliveryError(failure.message, { permanent: !failure.transient });
}

const statusOf = (err: unknown) => describeGoogleError(err).status;

/** The resource id of the connection's live channel, kept on synced events (the design's gcal_watch_resource_id). */
async function watchResourceId(db: DbOrTx, connectionId: number): Promise<string | null> {
  const [row] = await db
    .select({ resourceId: googleChannels.resourceId })
    .from(googleChannels)
    .where(and(eq(googleChannels.connectionId, connectionId), isNull(googleChannels.stoppedAt)))
    .orderBy(desc(googleChannels.expiresAt))
    .limit(1);
  return row?.resourceId ?? null;
}

/** After the last failed attempt the event shows as sync_failed (day view, Deliveries page). */
async function withSyncFailedOnLastAttempt<T>(db: DbOrTx, job: ClaimedJob, calendarEventId: number, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const permanent = err instanceof DeliveryError && err.permanent;
    if (permanent || job.attempts >= MAX_ATTEMPTS) {
      await db.update(calendarEvents).set({ gcalSyncStatus: 'sync_failed' }).where(eq(calendarEvents.id, calendarEventId));
    }
    throw err;
  }
}

/**
 * `google.upsert_event`: the event's Google copy is made to show what we have now (whatever the
 * job's age). The first write inserts with our deterministic id; a 409 means an earlier attempt
 * already made it, so it is patched instead: a retried job never makes a second event.
 */
export async function deliverGoogleUpsert(job: ClaimedJob, { signal }: HandlerContext): Promise<Outcome> {
  const db = await getDb();
  const { practitioner_id: userId, calendar_event_id: calendarEventId } = job.payload as { practitioner_id: number; calendar_event_id: number };
  return withSyncFailedOnLastAttempt(db, job, calendarEventId, async (): Promise<Outcome> => {
    const client = await connectedCalendar(db, userId);
    if (!client) return 'delivered';
    const { connection, calendar } = client;
    const event = await loadEventForGoogle(db, { calendarEventId });
    // Gone or canceled meanwhile: the delete job (queued with that change) removes the copy.
    if (!event || event.userId !== userId || (event.eventType === 'appointment' && event.status !== 'confirmed')) return 'delivered';
    const body = googleEventBody(event.facts, connection.timezone);
    const calendarId = connection.calendarId;
    let written: calendar_v3.Schema$Event;
    try {
      if (event.gcalEventId) {
        written = (await calendar.events.patch({ calendarId, eventId: event.gcalEventId, requestBody: body }, { signal })).data;
      } else {
        const id = googleEventIdFor(calendarEventId);
        try {
          written = (await calendar.events.insert({ calendarId, requestBody: { ...body, id } }, { signal })).data;
        } catch (err) {
          if (statusOf(err) !== 409) throw err;
          written = (await calendar.events.patch({ calendarId, eventId: id, requestBody: body }, { signal })).data;
        }
      }
    } catch (err) {
      const status = statusOf(err);
      // Deleted in Google meanwhile: the sync turns that into our cancellation; nothing to write.
      if (event.gcalEventId && (status === 404 || status === 410)) return 'delivered';
      throw await googleDeliveryError(db, connection.id, err, signal);
    }
    await db
      .update(calendarEvents)
      .set({
        gcalEventId: written.id ?? event.gcalEventId,
        gcalEtag: written.etag ?? null,
        gcalSyncStatus: 'synced',
        gcalWatchResourceId: await watchResourceId(db, connection.id),
      })
      .where(eq(calendarEvents.id, calendarEventId));
    return 'delivered';
  });
}

/** `google.delete_event`: the copy of a canceled appointment or a deleted exception goes; 404/410 = already gone. */
export async function deliverGoogleDelete(job: ClaimedJob, { signal }: HandlerContext): Promise<Outcome> {
  const db = await getDb();
  const {
    practitioner_id: userId,
    calendar_event_id: calendarEventId,
    gcal_event_id: gcalEventId,
  } = job.payload as { practitioner_id: number; calendar_event_id: number; gcal_event_id: string };
  return withSyncFailedOnLastAttempt(db, job, calendarEventId, async (): Promise<Outcome> => {
    const client = await connectedCalendar(db, userId);
    if (!client) return 'delivered';
    try {
      await client.calendar.events.delete({ calendarId: client.connection.calendarId, eventId: gcalEventId }, { signal });
    } catch (err) {
      const status = statusOf(err);
      if (status === 404 || status === 410) return 'already_delivered';
      throw await googleDeliveryError(db, client.connection.id, err, signal);
    }
    await db.update(calendarEvents).set({ gcalSyncStatus: 'synced' }).where(eq(calendarEvents.id, calendarEventId));
    return 'delivered';
  });
}
