import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client';
import { outboxAttempts, outboxJobs, type OutboxKind } from '../db/schema';
import { systemClock, type Clock } from '../time/clock';

/** Waits after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure marks the job failed. */
export const BACKOFF_SECONDS = [1, 2, 4, 8] as const;
export const MAX_ATTEMPTS = BACKOFF_SECONDS.length + 1;

export interface ClaimedJob {
  id: number;
  clinicId: number;
  kind: OutboxKind;
  payload: Record<string, unknown>;
  attempts: number;
  retryKey: string;
}

/** A failed delivery; `permanent` ones (a 400 from LINE, no credentials) are not retried. */
export class DeliveryError extends Error {
  readonly permanent: boolean;
  constructor(message: string, options: { permanent?: boolean } = {}) {
    super(message);
    this.name = 'DeliveryError';
    this.permanent = options.permanent ?? false;
  }
}

/**
 * What a handler gets besides its job. `signal` aborts when the job's time is up: its own timeout or
 * the end of the run's budget, whichever comes first. Pass it to the HTTP request, so an abandoned
 * call closes its socket instead of lingering after the run; once it aborts, the attempt counts as
 * failed (retried with backoff) whatever the handler does afterwards.
 */
export interface HandlerContext {
  signal: AbortSignal;
}

export type JobHandler = (job: ClaimedJob, context: HandlerContext) => Promise<'delivered' | 'already_delivered'>;
export type Handlers = Partial<Record<OutboxKind, JobHandler>>;

export interface DeliveryOptions {
  handlers: Handlers;
  /** tests move it instead of waiting */
  clock?: Clock;
  batchSize?: number;
  /** how long a claim holds before another worker may take the job over (a crashed worker) */
  lockSeconds?: number;
  /** how long one handler call may take before it is aborted and counts as failed */
  timeoutMs?: number;
  /**
   * When the run must end, on the clock. No batch is claimed once it has come (jobs not yet
   * claimed stay pending, untouched), and a handler still running then is aborted and its job
   * released as a normal retry. Without one, a pass runs until nothing is due.
   */
  deadline?: Date;
}

const defaultLockSeconds = () => Number(process.env.OUTBOX_LOCK_SECONDS ?? 60);

/**
 * Claims due jobs atomically: pending ones whose time has come, and processing ones whose claim
 * expired. SKIP LOCKED keeps two concurrent runs from taking the same job.
 */
export async function claimDueJobs(db: Db, o: { now: Date; limit: number; lockSeconds: number; kinds: OutboxKind[] }): Promise<ClaimedJob[]> {
  if (o.kinds.length === 0) return [];
  const lockedUntil = new Date(o.now.getTime() + o.lockSeconds * 1000);
  // The clock has millisecond resolution, PostgreSQL's now() (a new job's next_attempt_at) has
  // microseconds: `now` stands for its whole millisecond, or a job written within the same
  // millisecond as the run that should deliver it (the after-response run) would wait for the cron.
  const dueBefore = new Date(o.now.getTime() + 1);
  const kinds = sql.join(
    o.kinds.map((k) => sql`${k}`),
    sql`, `,
  );
  const rows = await queryRows<{
    id: string | number;
    clinic_id: number;
    kind: OutboxKind;
    payload: Record<string, unknown>;
    attempts: number;
    retry_key: string;
  }>(
    db,
    sql`
    UPDATE outbox_jobs SET status = 'processing', attempts = attempts + 1, locked_until = ${lockedUntil.toISOString()}, updated_at = ${o.now.toISOString()}
    WHERE id IN (
      SELECT id FROM outbox_jobs
      WHERE kind IN (${kinds})
        AND ((status = 'pending' AND next_attempt_at < ${dueBefore.toISOString()})
          OR (status = 'processing' AND locked_until <= ${o.now.toISOString()}))
      ORDER BY next_attempt_at, id
      LIMIT ${o.limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING id, clinic_id, kind, payload, attempts, retry_key`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    clinicId: r.clinic_id,
    kind: r.kind,
    payload: r.payload,
    attempts: r.attempts,
    retryKey: r.retry_key,
  }));
}

/**
 * The run's budget as a signal: it aborts when the deadline comes (a real timer set from the
 * clock's time left), so every handler still running is aborted with it.
 */
function runBudget(deadline: Date | undefined, clock: Clock): { signal: AbortSignal; spent: () => boolean; dispose: () => void } {
  const controller = new AbortController();
  if (!deadline) return { signal: controller.signal, spent: () => false, dispose: () => {} };
  const abort = () => controller.abort(new DeliveryError("aborted: the run's time budget is spent"));
  const left = deadline.getTime() - clock().getTime();
  let timer: NodeJS.Timeout | undefined;
  if (left <= 0) abort();
  else timer = setTimeout(abort, left);
  return {
    signal: controller.signal,
    spent: () => controller.signal.aborted || clock().getTime() >= deadline.getTime(),
    dispose: () => clearTimeout(timer),
  };
}

/**
 * Calls the handler with a signal that aborts after `timeoutMs` or when the run's budget ends,
 * whichever is first, so the job's time is min(timeoutMs, time left in the run). The abort also
 * settles the call at once with the abort's reason, even if a handler ignored its signal.
 */
async function callWithSignal(handler: JobHandler, job: ClaimedJob, timeoutMs: number, run: AbortSignal): Promise<'delivered' | 'already_delivered'> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeliveryError(`aborted: no answer within ${timeoutMs} ms`)), timeoutMs);
  const onRunEnd = () => controller.abort(run.reason);
  let onAbort: (() => void) | undefined;
  try {
    if (run.aborted) onRunEnd();
    else run.addEventListener('abort', onRunEnd, { once: true });
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(controller.signal.reason);
      if (controller.signal.aborted) onAbort();
      else controller.signal.addEventListener('abort', onAbort, { once: true });
    });
    return await Promise.race([handler(job, { signal: controller.signal }), aborted]);
  } finally {
    clearTimeout(timer);
    run.removeEventListener('abort', onRunEnd);
    if (onAbort) controller.signal.removeEventListener('abort', onAbort);
  }
}

