import 'server-only';
import { countAgentKeyUse } from '../auth/agent-keys';
import type { Caller } from '../auth/caller';
import { getDb } from '../db/client';
import { AppError } from '../errors';

function limitPerMinute(): number {
  const n = Number(process.env.AGENT_RATE_LIMIT_PER_MINUTE ?? 120);
  return Number.isFinite(n) && n > 0 ? n : 120;
}

export { RATE_LIMIT_SHARDS } from '../auth/agent-keys';

/**
 * Refuses an agent request over its key's limit for the minute (429 rate_limited). The request was
 * counted when its key was looked up (lib/auth/agent-keys.ts presentAgentKey: one statement on an
 * unlogged table, sharded by connection, which also refreshes last_used_at and drops old windows);
 * an agent caller made otherwise is counted here by the same statement.
 *
 * Requests one after another are limited exactly. Requests of one key that are in flight at the
 * same moment may not see each other's increments: at most (that number − 1) more than the limit
 * are let through, which is bounded by the database connections of the servers (DATABASE_POOL_MAX
 * each). Every request still counts, so the next one sees them all.
 */
export async function enforceAgentRateLimit(caller: Caller): Promise<void> {
  if (caller.kind !== 'agent') return;
  const minute = caller.minute ?? (await countAgentKeyUse(await getDb(), caller.agentKeyId));
  if (minute) refuseOverLimit(minute.count, minute.resetSeconds);
}

function refuseOverLimit(count: number, resetSeconds: number): void {
  const limit = limitPerMinute();
  if (count > limit) {
    throw new AppError('rate_limited', 'Too many requests for this agent key; slow down', {
      limit_per_minute: limit,
      retry_after_seconds: Math.max(1, resetSeconds),
    });
  }
}
