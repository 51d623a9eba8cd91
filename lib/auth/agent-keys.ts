import 'server-only';
import { createHash } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { agentKeys, clinics } from '../db/schema';

/** Every agent key starts with it, so a stray token is refused before any lookup. */
export const AGENT_KEY_PREFIX = 'cbk_';

export function hashAgentKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * The clinic a presented key belongs to, with the clinic's cache version (one join, so the cached
 * clinic data of lib/queries/clinic-cache.ts is checked without another query), or null for
 * unknown and revoked keys.
 */
export async function findActiveAgentKey(db: DbOrTx, key: string): Promise<{ id: number; clinicId: number; clinicVersion: number } | null> {
  if (!key.startsWith(AGENT_KEY_PREFIX) || key.length > 200) return null;
  const [row] = await db
    .select({ id: agentKeys.id, clinicId: agentKeys.clinicId, clinicVersion: clinics.cacheVersion })
    .from(agentKeys)
    .innerJoin(clinics, eq(clinics.id, agentKeys.clinicId))
    .where(and(eq(agentKeys.keyHash, hashAgentKey(key)), isNull(agentKeys.revokedAt)));
  return row ?? null;
}
