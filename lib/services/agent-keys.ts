import 'server-only';
import { randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { assertClinicAdmin } from '../auth/access';
import { AGENT_KEY_PREFIX, hashAgentKey } from '../auth/agent-keys';
import type { Caller } from '../auth/caller';
import { writeAudit } from '../db/audit';
import type { DbOrTx } from '../db/client';
import { agentKeys, auditLog, clinics } from '../db/schema';
import { AppError } from '../errors';

export interface CreatedAgentKey {
  id: number;
  clinicId: number;
  name: string;
  prefix: string;
  key: string;
}

/** Creates a key for a clinic; the plain key is returned once and only its hash is stored. */
export async function createAgentKey(db: DbOrTx, input: { clinicSlug: string; name: string; actorUserId?: number }): Promise<CreatedAgentKey> {
  return db.transaction(async (tx) => {
    const [clinic] = await tx.select({ id: clinics.id }).from(clinics).where(eq(clinics.slug, input.clinicSlug));
    if (!clinic) throw new AppError('not_found', `No clinic with slug "${input.clinicSlug}"`);
    const key = AGENT_KEY_PREFIX + randomBytes(32).toString('base64url');
    const prefix = key.slice(0, 12);
    const [row] = await tx
      .insert(agentKeys)
      .values({ clinicId: clinic.id, name: input.name, keyHash: hashAgentKey(key), keyPrefix: prefix })
      .returning({ id: agentKeys.id });
    await tx.insert(auditLog).values({
      clinicId: clinic.id,
      actorType: input.actorUserId ? 'user' : 'system',
      actorUserId: input.actorUserId ?? null,
      action: 'agent_key.created',
      entityType: 'agent_key',
      entityId: String(row!.id),
      details: { name: input.name, prefix },
    });
    return { id: row!.id, clinicId: clinic.id, name: input.name, prefix, key };
  });
}

/** An admin creates a key for their own clinic; the plain key is returned once. */
export async function createAgentKeyByAdmin(db: DbOrTx, caller: Caller, name: string): Promise<CreatedAgentKey> {
  assertClinicAdmin(caller, 'manages agent keys');
  const [clinic] = await db.select({ slug: clinics.slug }).from(clinics).where(eq(clinics.id, caller.clinicId));
  return createAgentKey(db, { clinicSlug: clinic!.slug, name, actorUserId: caller.userId });
}

/** Revoking takes effect on the key's next request. Another clinic's key id is not found. */
export async function revokeAgentKey(db: DbOrTx, caller: Caller, id: number): Promise<void> {
  assertClinicAdmin(caller, 'manages agent keys');
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(agentKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(agentKeys.id, id), eq(agentKeys.clinicId, caller.clinicId), isNull(agentKeys.revokedAt)))
      .returning({ id: agentKeys.id, name: agentKeys.name });
    if (!row) {
      const [exists] = await tx
        .select({ id: agentKeys.id })
        .from(agentKeys)
        .where(and(eq(agentKeys.id, id), eq(agentKeys.clinicId, caller.clinicId)));
      if (!exists) throw new AppError('not_found', 'Agent key not found');
      return; // already revoked
    }
    await writeAudit(tx, caller, { action: 'agent_key.revoked', entityType: 'agent_key', entityId: row.id, details: { name: row.name } });
  });
}
