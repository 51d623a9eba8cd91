import 'server-only';
import { and, eq } from 'drizzle-orm';
import { assertClinicAdmin } from '../auth/access';
import type { Caller } from '../auth/caller';
import { writeAudit } from '../db/audit';
import type { DbOrTx } from '../db/client';
import { noteOutboxJobWritten } from '../db/outbox-mark';
import { calendarEvents, outboxJobs } from '../db/schema';
import { AppError } from '../errors';

/** Sends a failed job again from its first attempt (same retry key: LINE still sends it only once). */
export async function retryDelivery(db: DbOrTx, caller: Caller, jobId: number): Promise<void> {
  assertClinicAdmin(caller, 'sees deliveries');
  await db.transaction(async (tx) => {
    const [job] = await tx
      .select({ id: outboxJobs.id, status: outboxJobs.status, kind: outboxJobs.kind, payload: outboxJobs.payload })
      .from(outboxJobs)
      .where(and(eq(outboxJobs.id, jobId), eq(outboxJobs.clinicId, caller.clinicId)));
    if (!job) throw new AppError('not_found', 'Delivery not found');
    if (job.status !== 'failed') return;
    await tx
      .update(outboxJobs)
      .set({ status: 'pending', attempts: 0, nextAttemptAt: new Date(), lockedUntil: null, lastError: null, updatedAt: new Date() })
      .where(eq(outboxJobs.id, jobId));
    // Due again now: the request's after-response run sends it (lib/db/outbox-mark.ts).
    noteOutboxJobWritten();
    // A Google event marked sync_failed is pending again while its job retries.
    const calendarEventId = Number(job.payload.calendar_event_id);
    if (job.kind.startsWith('google.') && Number.isSafeInteger(calendarEventId)) {
      await tx
        .update(calendarEvents)
        .set({ gcalSyncStatus: 'pending' })
        .where(and(eq(calendarEvents.id, calendarEventId), eq(calendarEvents.gcalSyncStatus, 'sync_failed')));
    }
    await writeAudit(tx, caller, { action: 'outbox_job.retried', entityType: 'outbox_job', entityId: jobId });
  });
}