type Outcome = 'delivered' | 'already_delivered' | 'retry' | 'failed';

async function deliverOne(
  db: Db,
  job: ClaimedJob,
  o: Required<Pick<DeliveryOptions, 'clock' | 'timeoutMs'>> & { handler: JobHandler; run: AbortSignal },
): Promise<Outcome> {
  const startedAt = o.clock();
  let outcome: Outcome;
  let error: string | null = null;
  if (job.attempts > MAX_ATTEMPTS) {
    outcome = 'failed';
    error = 'abandoned: its workers stopped before finishing';
  } else {
    try {
      outcome = await callWithSignal(o.handler, job, o.timeoutMs, o.run);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
      const permanent = err instanceof DeliveryError && err.permanent;
      outcome = permanent || job.attempts >= MAX_ATTEMPTS ? 'failed' : 'retry';
    }
  }
  const finishedAt = o.clock();
  const nextAttemptAt = outcome === 'retry' ? new Date(finishedAt.getTime() + BACKOFF_SECONDS[job.attempts - 1]! * 1000) : null;
  await db.transaction(async (tx) => {
    await tx.insert(outboxAttempts).values({ jobId: job.id, attempt: job.attempts, startedAt, finishedAt, outcome, error, nextAttemptAt });
    await tx
      .update(outboxJobs)
      .set({
        status: outcome === 'retry' ? 'pending' : outcome === 'failed' ? 'failed' : 'delivered',
        lockedUntil: null,
        lastError: error,
        updatedAt: finishedAt,
        ...(nextAttemptAt ? { nextAttemptAt } : {}),
        ...(outcome === 'delivered' || outcome === 'already_delivered' ? { deliveredAt: finishedAt } : {}),
      })
      .where(eq(outboxJobs.id, job.id));
  });
  return outcome;
}

export interface DeliveryReport {
  delivered: number;
  retried: number;
  failed: number;
}

/**
 * One pass: delivers every job due now (in batches), in parallel within a batch, until nothing is
 * due or the deadline comes: no batch is claimed after it, and handlers still running are aborted.
 */
export async function deliverDueJobs(db: Db, options: DeliveryOptions): Promise<DeliveryReport> {
  const clock = options.clock ?? systemClock;
  const kinds = Object.keys(options.handlers) as OutboxKind[];
  const report: DeliveryReport = { delivered: 0, retried: 0, failed: 0 };
  const workerLock = options.lockSeconds ?? defaultLockSeconds();
  const budget = runBudget(options.deadline, clock);
  try {
    for (;;) {
      if (budget.spent()) return report;
      const jobs = await claimDueJobs(db, { now: clock(), limit: options.batchSize ?? 10, lockSeconds: workerLock, kinds });
      if (jobs.length === 0) return report;
      const outcomes = await Promise.all(
        jobs.map((job) =>
          deliverOne(db, job, {
            clock,
            timeoutMs: options.timeoutMs ?? 15_000,
            handler: options.handlers[job.kind]!,
            run: budget.signal,
          }),
        ),
      );
      for (const o of outcomes) {
        if (o === 'retry') report.retried += 1;
        else if (o === 'failed') report.failed += 1;
        else report.delivered += 1;
      }
    }
  } finally {
    budget.dispose();
  }
}

/** When the next job of these kinds is due (pending), or null. */
export async function nextDueAt(db: Db, kinds: OutboxKind[]): Promise<Date | null> {
  if (kinds.length === 0) return null;
  const [row] = await queryRows<{ at: string | Date | null }>(
    db,
    sql`
    SELECT min(next_attempt_at) AS at FROM outbox_jobs WHERE status = 'pending' AND kind IN (${sql.join(
      kinds.map((k) => sql`${k}`),
      sql`, `,
    )})`,
  );
  return row?.at ? new Date(row.at) : null;
}

/**
 * Delivers until nothing is due within the time budget, sleeping until a retry's time: what runs
 * after a response and in the cron job, so 1-8 s retries happen without waiting for the next cron.
 * The budget is a hard bound: no job is claimed once it is spent, and a delivery still waiting on
 * its answer then is aborted (its job goes back to pending, as a retry).
 */
export async function runOutbox(db: Db, options: DeliveryOptions & { budgetMs: number }): Promise<DeliveryReport> {
  const clock = options.clock ?? systemClock;
  let deadlineMs = clock().getTime() + options.budgetMs;
  if (options.deadline) deadlineMs = Math.min(deadlineMs, options.deadline.getTime());
  const deadline = new Date(deadlineMs);
  const total: DeliveryReport = { delivered: 0, retried: 0, failed: 0 };
  for (;;) {
    const r = await deliverDueJobs(db, { ...options, clock, deadline });
    total.delivered += r.delivered;
    total.retried += r.retried;
    total.failed += r.failed;
    if (clock().getTime() >= deadlineMs) return total;
    const next = await nextDueAt(db, Object.keys(options.handlers) as OutboxKind[]);
    if (!next || next.getTime() >= deadlineMs) return total;
    // Due but not claimable means another run holds it: look again shortly rather than spin.
    const wait = Math.max(50, next.getTime() - clock().getTime());
    await new Promise((resolve) => setTimeout(resolve, Math.min(wait, Math.max(0, deadlineMs - clock().getTime()))));
    if (clock().getTime() >= deadlineMs) return total;
  }
}
