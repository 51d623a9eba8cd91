import 'server-only';
import { desc, eq } from 'drizzle-orm';
import { assertClinicAdmin } from '../auth/access';
import type { Caller } from '../auth/caller';
import type { DbOrTx } from '../db/client';
import { agentKeys } from '../db/schema';

export interface AgentKeyDto {
  id: number;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** The clinic's keys for its admin: names and prefixes, never the keys. */
export async function listAgentKeys(db: DbOrTx, caller: Caller): Promise<AgentKeyDto[]> {
  assertClinicAdmin(caller, 'manages agent keys');
  const rows = await db
    .select({
      id: agentKeys.id,
      name: agentKeys.name,
      prefix: agentKeys.keyPrefix,
      createdAt: agentKeys.createdAt,
      lastUsedAt: agentKeys.lastUsedAt,
      revokedAt: agentKeys.revokedAt,
    })
    .from(agentKeys)
    .where(eq(agentKeys.clinicId, caller.clinicId))
    .orderBy(desc(agentKeys.createdAt), desc(agentKeys.id));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    created_at: r.createdAt.toISOString(),
    last_used_at: r.lastUsedAt?.toISOString() ?? null,
    revoked_at: r.revokedAt?.toISOString() ?? null,
  }));
}
