import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { idempotencyKeys, outboxJobs, rateLimitBuckets, slotHolds } from '@/lib/db/schema';
import { purgeExpired } from '@/lib/outbox/housekeeping';
import { enqueueJob } from '@/lib/services/outbox';
import { fixedClock } from '@/lib/time/clock';
import { useTestDatabase } from '../support/db';
import { makeClinicWithStaff } from '../support/factories';

describe('housekeeping', () => {
  const t = useTestDatabase();

  it('drops expired idempotency answers, old rate-limit windows, month-old delivered jobs and expired slot holds, nothing else', async () => {
    const now = new Date('2031-06-01T12:00:00Z');
    const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
    const cast = await makeClinicWithStaff(t.db());
    const clinic = cast.clinic;
    const hold = {
      clinicId: clinic.id,
      userId: cast.practitioner.id,
      appointmentTypeId: cast.type.id,
      date: '2031-06-02',
      startTime: '10:00',
      endTime: '11:00',
    };
    const [, live] = await t
      .db()
      .insert(slotHolds)
      .values([
        { ...hold, createdByUserId: cast.practitioner.id, expiresAt: hoursAgo(0.01) },
        { ...hold, createdByUserId: cast.practitioner.id, expiresAt: new Date(now.getTime() + 60_000) },
      ])
      .returning({ id: slotHolds.id });
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

    expect(await purgeExpired(t.db(), fixedClock(now))).toEqual({ idempotency_keys: 1, rate_limit_buckets: 1, outbox_jobs: 1, slot_holds: 1 });
    expect(await t.db().select({ id: slotHolds.id }).from(slotHolds)).toEqual([live]);
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
