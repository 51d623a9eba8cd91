import 'server-only';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client';
import { systemClock, type Clock } from '../time/clock';

/**
 * Drops what has served its purpose: idempotency answers past their 24 hours, rate-limit windows
 * older than an hour, delivered outbox jobs after 30 days (failed ones stay until retried; the
 * audit log keeps the history either way), and slot holds once expired (used or not: an expired
 * hold takes no time anyway). Run by the outbox cron.
 */
export async function purgeExpired(
  db: Db,
  clock: Clock = systemClock,
): Promise<{ idempotency_keys: number; rate_limit_buckets: number; outbox_jobs: number; slot_holds: number }> {
  const count = async (query: ReturnType<typeof sql>) => (await queryRows<{ n: number }>(db, query))[0]!.n;
  const at = clock().toISOString();
  return {
    idempotency_keys: await count(
      sql`WITH d AS (DELETE FROM idempotency_keys WHERE created_at < ${at}::timestamptz - interval '24 hours' RETURNING 1) SELECT count(*)::int AS n FROM d`,
    ),
    rate_limit_buckets: await count(
      sql`WITH d AS (DELETE FROM rate_limit_buckets WHERE window_start < ${at}::timestamptz - interval '1 hour' RETURNING 1) SELECT count(*)::int AS n FROM d`,
    ),
    outbox_jobs: await count(
      sql`WITH d AS (DELETE FROM outbox_jobs WHERE status = 'delivered' AND delivered_at < ${at}::timestamptz - interval '30 days' RETURNING 1) SELECT count(*)::int AS n FROM d`,
    ),
    slot_holds: await count(
      sql`WITH d AS (DELETE FROM slot_holds WHERE expires_at <= ${at}::timestamptz RETURNING 1) SELECT count(*)::int AS n FROM d`,
    ),
  };
}
