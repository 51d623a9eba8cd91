import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { agentKeys, auditLog, clinics } from '../db/schema';
import { AppError } from '../errors';

const KEY_PREFIX = 'cbk_';

export function hashAgentKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export interface CreatedAgentKey { id: number; clinicId: number; name: string; prefix: string; key: string }

/** Creates a key for a clinic; the plain key is returned once and only its hash is stored. */
export async function createAgentKey(db: DbOrTx, input: { clinicSlug: string; name: string; actorUserId?: number }): Promise<CreatedAgentKey> {
  return db.transaction(async (tx) => {
    const [clinic] = await tx.select({ id: clinics.id }).from(clinics).where(eq(clinics.slug, input.clinicSlug));
    if (!clinic) throw new AppError('not_found', `No clinic with slug "${input.clinicSlug}"`);
    const key = KEY_PREFIX + randomBytes(32).toString('base64url');
    const prefix = key.slice(0, 12);
    const [row] = await tx.insert(agentKeys)
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

/** The clinic a presented key belongs to, or null for unknown and revoked keys. */
export async function findActiveAgentKey(db: DbOrTx, key: string): Promise<{ id: number; clinicId: number } | null> {
  if (!key.startsWith(KEY_PREFIX) || key.length > 200) return null;
  const [row] = await db.select({ id: agentKeys.id, clinicId: agentKeys.clinicId }).from(agentKeys)
    .where(and(eq(agentKeys.keyHash, hashAgentKey(key)), isNull(agentKeys.revokedAt)));
  return row ?? null;
}
