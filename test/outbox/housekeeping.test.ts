import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { idempotencyKeys, outboxJobs, rateLimitBuckets } from '@/lib/db/schema';
import { purgeExpired } from '@/lib/outbox/housekeeping';
import { enqueueJob } from '@/lib/services/outbox';
import { fixedClock } from '@/lib/time/clock';
import { useTestDatabase } from '../support/db';
import { makeClinic } from '../support/factories';

describe('housekeeping', () => {
  const t = useTestDatabase();

  it('drops expired idempotency answers, old rate-limit windows and month-old delivered jobs, nothing else', async () => {
    const now = new Date('2031-06-01T12:00:00Z');
    const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
    const clinic = await makeClinic(t.db());
    await t
      .db()
      .insert(idempotencyKeys)
      .values([
        { caller: 'agent:1', key: 'old', requestHash: 'x', responseStatus: 201, responseBody: {}, createdAt: hoursAgo(25) },
        { caller: 'agent:1', key: 'fresh', requestHash: 'x', responseStatus: 201, responseBody: {}, createdAt: hoursAgo(23) },
      ]);
    await t
      .db()
      .insert(rateLimitBuckets)
      .values([
        { bucket: 'agent:1', windowStart: hoursAgo(2), count: 5 },
        { bucket: 'agent:1', windowStart: hoursAgo(0.5), count: 5 },
      ]);
    const oldDelivered = await enqueueJob(t.db(), { clinicId: clinic.id, kind: 'line.push', payload: {} });
    const oldFailed = await enqueueJob(t.db(), { clinicId: clinic.id, kind: 'line.push', payload: {} });
    const recent = await enqueueJob(t.db(), { clinicId: clinic.id, kind: 'line.push', payload: {} });
    await t
      .db()
      .update(outboxJobs)
      .set({ status: 'delivered', deliveredAt: hoursAgo(31 * 24) })
      .where(eq(outboxJobs.id, oldDelivered));
    await t.db().update(outboxJobs).set({ status: 'failed' }).where(eq(outboxJobs.id, oldFailed));
    await t
      .db()
      .update(outboxJobs)
      .set({ status: 'delivered', deliveredAt: hoursAgo(24) })
      .where(eq(outboxJobs.id, recent));

    expect(await purgeExpired(t.db(), fixedClock(now))).toEqual({ idempotency_keys: 1, rate_limit_buckets: 1, outbox_jobs: 1 });
    expect((await t.db().select({ key: idempotencyKeys.key }).from(idempotencyKeys)).map((r) => r.key)).toEqual(['fresh']);
    expect(await t.db().select().from(rateLimitBuckets)).toHaveLength(1);
    expect(
      (
        await t
          .db()
          .select({ id: outboxJobs.id })
          .from(outboxJobs)
          .orderBy(sql`id`)
      ).map((r) => r.id),
    ).toEqual([oldFailed, recent]);
  });
});
