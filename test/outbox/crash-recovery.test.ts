import { spawn } from 'node:child_process';
import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { outboxAttempts, outboxJobs } from '@/lib/db/schema';
import { deliverDueJobs } from '@/lib/outbox/delivery';
import { outboxHandlers } from '@/lib/outbox/handlers';
import { useTestDatabase } from '../support/db';
import { cancelOneAppointment, manualClock, useFakeLine } from './support';

describe('a worker killed halfway through loses nothing', () => {
  const t = useTestDatabase();
  const line = useFakeLine();

  /** Starts a worker process, waits until it holds the job and its push hangs, then kills it. */
  async function killWorkerMidPush(jobId: number): Promise<void> {
    const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'test/outbox/worker-child.ts'], {
      env: { ...process.env, DATABASE_URL: t.url(), DATABASE_DRIVER: 'postgres', OUTBOX_LOCK_SECONDS: '2' },
      stdio: 'pipe',
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const deadline = Date.now() + 20_000;
    while (line().pushes.length === 0) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`worker never pushed: ${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const [held] = await t.db().select().from(outboxJobs).where(eq(outboxJobs.id, jobId));
    expect(held).toMatchObject({ status: 'processing', attempts: 1, lockedUntil: expect.any(Date) });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    expect(await exited).toBeNull(); // killed by a signal, not finished
  }

  it('takes over a job whose worker died before LINE answered, and delivers it once', async () => {
    const { job } = await cancelOneAppointment(t.db());
    line().hangNext(1);
    await killWorkerMidPush(job.id);

    const clock = manualClock();
    // Still claimed by the dead worker: nobody takes it before the claim expires…
    expect(await deliverDueJobs(t.db(), { handlers: outboxHandlers(), clock: clock.now })).toEqual({ delivered: 0, retried: 0, failed: 0 });
    // …and after it, the job is delivered, with the same retry key.
    clock.advance(3_000);
    expect(await deliverDueJobs(t.db(), { handlers: outboxHandlers(), clock: clock.now })).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(line().pushes.map((p) => p.retryKey)).toEqual([job.retryKey, job.retryKey]);
    expect(line().executions).toHaveLength(1);
    const [row] = await t.db().select().from(outboxJobs).where(eq(outboxJobs.id, job.id));
    expect(row).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('when LINE had already executed the lost push, the retry key makes the repeat a no-op', async () => {
    const { job } = await cancelOneAppointment(t.db(), '2031-05-09');
    line().hangNext(1, { execute: true });
    await killWorkerMidPush(job.id);
    const clock = manualClock(Date.now() + 3_000);
    expect(await deliverDueJobs(t.db(), { handlers: outboxHandlers(), clock: clock.now })).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(line().pushes.map((p) => p.status)).toEqual([null, 409]);
    expect(line().executions).toHaveLength(1);
    const recorded = await t.db().select().from(outboxAttempts).where(eq(outboxAttempts.jobId, job.id)).orderBy(asc(outboxAttempts.attempt));
    expect(recorded.map((a) => [a.attempt, a.outcome])).toEqual([[2, 'already_delivered']]);
  });
});
