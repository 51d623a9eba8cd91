import 'server-only';
import { and, desc, eq, sql } from 'drizzle-orm';
import { assertClinicAdmin } from '../auth/access';
import type { Caller } from '../auth/caller';
import type { DbOrTx } from '../db/client';
import { outboxJobs, patients } from '../db/schema';

export interface DeliveryDto {
  id: number;
  kind: string;
  status: string;
  attempts: number;
  last_error: string | null;
  patient: string | null;
  summary: string | null;
  created_at: string;
  delivered_at: string | null;
  next_attempt_at: string;
}

/** The clinic's outbox for its admin: failed jobs first, then the most recent. */
export async function listDeliveries(db: DbOrTx, caller: Caller, limit = 50): Promise<DeliveryDto[]> {
  assertClinicAdmin(caller, 'sees deliveries');
  const rows = await db
    .select({
      id: outboxJobs.id,
      kind: outboxJobs.kind,
      status: outboxJobs.status,
      attempts: outboxJobs.attempts,
      lastError: outboxJobs.lastError,
      payload: outboxJobs.payload,
      createdAt: outboxJobs.createdAt,
      deliveredAt: outboxJobs.deliveredAt,
      nextAttemptAt: outboxJobs.nextAttemptAt,
      patient: patients.fullName,
    })
    .from(outboxJobs)
    .leftJoin(patients, and(eq(patients.clinicId, outboxJobs.clinicId), sql`${patients.id}::text = ${outboxJobs.payload}->>'patient_id'`))
    .where(eq(outboxJobs.clinicId, caller.clinicId))
    .orderBy(sql`${outboxJobs.status} = 'failed' DESC`, desc(outboxJobs.createdAt), desc(outboxJobs.id))
    .limit(limit);
  return rows.map((r) => {
    const messages = (r.payload as { messages?: Array<{ text?: string }> }).messages;
    return {
      id: r.id,
      kind: r.kind,
      status: r.status,
      attempts: r.attempts,
      last_error: r.lastError,
      patient: r.patient ?? null,
      summary: messages?.[0]?.text?.split('\n')[0] ?? null,
      created_at: r.createdAt.toISOString(),
      delivered_at: r.deliveredAt?.toISOString() ?? null,
      next_attempt_at: r.nextAttemptAt.toISOString(),
    };
  });
}
