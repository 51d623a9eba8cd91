import { asc, eq, inArray } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { outboxAttempts, outboxJobs } from '@/lib/db/schema';
import { BACKOFF_SECONDS, deliverDueJobs, runOutbox, type JobHandler } from '@/lib/outbox/delivery';
import { outboxHandlers } from '@/lib/outbox/handlers';
import { enqueueJob } from '@/lib/services/outbox';
import { useTestDatabase } from '../support/db';
import { makeClinicWithStaff } from '../support/factories';
import { manualClock, useFakeLine } from './support';

describe('outbox runs are bounded: a hanging LINE is aborted, and nothing is claimed once the budget is spent', () => {
  const t = useTestDatabase();
  const line = useFakeLine();
  // Jobs left pending by one test would fall due in the next one.
  afterEach(async () => {
    await t.db().delete(outboxJobs);
  });

  async function enqueuePushes(n: number): Promise<number[]> {
    const c = await makeClinicWithStaff(t.db());
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      ids.push(
        await enqueueJob(t.db(), {
          clinicId: c.clinic.id,
          kind: 'line.push',
          payload: { to: `U${String(i).padStart(32, '0')}`, messages: [{ type: 'text', text: `m${i}` }] },
        }),
      );
    }
    return ids;
  }
  const jobRows = (ids: number[]) => t.db().select().from(outboxJobs).where(inArray(outboxJobs.id, ids)).orderBy(asc(outboxJobs.id));
  const attemptRows = (ids: number[]) =>
    t.db().select().from(outboxAttempts).where(inArray(outboxAttempts.jobId, ids)).orderBy(asc(outboxAttempts.jobId), asc(outboxAttempts.attempt));
  /** Aborted requests close their sockets: give the close a moment to reach the fake. */
  const nothingLeftOpen = () =>
    vi.waitFor(
      () => {
        expect(line().openRequests).toBe(0);
        expect(line().openSockets).toBe(0);
      },
      { timeout: 3_000, interval: 20 },
    );

  it('with LINE hanging on every push, a run returns within its budget, every request aborted and every job back to pending with a backoff', async () => {
    const ids = await enqueuePushes(3);
    line().hangNext(1_000);
    const report = await runOutbox(t.db(), { handlers: outboxHandlers(), budgetMs: 1_500, timeoutMs: 300 });

    await nothingLeftOpen();
    const pushes = line().pushes;
    expect(pushes.length).toBeGreaterThanOrEqual(ids.length);
    // LINE never answered any of them; the client closed each one.
    for (const p of pushes) expect(p).toMatchObject({ status: null, closedUnanswered: true });
    expect(line().executions).toHaveLength(0);
    expect(report).toEqual({ delivered: 0, retried: pushes.length, failed: 0 });

    // Each push is a recorded failed attempt, retried after its backoff; no job is left 'processing'.
    const attempts = await attemptRows(ids);
    expect(attempts).toHaveLength(pushes.length);
    for (const a of attempts) {
      expect(a).toMatchObject({ outcome: 'retry', error: expect.stringMatching(/^aborted: /) });
      expect(a.nextAttemptAt!.getTime() - a.finishedAt.getTime()).toBe(BACKOFF_SECONDS[a.attempt - 1]! * 1000);
    }
    for (const row of await jobRows(ids)) {
      const own = attempts.filter((a) => a.jobId === row.id);
      expect(own.length).toBeGreaterThanOrEqual(1);
      expect(row).toMatchObject({
        status: 'pending',
        attempts: own.length,
        lockedUntil: null,
        lastError: own.at(-1)!.error,
        nextAttemptAt: own.at(-1)!.nextAttemptAt,
      });
    }
  });

  it('more due jobs than a batch: the deadline aborts the batch in flight and no further batch is claimed', async () => {
    const ids = await enqueuePushes(25);
    line().hangNext(1_000);
    // The per-push timeout (15 s by default) is far off: the run's deadline is what stops it.
    const report = await deliverDueJobs(t.db(), { handlers: outboxHandlers(), batchSize: 10, deadline: new Date(Date.now() + 1_000) });
    expect(report).toEqual({ delivered: 0, retried: 10, failed: 0 });

    await nothingLeftOpen();
    expect(line().pushes).toHaveLength(10);
    for (const p of line().pushes) expect(p).toMatchObject({ status: null, closedUnanswered: true });

    const rows = await jobRows(ids);
    const claimed = rows.filter((r) => r.attempts > 0);
    const untouched = rows.filter((r) => r.attempts === 0);
    expect(claimed).toHaveLength(10);
    expect(untouched).toHaveLength(15);
    // The claimed batch is released as a normal retry: attempt recorded, due again after 1 s.
    const attempts = await attemptRows(claimed.map((r) => r.id));
    expect(attempts).toHaveLength(10);
    for (const a of attempts) {
      expect(a).toMatchObject({ attempt: 1, outcome: 'retry', error: expect.stringContaining('time budget is spent') });
      expect(a.nextAttemptAt!.getTime() - a.finishedAt.getTime()).toBe(BACKOFF_SECONDS[0] * 1000);
    }
    for (const r of claimed)
      expect(r).toMatchObject({ status: 'pending', attempts: 1, lockedUntil: null, lastError: expect.stringContaining('time budget is spent') });
    // The rest were never claimed: pending, no attempt, still due now.
    for (const r of untouched) expect(r).toMatchObject({ status: 'pending', attempts: 0, lockedUntil: null, lastError: null });
    expect(await attemptRows(untouched.map((r) => r.id))).toEqual([]);
    expect(untouched.every((r) => r.nextAttemptAt.getTime() <= Date.now())).toBe(true);
  });

  it('a spent budget claims nothing at all', async () => {
    const ids = await enqueuePushes(3);
    const clock = manualClock();
    expect(await deliverDueJobs(t.db(), { handlers: outboxHandlers(), clock: clock.now, deadline: clock.now() })).toEqual({
      delivered: 0,
      retried: 0,
      failed: 0,
    });
    expect(await runOutbox(t.db(), { handlers: outboxHandlers(), clock: clock.now, budgetMs: 0 })).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(line().pushes).toHaveLength(0);
    for (const r of await jobRows(ids)) expect(r).toMatchObject({ status: 'pending', attempts: 0 });
    // With budget left, the same jobs go out.
    expect(await runOutbox(t.db(), { handlers: outboxHandlers(), clock: clock.now, budgetMs: 10_000 })).toEqual({
      delivered: 3,
      retried: 0,
      failed: 0,
    });
  });

  it("a handler's signal aborts at min(timeoutMs, time left in the run), and an aborted handler counts as failed even if it ignores its signal", async () => {
    const [first] = await enqueuePushes(1);
    const seen: AbortSignal[] = [];
    // Never settles, whatever its signal says: the run must still move on.
    const stubborn: JobHandler = (_job, { signal }) => {
      seen.push(signal);
      return new Promise(() => {});
    };

    await deliverDueJobs(t.db(), { handlers: { 'line.push': stubborn }, timeoutMs: 200, deadline: new Date(Date.now() + 10_000) });
    expect(seen[0]!.aborted).toBe(true);
    const [timedOut] = await jobRows([first!]);
    expect(timedOut).toMatchObject({ status: 'pending', attempts: 1, lastError: 'aborted: no answer within 200 ms' });

    await t.db().update(outboxJobs).set({ nextAttemptAt: new Date() }).where(eq(outboxJobs.id, first!));
    await deliverDueJobs(t.db(), { handlers: { 'line.push': stubborn }, timeoutMs: 10_000, deadline: new Date(Date.now() + 200) });
    expect(seen[1]!.aborted).toBe(true);
    const [cut] = await jobRows([first!]);
    expect(cut).toMatchObject({ status: 'pending', attempts: 2, lastError: "aborted: the run's time budget is spent" });
    expect((await attemptRows([first!])).map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'retry'],
      [2, 'retry'],
    ]);
  });
});
