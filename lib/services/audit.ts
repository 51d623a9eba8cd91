import type { Caller } from '../auth/caller';
import type { DbOrTx } from '../db/client';
import { auditLog } from '../db/schema';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  details?: Record<string, unknown>;
}

/** Written inside the transaction of the change it records. */
export async function writeAudit(tx: DbOrTx, caller: Caller, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    clinicId: caller.clinicId,
    actorType: caller.kind,
    actorUserId: caller.kind === 'user' ? caller.userId : null,
    actorAgentKeyId: caller.kind === 'agent' ? caller.agentKeyId : null,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId == null ? null : String(entry.entityId),
    details: entry.details ?? {},
  });
}
