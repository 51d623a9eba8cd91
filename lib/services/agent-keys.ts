import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Caller } from '../auth/caller';
import type { DbOrTx } from '../db/client';
import { agentKeys, auditLog, clinics } from '../db/schema';
import { assertClinicAdmin } from './access';
import { writeAudit } from './audit';
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

export interface AgentKeyDto { id: number; name: string; prefix: string; created_at: string; last_used_at: string | null; revoked_at: string | null }

/** The clinic's keys for its admin: names and prefixes, never the keys. */
export async function listAgentKeys(db: DbOrTx, caller: Caller): Promise<AgentKeyDto[]> {
  assertClinicAdmin(caller, 'manages agent keys');
  const rows = await db.select({
    id: agentKeys.id, name: agentKeys.name, prefix: agentKeys.keyPrefix, createdAt: agentKeys.createdAt,
    lastUsedAt: agentKeys.lastUsedAt, revokedAt: agentKeys.revokedAt,
  }).from(agentKeys).where(eq(agentKeys.clinicId, caller.clinicId)).orderBy(desc(agentKeys.createdAt), desc(agentKeys.id));
  return rows.map((r) => ({
    id: r.id, name: r.name, prefix: r.prefix, created_at: r.createdAt.toISOString(),
    last_used_at: r.lastUsedAt?.toISOString() ?? null, revoked_at: r.revokedAt?.toISOString() ?? null,
  }));
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
    const [row] = await tx.update(agentKeys).set({ revokedAt: new Date() })
      .where(and(eq(agentKeys.id, id), eq(agentKeys.clinicId, caller.clinicId), isNull(agentKeys.revokedAt)))
      .returning({ id: agentKeys.id, name: agentKeys.name });
    if (!row) {
      const [exists] = await tx.select({ id: agentKeys.id }).from(agentKeys).where(and(eq(agentKeys.id, id), eq(agentKeys.clinicId, caller.clinicId)));
      if (!exists) throw new AppError('not_found', 'Agent key not found');
      return; // already revoked
    }
    await writeAudit(tx, caller, { action: 'agent_key.revoked', entityType: 'agent_key', entityId: row.id, details: { name: row.name } });
  });
}
