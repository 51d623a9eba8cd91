import { eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client';
import { outboxAttempts, outboxJobs, type OutboxKind } from '../db/schema';

/** Waits after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure marks the job failed. */
export const BACKOFF_SECONDS = [1, 2, 4, 8] as const;
export const MAX_ATTEMPTS = BACKOFF_SECONDS.length + 1;

export interface ClaimedJob {
  id: number; clinicId: number; kind: OutboxKind; payload: Record<string, unknown>; attempts: number; retryKey: string;
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

export type JobHandler = (job: ClaimedJob) => Promise<'delivered' | 'already_delivered'>;
export type Handlers = Partial<Record<OutboxKind, JobHandler>>;

export interface DeliveryOptions {
  handlers: Handlers;
  /** the clock; tests move it instead of waiting */
  now?: () => Date;
  batchSize?: number;
  /** how long a claim holds before another worker may take the job over (a crashed worker) */
  lockSeconds?: number;
  /** how long one handler call may take before it counts as failed */
  timeoutMs?: number;
}

const defaultLockSeconds = () => Number(process.env.OUTBOX_LOCK_SECONDS ?? 60);

/**
 * Claims due jobs atomically: pending ones whose time has come, and processing ones whose claim
 * expired. SKIP LOCKED keeps two concurrent runs from taking the same job.
 */
export async function claimDueJobs(db: Db, o: { now: Date; limit: number; lockSeconds: number; kinds: OutboxKind[] }): Promise<ClaimedJob[]> {
  if (o.kinds.length === 0) return [];
  const lockedUntil = new Date(o.now.getTime() + o.lockSeconds * 1000);
  const kinds = sql.join(o.kinds.map((k) => sql`${k}`), sql`, `);
  const rows = await queryRows<{ id: string | number; clinic_id: number; kind: OutboxKind; payload: Record<string, unknown>; attempts: number; retry_key: string }>(db, sql`
    UPDATE outbox_jobs SET status = 'processing', attempts = attempts + 1, locked_until = ${lockedUntil.toISOString()}, updated_at = ${o.now.toISOString()}
    WHERE id IN (
      SELECT id FROM outbox_jobs
      WHERE kind IN (${kinds})
        AND ((status = 'pending' AND next_attempt_at <= ${o.now.toISOString()})
          OR (status = 'processing' AND locked_until <= ${o.now.toISOString()}))
      ORDER BY next_attempt_at, id
      LIMIT ${o.limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING id, clinic_id, kind, payload, attempts, retry_key`);
  return rows.map((r) => ({ id: Number(r.id), clinicId: r.clinic_id, kind: r.kind, payload: r.payload, attempts: r.attempts, retryKey: r.retry_key }));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new DeliveryError(`no answer within ${ms} ms`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

type Outcome = 'delivered' | 'already_delivered' | 'retry' | 'failed';

async function deliverOne(db: Db, job: ClaimedJob, o: Required<Pick<DeliveryOptions, 'now' | 'timeoutMs'>> & { handler: JobHandler }): Promise<Outcome> {
  const startedAt = o.now();
  let outcome: Outcome;
  let error: string | null = null;
  if (job.attempts > MAX_ATTEMPTS) {
    outcome = 'failed';
    error = 'abandoned: its workers stopped before finishing';
  } else {
    try {
      outcome = await withTimeout(o.handler(job), o.timeoutMs);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
      const permanent = err instanceof DeliveryError && err.permanent;
      outcome = permanent || job.attempts >= MAX_ATTEMPTS ? 'failed' : 'retry';
    }
  }
  const finishedAt = o.now();
  const nextAttemptAt = outcome === 'retry' ? new Date(finishedAt.getTime() + BACKOFF_SECONDS[job.attempts - 1]! * 1000) : null;
  await db.transaction(async (tx) => {
    await tx.insert(outboxAttempts).values({ jobId: job.id, attempt: job.attempts, startedAt, finishedAt, outcome, error, nextAttemptAt });
    await tx.update(outboxJobs).set({
      status: outcome === 'retry' ? 'pending' : outcome === 'failed' ? 'failed' : 'delivered',
      lockedUntil: null,
      lastError: error,
      updatedAt: finishedAt,
      ...(nextAttemptAt ? { nextAttemptAt } : {}),
      ...(outcome === 'delivered' || outcome === 'already_delivered' ? { deliveredAt: finishedAt } : {}),
    }).where(eq(outboxJobs.id, job.id));
  });
  return outcome;
}

export interface DeliveryReport { delivered: number; retried: number; failed: number }

/** One pass: delivers every job due now (in batches), in parallel within a batch. */
export async function deliverDueJobs(db: Db, options: DeliveryOptions): Promise<DeliveryReport> {
  const now = options.now ?? (() => new Date());
  const kinds = Object.keys(options.handlers) as OutboxKind[];
  const report: DeliveryReport = { delivered: 0, retried: 0, failed: 0 };
  const workerLock = options.lockSeconds ?? defaultLockSeconds();
  for (;;) {
    const jobs = await claimDueJobs(db, { now: now(), limit: options.batchSize ?? 10, lockSeconds: workerLock, kinds });
    if (jobs.length === 0) return report;
    const outcomes = await Promise.all(jobs.map((job) => deliverOne(db, job, { now, timeoutMs: options.timeoutMs ?? 15_000, handler: options.handlers[job.kind]! })));
    for (const o of outcomes) {
      if (o === 'retry') report.retried += 1;
      else if (o === 'failed') report.failed += 1;
      else report.delivered += 1;
    }
  }
}

/** When the next job of these kinds is due (pending), or null. */
export async function nextDueAt(db: Db, kinds: OutboxKind[]): Promise<Date | null> {
  if (kinds.length === 0) return null;
  const [row] = await queryRows<{ at: string | Date | null }>(db, sql`
    SELECT min(next_attempt_at) AS at FROM outbox_jobs WHERE status = 'pending' AND kind IN (${sql.join(kinds.map((k) => sql`${k}`), sql`, `)})`);
  return row?.at ? new Date(row.at) : null;
}

/**
 * Delivers until nothing is due within the time budget, sleeping until a retry's time: what runs
 * after a response and in the cron job, so 1-8 s retries happen without waiting for the next cron.
 */
export async function runOutbox(db: Db, options: DeliveryOptions & { budgetMs: number }): Promise<DeliveryReport> {
  const now = options.now ?? (() => new Date());
  const deadline = now().getTime() + options.budgetMs;
  const total: DeliveryReport = { delivered: 0, retried: 0, failed: 0 };
  for (;;) {
    const r = await deliverDueJobs(db, { ...options, now });
    total.delivered += r.delivered;
    total.retried += r.retried;
    total.failed += r.failed;
    const next = await nextDueAt(db, Object.keys(options.handlers) as OutboxKind[]);
    if (!next || next.getTime() > deadline) return total;
    // Due but not claimable means another run holds it: look again shortly rather than spin.
    const wait = Math.max(50, next.getTime() - now().getTime());
    await new Promise((resolve) => setTimeout(resolve, Math.min(wait, Math.max(0, deadline - now().getTime()))));
    if (now().getTime() >= deadline) return total;
  }
}
