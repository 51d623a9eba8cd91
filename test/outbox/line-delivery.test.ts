import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { GET as cron } from '@/app/api/cron/outbox/route';
import { outboxAttempts, outboxJobs } from '@/lib/db/schema';
import { BACKOFF_SECONDS, deliverDueJobs, runOutbox } from '@/lib/outbox/delivery';
import { outboxHandlers } from '@/lib/outbox/handlers';
import { enqueueJob } from '@/lib/services/outbox';
import { useTestDatabase } from '../support/db';
import { makeClinicWithStaff } from '../support/factories';
import { cancelOneAppointment, manualClock, useFakeLine } from './support';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('LINE delivery through the outbox', () => {
  const t = useTestDatabase();
  const line = useFakeLine();
  const handlers = () => outboxHandlers();
  const jobRow = async (id: number) => (await t.db().select().from(outboxJobs).where(eq(outboxJobs.id, id)))[0]!;
  const attempts = (id: number) => t.db().select().from(outboxAttempts).where(eq(outboxAttempts.jobId, id)).orderBy(asc(outboxAttempts.attempt));

  it('a canceled appointment reaches the patient as exactly one LINE push with its retry key', async () => {
    const { job, patient } = await cancelOneAppointment(t.db());
    expect(job.retryKey).toMatch(UUID);
    const report = await deliverDueJobs(t.db(), { handlers: handlers() });
    expect(report).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(line().executions).toHaveLength(1);
    const push = line().pushes[0]!;
    expect(push.retryKey).toBe(job.retryKey);
    expect(push.authorization).toBe('Bearer test-channel-token');
    expect(push.body.to).toBe(patient.lineUserId);
    expect(push.body.messages).toHaveLength(1);
    expect(push.body.messages[0]!.text).toMatch(
      /^📅 預約取消通知\n\n您的預約已被取消：\n• 時間：2031年5月7日（三） 10:00-11:00\n• 治療師：Dr\. Chen\n• 項目：初診評估 \w+\n\n如需重新預約/,
    );
    expect(await jobRow(job.id)).toMatchObject({ status: 'delivered', attempts: 1, lockedUntil: null, deliveredAt: expect.any(Date) });
    // Nothing is due any more: a second run sends nothing.
    expect(await deliverDueJobs(t.db(), { handlers: handlers() })).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(line().pushes).toHaveLength(1);
  });

  it('a LINE that fails three times still delivers once, on the fourth attempt, after 1 + 2 + 4 s', async () => {
    const { job } = await cancelOneAppointment(t.db());
    line().failNext(3, 500);
    const clock = manualClock();
    for (let i = 0; i < 4; i++) {
      await deliverDueJobs(t.db(), { handlers: handlers(), clock: clock.now });
      const row = await jobRow(job.id);
      if (row.status !== 'pending') break;
      // Not due yet a moment before its time…
      clock.set(new Date(row.nextAttemptAt.getTime() - 1));
      expect(await deliverDueJobs(t.db(), { handlers: handlers(), clock: clock.now })).toEqual({ delivered: 0, retried: 0, failed: 0 });
      clock.set(row.nextAttemptAt);
    }
    const recorded = await attempts(job.id);
    expect(recorded.map((a) => a.outcome)).toEqual(['retry', 'retry', 'retry', 'delivered']);
    const waits = recorded.slice(0, 3).map((a) => (a.nextAttemptAt!.getTime() - a.finishedAt.getTime()) / 1000);
    expect(waits).toEqual([1, 2, 4]);
    for (let i = 1; i < recorded.length; i++) expect(recorded[i]!.startedAt.getTime()).toBe(recorded[i - 1]!.nextAttemptAt!.getTime());
    expect(line().pushes.map((p) => [p.status, p.retryKey])).toEqual([
      [500, job.retryKey],
      [500, job.retryKey],
      [500, job.retryKey],
      [200, job.retryKey],
    ]);
    expect(line().executions).toHaveLength(1);
    expect(await jobRow(job.id)).toMatchObject({ status: 'delivered', attempts: 4 });
  });

  it('five failures leave the job failed, with the error, after waits of 1, 2, 4 and 8 s', async () => {
    const { job } = await cancelOneAppointment(t.db());
    line().failNext(5, 503);
    const clock = manualClock();
    for (let i = 0; i < 6; i++) {
      await deliverDueJobs(t.db(), { handlers: handlers(), clock: clock.now });
      const row = await jobRow(job.id);
      if (row.status !== 'pending') break;
      clock.set(row.nextAttemptAt);
    }
    const recorded = await attempts(job.id);
    expect(recorded.map((a) => a.outcome)).toEqual(['retry', 'retry', 'retry', 'retry', 'failed']);
    expect(recorded.slice(0, 4).map((a) => (a.nextAttemptAt!.getTime() - a.finishedAt.getTime()) / 1000)).toEqual([...BACKOFF_SECONDS]);
    expect(await jobRow(job.id)).toMatchObject({ status: 'failed', attempts: 5, lastError: expect.stringContaining('503') });
    expect(line().executions).toHaveLength(0);
    clock.advance(3_600_000);
    expect(await deliverDueJobs(t.db(), { handlers: handlers(), clock: clock.now })).toEqual({ delivered: 0, retried: 0, failed: 0 });
  });

  it('retries a 429 but gives up at once on a 400 (a bad request never gets better)', async () => {
    const first = await cancelOneAppointment(t.db());
    line().failNext(1, 429);
    await deliverDueJobs(t.db(), { handlers: handlers() });
    expect(await jobRow(first.job.id)).toMatchObject({ status: 'pending', attempts: 1 });
    const second = await cancelOneAppointment(t.db(), '2031-05-08');
    await t
      .db()
      .update(outboxJobs)
      .set({ nextAttemptAt: new Date(Date.now() + 60_000) })
      .where(eq(outboxJobs.id, first.job.id));
    line().failNext(1, 400);
    await deliverDueJobs(t.db(), { handlers: handlers() });
    expect(await jobRow(second.job.id)).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringContaining('400') });
  });

  it('without a LINE token the job fails at once with a clear reason', async () => {
    const { job } = await cancelOneAppointment(t.db());
    const token = process.env.LINE_CHANNEL_ACCESS_TOKEN;
    delete process.env.LINE_CHANNEL_ACCESS_TOKEN;
    try {
      await deliverDueJobs(t.db(), { handlers: handlers() });
    } finally {
      process.env.LINE_CHANNEL_ACCESS_TOKEN = token;
    }
    expect(await jobRow(job.id)).toMatchObject({ status: 'failed', lastError: expect.stringContaining('LINE_CHANNEL_ACCESS_TOKEN') });
    expect(line().pushes).toHaveLength(0);
  });

  it('two concurrent runs deliver each job exactly once', async () => {
    const c = await makeClinicWithStaff(t.db());
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) {
      ids.push(
        await enqueueJob(t.db(), {
          clinicId: c.clinic.id,
          kind: 'line.push',
          payload: { to: `U${String(i).padStart(32, '0')}`, messages: [{ type: 'text', text: `m${i}` }] },
        }),
      );
    }
    const [r1, r2] = await Promise.all([
      deliverDueJobs(t.db(), { handlers: handlers(), batchSize: 4 }),
      deliverDueJobs(t.db(), { handlers: handlers(), batchSize: 4 }),
    ]);
    expect(r1.delivered + r2.delivered).toBe(30);
    expect(r1.delivered).toBeGreaterThan(0);
    expect(r2.delivered).toBeGreaterThan(0);
    expect(line().pushes).toHaveLength(30);
    expect(new Set(line().pushes.map((p) => p.retryKey)).size).toBe(30);
    for (const id of ids) expect((await attempts(id)).map((a) => a.outcome)).toEqual(['delivered']);
  });

  it('runOutbox waits for retries that fall due within its budget', async () => {
    const { job } = await cancelOneAppointment(t.db());
    line().failNext(2, 500);
    const report = await runOutbox(t.db(), { handlers: handlers(), budgetMs: 10_000 });
    expect(report).toEqual({ delivered: 1, retried: 2, failed: 0 });
    const recorded = await attempts(job.id);
    expect(recorded.map((a) => a.outcome)).toEqual(['retry', 'retry', 'delivered']);
    expect(recorded[1]!.startedAt.getTime()).toBeGreaterThanOrEqual(recorded[0]!.nextAttemptAt!.getTime());
    expect(recorded[2]!.startedAt.getTime()).toBeGreaterThanOrEqual(recorded[1]!.nextAttemptAt!.getTime());
  });

  it('the cron route needs the CRON_SECRET bearer token, then delivers', async () => {
    const { job } = await cancelOneAppointment(t.db());
    process.env.CRON_SECRET = 'cron-secret-for-tests';
    try {
      const call = (authorization?: string) =>
        cron(new Request('http://localhost/api/cron/outbox', { headers: authorization ? { authorization } : {} }));
      expect((await call()).status).toBe(401);
      expect((await call('Bearer wrong')).status).toBe(401);
      expect(await (await call('Bearer wrong')).json()).toMatchObject({ error: 'unauthorized' });
      expect(line().pushes).toHaveLength(0);
      const ok = await call('Bearer cron-secret-for-tests');
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ delivered: 1, retried: 0, failed: 0, purged: expect.any(Object) });
      expect((await jobRow(job.id)).status).toBe('delivered');
      delete process.env.CRON_SECRET;
      expect((await call('Bearer cron-secret-for-tests')).status).toBe(401);
    } finally {
      delete process.env.CRON_SECRET;
    }
  });
});
