import { PgTransaction } from 'drizzle-orm/pg-core';
import { AppError } from '../errors';
import type { DbOrTx } from './client';

export type Tx = Parameters<Parameters<import('./client').Db['transaction']>[0]>[0];

/** Thrown when a practitioner's calendar is locked by another transaction; the transaction is retried. */
export class CalendarBusyError extends Error {
  constructor(readonly practitionerId: number) {
    super(`The calendar of practitioner ${practitionerId} is being changed by another request`);
    this.name = 'CalendarBusyError';
  }
}

/** How long a request may wait for a practitioner's calendar in all, then 503 busy. */
function busyWaitMs(): number {
  const n = Number(process.env.CALENDAR_BUSY_WAIT_MS ?? 5000);
  return Number.isFinite(n) && n >= 0 ? n : 5000;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` in one transaction. Called inside a transaction, it joins it (the outer one commits or
 * rolls back everything, e.g. the stored Idempotency-Key answer with the change it answers).
 *
 * The outermost call retries when a practitioner's calendar is busy: the lock is only ever *tried*
 * inside the transaction (lib/db/locks.ts), so a waiting request rolls back and sleeps without
 * holding a pooled connection. One stuck practitioner therefore never takes the pool from the
 * rest of the clinic, and after CALENDAR_BUSY_WAIT_MS the request answers 503 busy with
 * Retry-After instead of hanging.
 */
export async function inTransaction<T>(db: DbOrTx, work: (tx: Tx) => Promise<T>): Promise<T> {
  if (db instanceof PgTransaction) return work(db as Tx);
  const deadline = Date.now() + busyWaitMs();
  let pause = 5;
  for (;;) {
    try {
      return await db.transaction(work);
    } catch (err) {
      if (!(err instanceof CalendarBusyError)) throw err;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new AppError('busy', 'This calendar is busy with another change; try again in a moment', { retry_after_seconds: 2 });
      }
      // Full jitter keeps a crowd of waiters from retrying in step.
      await sleep(Math.min(left, Math.random() * pause));
      pause = Math.min(pause * 2, 250);
    }
  }
}
