import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '@/lib/db/client';
import { deliverDueJobs } from '@/lib/outbox/delivery';
import { outboxHandlers } from '@/lib/outbox/handlers';
import { useTestDatabase } from '../support/db';
import { cancelOneAppointment, useFakeLine } from './support';

// A new job's next_attempt_at is PostgreSQL's now(), in microseconds; a run's clock has milliseconds.
// The run right after the response (same millisecond as the commit, on a fast database) must still
// deliver it, not leave it to the next cron minute.
describe('a job written within the millisecond of the run', () => {
  const t = useTestDatabase();
  const line = useFakeLine();

  it('is due for a clock that reads that millisecond', async () => {
    const { job } = await cancelOneAppointment(t.db());
    // Put the job's time inside a millisecond, past its start, as now() often is.
    await t
      .db()
      .execute(sql`UPDATE outbox_jobs SET next_attempt_at = date_trunc('milliseconds', now()) + interval '600 microseconds' WHERE id = ${job.id}`);
    const [row] = await queryRows<{ ms: string }>(
      t.db(),
      sql`SELECT floor(extract(epoch FROM next_attempt_at) * 1000)::bigint::text AS ms FROM outbox_jobs WHERE id = ${job.id}`,
    );
    const sameMillisecond = new Date(Number(row!.ms));
    expect(await deliverDueJobs(t.db(), { handlers: outboxHandlers(), clock: () => sameMillisecond })).toEqual({
      delivered: 1,
      retried: 0,
      failed: 0,
    });
    expect(line().pushes).toHaveLength(1);
  });

  it('is not due a millisecond earlier', async () => {
    const { job } = await cancelOneAppointment(t.db(), '2031-05-08');
    await t
      .db()
      .execute(sql`UPDATE outbox_jobs SET next_attempt_at = date_trunc('milliseconds', now()) + interval '600 microseconds' WHERE id = ${job.id}`);
    const [row] = await queryRows<{ ms: string }>(
      t.db(),
      sql`SELECT floor(extract(epoch FROM next_attempt_at) * 1000)::bigint::text AS ms FROM outbox_jobs WHERE id = ${job.id}`,
    );
    const before = new Date(Number(row!.ms) - 1);
    await deliverDueJobs(t.db(), { handlers: outboxHandlers(), clock: () => before });
    const [after] = await queryRows<{ status: string; attempts: number }>(t.db(), sql`SELECT status, attempts FROM outbox_jobs WHERE id = ${job.id}`);
    expect(after).toEqual({ status: 'pending', attempts: 0 });
  });
});
