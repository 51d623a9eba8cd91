import 'server-only';
import type { DbOrTx } from '../db/client';
import { noteOutboxJobWritten } from '../db/outbox-mark';
import { outboxJobs, type OutboxKind } from '../db/schema';

/**
 * Puts work for an outside service into the durable outbox. Call it inside the transaction of the
 * change that causes it: the job exists exactly when the change does.
 */
export async function enqueueJob(tx: DbOrTx, job: { clinicId: number; kind: OutboxKind; payload: Record<string, unknown> }): Promise<number> {
  const [row] = await tx.insert(outboxJobs).values(job).returning({ id: outboxJobs.id });
  noteOutboxJobWritten();
  return row!.id;
}
