import 'server-only';
import { and, eq, gte, inArray, isNotNull, isNull, ne, or, sql } from 'drizzle-orm';
import { assertMayManage, findPractitionerForCaller } from '../auth/access';
import type { Caller } from '../auth/caller';
import { writeAudit } from '../db/audit';
import type { DbOrTx } from '../db/client';
import { appointments, availabilityExceptions, calendarEvents, googleBusyTimes, googleConnections } from '../db/schema';
import { inTransaction } from '../db/transaction';
import { clinicNow } from '../time/clinic-clock';
import { enqueueJob } from './outbox';

/**
 * The first push after connecting: every event of the practitioner from today on is queued for
 * Google once (each job writes the event's current state, so repeats cost nothing).
 */
export async function queueFuturePushes(tx: DbOrTx, v: { clinicId: number; userId: number; timezone: string; now: Date }): Promise<number> {
  const today = clinicNow(v.timezone, v.now).date;
  const rows = await tx
    .select({ id: calendarEvents.id })
    .from(calendarEvents)
    .leftJoin(appointments, eq(appointments.calendarEventId, calendarEvents.id))
    .leftJoin(availabilityExceptions, eq(availabilityExceptions.calendarEventId, calendarEvents.id))
    .where(
      and(
        eq(calendarEvents.userId, v.userId),
        // A recurring exception's date is its first occurrence: one that began earlier and still runs goes too.
        or(
          gte(calendarEvents.date, today),
          and(
            isNotNull(availabilityExceptions.rrule),
            or(isNull(availabilityExceptions.seriesUntil), gte(availabilityExceptions.seriesUntil, today)),
          ),
        ),
        or(eq(calendarEvents.eventType, 'availability_exception'), eq(appointments.status, 'confirmed')),
      ),
    );
  if (rows.length === 0) return 0;
  await tx
    .update(calendarEvents)
    .set({ gcalSyncStatus: 'pending' })
    .where(
      inArray(
        calendarEvents.id,
        rows.map((r) => r.id),
      ),
    );
  for (const r of rows) {
    await enqueueJob(tx, { clinicId: v.clinicId, kind: 'google.upsert_event', payload: { practitioner_id: v.userId, calendar_event_id: r.id } });
  }
  return rows.length;
}

/**
 * "Disconnect": syncing stops and the channel is stopped (by a `google.disconnect` job); the events
 * already in Google stay there. Sync states go back to null (not connected).
 */
export async function disconnectGoogleCalendar(db: DbOrTx, caller: Caller, practitionerId: number): Promise<void> {
  await inTransaction(db, async (tx) => {
    assertMayManage(caller, await findPractitionerForCaller(tx, caller, practitionerId));
    const [row] = await tx
      .update(googleConnections)
      .set({ state: 'disconnected', syncToken: null, brokenReason: null, updatedAt: new Date() })
      .where(and(eq(googleConnections.userId, practitionerId), sql`${googleConnections.state} <> 'disconnected'`))
      .returning({ id: googleConnections.id });
    if (!row) return;
    await tx.delete(googleBusyTimes).where(eq(googleBusyTimes.userId, practitionerId));
    await tx.update(calendarEvents).set({ gcalSyncStatus: null }).where(eq(calendarEvents.userId, practitionerId));
    await enqueueJob(tx, {
      clinicId: caller.clinicId,
      kind: 'google.disconnect',
      payload: { practitioner_id: practitionerId, connection_id: row.id },
    });
    await writeAudit(tx, caller, {
      action: 'google_calendar.disconnected',
      entityType: 'user',
      entityId: practitionerId,
      practitionerId,
      details: { events_left_in_google: true },
    });
  });
}

/**
 * "Count my other Google events as busy". Turning it on makes the next sync a full one (to learn
 * the events Google already has); turning it off forgets the busy times at once.
 */
export async function setCountBusy(db: DbOrTx, caller: Caller, practitionerId: number, on: boolean): Promise<void> {
  await inTransaction(db, async (tx) => {
    assertMayManage(caller, await findPractitionerForCaller(tx, caller, practitionerId));
    const [row] = await tx
      .update(googleConnections)
      .set({ countBusy: on, ...(on ? { syncToken: null } : {}), updatedAt: new Date() })
      .where(and(eq(googleConnections.userId, practitionerId), ne(googleConnections.countBusy, on)))
      .returning({ id: googleConnections.id });
    if (!row) return;
    if (!on) await tx.delete(googleBusyTimes).where(eq(googleBusyTimes.userId, practitionerId));
    await writeAudit(tx, caller, {
      action: 'google_calendar.count_busy_changed',
      entityType: 'user',
      entityId: practitionerId,
      practitionerId,
      details: { count_busy: on },
    });
  });
}
