import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { googleChannels, googleConnections } from '../../db/schema';
import { findGoogleConnection } from '../../queries/google';
import { openChannel, RENEW_WITHIN_MS, stopOtherChannels } from './channels';
import { calendarFor, describeGoogleError, loadGrant } from './client';
import { markBroken } from './push';
import { syncConnection } from './sync';

/** Connections handled at once: one practitioner's slow calendar never holds up the others. */
const PARALLEL = 5;

async function eachInParallel<T>(items: T[], deadline: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && Date.now() < deadline) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
}

/**
 * The channel-renewal cron (CONTRACT.md: channels that expire within 24 hours): for each connected
 * practitioner without a live channel lasting beyond that, a new channel is opened first and the
 * old ones are stopped after, so no notification falls between them.
 */
export async function renewChannels(db: Db, o: { now: () => Date; budgetMs: number }): Promise<{ renewed: number; failed: number }> {
  const now = o.now();
  const horizon = new Date(now.getTime() + RENEW_WITHIN_MS);
  const due = await db
    .select({ id: googleConnections.id })
    .from(googleConnections)
    .where(
      and(
        eq(googleConnections.state, 'connected'),
        sql`NOT EXISTS (
      SELECT 1 FROM ${googleChannels} c WHERE c.connection_id = ${googleConnections.id} AND c.stopped_at IS NULL AND c.expires_at > ${horizon.toISOString()})`,
      ),
    );
  const report = { renewed: 0, failed: 0 };
  await eachInParallel(due, now.getTime() + o.budgetMs, async ({ id }) => {
    const connection = await findGoogleConnection(db, { id });
    if (!connection || connection.state !== 'connected') return;
    const grant = await loadGrant(db, connection.userId);
    if (!grant) {
      await markBroken(db, connection.id, 'no Google grant is stored');
      report.failed += 1;
      return;
    }
    const calendar = calendarFor(db, grant);
    try {
      const channel = await openChannel(db, calendar, connection, o.now());
      await stopOtherChannels(db, calendar, connection.id, channel.id, o.now());
      report.renewed += 1;
    } catch (err) {
      const failure = describeGoogleError(err);
      if (failure.revoked) await markBroken(db, connection.id, 'Google refused the grant (revoked or expired)');
      console.warn(`Google channel renewal failed for connection ${connection.id}: ${failure.message}`);
      report.failed += 1;
    }
  });
  return report;
}

/** The cron's catch-up: an incremental sync of every connected calendar (notifications can be lost). */
export async function syncAllConnections(db: Db, o: { now: () => Date; budgetMs: number }): Promise<{ synced: number; failed: number }> {
  const connected = await db.select({ id: googleConnections.id }).from(googleConnections).where(eq(googleConnections.state, 'connected'));
  const report = { synced: 0, failed: 0 };
  await eachInParallel(connected, o.now().getTime() + o.budgetMs, async ({ id }) => {
    try {
      const r = await syncConnection(db, id, { now: o.now });
      if (r.state === 'synced') report.synced += 1;
    } catch (err) {
      console.warn(`Google sync failed for connection ${id}: ${describeGoogleError(err).message}`);
      report.failed += 1;
    }
  });
  return report;
}
