import 'server-only';
import type { DbOrTx } from './client';
import { auditLog } from './schema';

/**
 * Who acted: a clinic member or the clinic's agent (a `Caller` is one), Google (a change made in
 * the practitioner's Google Calendar) or the system itself.
 */
export type AuditActor = { clinicId: number } & (
  { kind: 'user'; userId: number } | { kind: 'agent'; agentKeyId: number } | { kind: 'google' } | { kind: 'system' }
);

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  details?: Record<string, unknown>;
  /** The practitioner and patient concerned; by default `details.practitioner_id` / `details.patient_id`. */
  practitionerId?: number | null;
  patientId?: number | null;
}

const idOf = (value: unknown): number | null => (typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null);

/** The audit row of an entry (writeAudit; a statement that writes its change and its entry together). */
export function auditRow(caller: AuditActor, entry: AuditEntry): typeof auditLog.$inferInsert {
  return {
    clinicId: caller.clinicId,
    actorType: caller.kind,
    actorUserId: caller.kind === 'user' ? caller.userId : null,
    actorAgentKeyId: caller.kind === 'agent' ? caller.agentKeyId : null,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId == null ? null : String(entry.entityId),
    details: entry.details ?? {},
    practitionerId: entry.practitionerId !== undefined ? entry.practitionerId : idOf(entry.details?.practitioner_id),
    patientId: entry.patientId !== undefined ? entry.patientId : idOf(entry.details?.patient_id),
  };
}

/** Written inside the transaction of the change it records. */
export async function writeAudit(tx: DbOrTx, caller: AuditActor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values(auditRow(caller, entry));
}
