import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { calendarEvents, googleConnections } from '../db/schema';
import { enqueueJob } from './outbox';

/** Whether a practitioner's Google Calendar is connected (the sync mirrors their events). */
export async function hasGoogleConnection(tx: DbOrTx, userId: number): Promise<boolean> {
  const [row] = await tx
    .select({ id: googleConnections.id })
    .from(googleConnections)
    .where(and(eq(googleConnections.userId, userId), eq(googleConnections.state, 'connected')))
    .limit(1);
  return Boolean(row);
}

/** After a calendar event is created or changed: mirror it to Google when connected. */
export async function enqueueGoogleUpsert(tx: DbOrTx, v: { clinicId: number; practitionerId: number; calendarEventId: number }): Promise<boolean> {
  if (!(await hasGoogleConnection(tx, v.practitionerId))) return false;
  await tx.update(calendarEvents).set({ gcalSyncStatus: 'pending' }).where(eq(calendarEvents.id, v.calendarEventId));
  await enqueueJob(tx, {
    clinicId: v.clinicId,
    kind: 'google.upsert_event',
    payload: { practitioner_id: v.practitionerId, calendar_event_id: v.calendarEventId },
  });
  return true;
}

/** After a calendar event is removed or canceled: remove its Google copy, if it has one. */
export async function enqueueGoogleDelete(
  tx: DbOrTx,
  v: { clinicId: number; practitionerId: number; calendarEventId: number; gcalEventId: string | null },
): Promise<boolean> {
  if (!v.gcalEventId) return false;
  await enqueueJob(tx, {
    clinicId: v.clinicId,
    kind: 'google.delete_event',
    payload: { practitioner_id: v.practitionerId, calendar_event_id: v.calendarEventId, gcal_event_id: v.gcalEventId },
  });
  return true;
}
