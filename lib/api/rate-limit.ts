import 'server-only';
import { sql } from 'drizzle-orm';
import type { Caller } from '../auth/caller';
import { getDb, queryRows } from '../db/client';
import { AppError } from '../errors';

function limitPerMinute(): number {
  const n = Number(process.env.AGENT_RATE_LIMIT_PER_MINUTE ?? 120);
  return Number.isFinite(n) && n > 0 ? n : 120;
}

/**
 * Counts an agent request in the current minute of its key; over the limit it is 429 rate_limited.
 * A new window also refreshes the key's last_used_at and drops the key's old windows.
 */
export async function enforceAgentRateLimit(caller: Caller): Promise<void> {
  if (caller.kind !== 'agent') return;
  const db = await getDb();
  const bucket = `agent:${caller.agentKeyId}`;
  const [row] = await queryRows<{ count: number; reset: number }>(
    db,
    sql`
    INSERT INTO rate_limit_buckets (bucket, window_start, count) VALUES (${bucket}, date_trunc('minute', now()), 1)
    ON CONFLICT (bucket, window_start) DO UPDATE SET count = rate_limit_buckets.count + 1
    RETURNING count, ceil(extract(epoch FROM window_start + interval '1 minute' - now()))::int AS reset`,
  );
  if (row!.count === 1) {
    await db.execute(sql`DELETE FROM rate_limit_buckets WHERE bucket = ${bucket} AND window_start < now() - interval '1 hour'`);
    await db.execute(sql`UPDATE agent_keys SET last_used_at = now() WHERE id = ${caller.agentKeyId}`);
  }
  if (row!.count > limitPerMinute()) {
    throw new AppError('rate_limited', 'Too many requests for this agent key; slow down', {
      limit_per_minute: limitPerMinute(),
      retry_after_seconds: Math.max(1, row!.reset),
    });
  }
}
