import { and, desc, eq, sql } from 'drizzle-orm';
import type { Caller } from '../auth/caller';
import type { DbOrTx } from '../db/client';
import { outboxJobs, patients } from '../db/schema';
import { AppError } from '../errors';
import { assertClinicAdmin } from './access';
import { writeAudit } from './audit';

export interface DeliveryDto {
  id: number; kind: string; status: string; attempts: number; last_error: string | null; patient: string | null;
  summary: string | null; created_at: string; delivered_at: string | null; next_attempt_at: string;
}

/** The clinic's outbox for its admin: failed jobs first, then the most recent. */
export async function listDeliveries(db: DbOrTx, caller: Caller, limit = 50): Promise<DeliveryDto[]> {
  assertClinicAdmin(caller, 'sees deliveries');
  const rows = await db.select({
    id: outboxJobs.id, kind: outboxJobs.kind, status: outboxJobs.status, attempts: outboxJobs.attempts, lastError: outboxJobs.lastError,
    payload: outboxJobs.payload, createdAt: outboxJobs.createdAt, deliveredAt: outboxJobs.deliveredAt, nextAttemptAt: outboxJobs.nextAttemptAt,
    patient: patients.fullName,
  }).from(outboxJobs)
    .leftJoin(patients, and(eq(patients.clinicId, outboxJobs.clinicId), sql`${patients.id}::text = ${outboxJobs.payload}->>'patient_id'`))
    .where(eq(outboxJobs.clinicId, caller.clinicId))
    .orderBy(sql`${outboxJobs.status} = 'failed' DESC`, desc(outboxJobs.createdAt), desc(outboxJobs.id))
    .limit(limit);
  return rows.map((r) => {
    const messages = (r.payload as { messages?: Array<{ text?: string }> }).messages;
    return {
      id: r.id, kind: r.kind, status: r.status, attempts: r.attempts, last_error: r.lastError, patient: r.patient ?? null,
      summary: messages?.[0]?.text?.split('\n')[0] ?? null,
      created_at: r.createdAt.toISOString(), delivered_at: r.deliveredAt?.toISOString() ?? null, next_attempt_at: r.nextAttemptAt.toISOString(),
    };
  });
}

/** Sends a failed job again from its first attempt (same retry key: LINE still sends it only once). */
export async function retryDelivery(db: DbOrTx, caller: Caller, jobId: number): Promise<void> {
  assertClinicAdmin(caller, 'sees deliveries');
  await db.transaction(async (tx) => {
    const [job] = await tx.select({ id: outboxJobs.id, status: outboxJobs.status }).from(outboxJobs)
      .where(and(eq(outboxJobs.id, jobId), eq(outboxJobs.clinicId, caller.clinicId)));
    if (!job) throw new AppError('not_found', 'Delivery not found');
    if (job.status !== 'failed') return;
    await tx.update(outboxJobs).set({ status: 'pending', attempts: 0, nextAttemptAt: new Date(), lockedUntil: null, lastError: null, updatedAt: new Date() })
      .where(eq(outboxJobs.id, jobId));
    await writeAudit(tx, caller, { action: 'outbox_job.retried', entityType: 'outbox_job', entityId: jobId });
  });
}
