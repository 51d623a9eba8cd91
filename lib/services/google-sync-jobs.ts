import 'server-only';
import { eq, sql, type SQL } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../db/client';
import { calendarEvents, googleConnections } from '../db/schema';
import { enqueueJob } from './outbox';

/** Whether a practitioner's Google Calendar is connected, as SQL (a statement may ask it with its own work). */
export const googleConnected = (userId: number): SQL =>
  sql`EXISTS (SELECT 1 FROM ${googleConnections} WHERE ${googleConnections.userId} = ${userId} AND ${googleConnections.state} = 'connected')`;

/** Whether a practitioner's Google Calendar is connected (the sync mirrors their events). */
export async function hasGoogleConnection(tx: DbOrTx, userId: number): Promise<boolean> {
  const [row] = await queryRows<{ connected: boolean }>(tx, sql`SELECT ${googleConnected(userId)} AS connected`);
  return Boolean(row?.connected);
}

/** After a calendar event is created or changed: mirror it to Google when connected. */
export async function enqueueGoogleUpsert(tx: DbOrTx, v: { clinicId: number; practitionerId: number; calendarEventId: number }): Promise<boolean> {
  if (!(await hasGoogleConnection(tx, v.practitionerId))) return false;
  await queueGoogleUpsert(tx, v);
  return true;
}

/** enqueueGoogleUpsert for a practitioner already known to be connected (in the same transaction). */
export async function queueGoogleUpsert(tx: DbOrTx, v: { clinicId: number; practitionerId: number; calendarEventId: number }): Promise<void> {
  await tx.update(calendarEvents).set({ gcalSyncStatus: 'pending' }).where(eq(calendarEvents.id, v.calendarEventId));
  await enqueueJob(tx, {
    clinicId: v.clinicId,
    kind: 'google.upsert_event',
    payload: { practitioner_id: v.practitionerId, calendar_event_id: v.calendarEventId },
  });
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
