import 'server-only';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { getDb } from '../../db/client';
import { googleChannels, outboxJobs } from '../../db/schema';
import { inTransaction } from '../../db/transaction';
import { DeliveryError, type ClaimedJob, type HandlerContext } from '../../outbox/delivery';
import { findGoogleConnection } from '../../queries/google';
import { queueFuturePushes } from '../../services/google-connection';
import { openChannel, RENEW_WITHIN_MS, stopOtherChannels } from './channels';
import { calendarFor, loadGrant } from './client';
import { connectedCalendar, googleDeliveryError } from './push';
import { syncConnection } from './sync';

type Outcome = 'delivered' | 'already_delivered';

/**
 * `google.connect`, right after a member connects: every future appointment and exception is
 * queued for Google once, one watch channel is opened (unless a live one exists), and a first full
 * sync learns the calendar (its sync token, and busy times when asked for).
 */
export async function deliverGoogleConnect(job: ClaimedJob, { signal }: HandlerContext): Promise<Outcome> {
  const db = await getDb();
  const userId = (job.payload as { practitioner_id: number }).practitioner_id;
  const client = await connectedCalendar(db, userId);
  if (!client) return 'delivered';
  const { connection, calendar } = client;
  const now = new Date();
  try {
    if (!job.payload.pushed) {
      await inTransaction(db, async (tx) => {
        await queueFuturePushes(tx, { clinicId: connection.clinicId, userId, timezone: connection.timezone, now });
        // Recorded with the pushes: a retry of this job does not queue them again.
        await tx
          .update(outboxJobs)
          .set({ payload: sql`${outboxJobs.payload} || '{"pushed": true}'::jsonb` })
          .where(eq(outboxJobs.id, job.id));
      });
    }
    const [live] = await db
      .select({ id: googleChannels.id })
      .from(googleChannels)
      .where(
        and(
          eq(googleChannels.connectionId, connection.id),
          isNull(googleChannels.stoppedAt),
          gt(googleChannels.expiresAt, new Date(now.getTime() + RENEW_WITHIN_MS)),
        ),
      );
    if (!live) {
      const channel = await openChannel(db, calendar, connection, now, signal);
      await stopOtherChannels(db, calendar, connection.id, channel.id, now, signal);
    }
    await syncConnection(db, connection.id, { signal });
  } catch (err) {
    throw await googleDeliveryError(db, connection.id, err, signal);
  }
  return 'delivered';
}

/** `google.disconnect`: the channels stop (Google then sends nothing); the events stay in Google. */
export async function deliverGoogleDisconnect(job: ClaimedJob, { signal }: HandlerContext): Promise<Outcome> {
  const db = await getDb();
  const { practitioner_id: userId } = job.payload as { practitioner_id: number };
  const connection = await findGoogleConnection(db, { userId });
  if (!connection) return 'delivered';
  // Reconnected meanwhile: its channels are the new connection's.
  if (connection.state === 'connected') return 'delivered';
  const grant = await loadGrant(db, userId);
  try {
    await stopOtherChannels(db, grant ? calendarFor(db, grant) : null, connection.id, null, new Date(), signal);
  } catch (err) {
    const failure = await googleDeliveryError(db, connection.id, err, signal);
    // A revoked grant cannot stop anything; the channels then expire by themselves.
    if (failure.permanent) {
      await stopOtherChannels(db, null, connection.id, null, new Date());
      return 'delivered';
    }
    throw failure instanceof DeliveryError ? failure : new DeliveryError(String(failure));
  }
  return 'delivered';
}
