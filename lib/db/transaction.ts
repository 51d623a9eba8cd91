import 'server-only';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { AppError } from '../errors';
import type { Db, DbOrTx } from './client';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Thrown when a practitioner's calendar is locked by another transaction; the transaction is retried. */
export class CalendarBusyError extends Error {
  constructor(readonly practitionerId: number) {
    super(`The calendar of practitioner ${practitionerId} is being changed by another request`);
    this.name = 'CalendarBusyError';
  }
}

/** How long a request may wait for a practitioner's calendar (or a patient's bookings) in all, then 503 busy. */
export function busyWaitMs(): number {
  const n = Number(process.env.CALENDAR_BUSY_WAIT_MS ?? 5000);
  return Number.isFinite(n) && n >= 0 ? n : 5000;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// In-process queues of the requests that hold or wait for a practitioner's calendar, first come
// first served. Waiting here holds no database connection; across processes (several servers) the
// database's advisory lock decides, and a waiter that loses to another process backs off.
const queueTails = new Map<number, Promise<void>>();
/** The calendars a transaction holds a place for, released when it ends. */
const places = new WeakMap<object, Map<number, () => void>>();

function joinQueue(practitionerId: number): { turn: Promise<void>; leave: () => void } {
  const ahead = queueTails.get(practitionerId) ?? Promise.resolve();
  let leave!: () => void;
  const mine = new Promise<void>((resolve) => {
    leave = resolve;
  });
  const tail = ahead.then(() => mine);
  queueTails.set(practitionerId, tail);
  void tail.then(() => {
    if (queueTails.get(practitionerId) === tail) queueTails.delete(practitionerId);
  });
  return { turn: ahead, leave };
}

/**
 * Called by lockPractitionerCalendar once the database lock is held: a transaction that got the
 * lock at its first try takes the last place of the queue, so those waiting behind wake up when it
 * ends rather than polling.
 */
export function holdPlace(tx: DbOrTx, practitionerId: number): void {
  const mine = places.get(tx) ?? new Map<number, () => void>();
  places.set(tx, mine);
  if (!mine.has(practitionerId)) mine.set(practitionerId, joinQueue(practitionerId).leave);
}

/**
 * Runs `work` in one transaction. Called inside a transaction, it joins it (the outer one commits or
 * rolls back everything, e.g. the stored Idempotency-Key answer with the change it answers).
 *
 * The outermost call waits when a practitioner's calendar is busy: the lock is only ever *tried*
 * inside the transaction (lib/db/locks.ts), so a waiting request rolls back and queues without
 * holding a pooled connection. One stuck practitioner therefore never takes the pool from the rest
 * of the clinic, and after CALENDAR_BUSY_WAIT_MS the request answers 503 busy with Retry-After
 * instead of hanging.
 */
export async function inTransaction<T>(db: DbOrTx, work: (tx: Tx) => Promise<T>): Promise<T> {
  if (db instanceof PgTransaction) return work(db as Tx);
  const deadline = Date.now() + busyWaitMs();
  const held = new Map<number, () => void>();
  let pause = 5;
  try {
    for (;;) {
      try {
        return await db.transaction(async (tx) => {
          places.set(tx, held);
          return work(tx);
        });
      } catch (err) {
        if (!(err instanceof CalendarBusyError)) throw err;
        const id = err.practitionerId;
        const busy = () => new AppError('busy', 'This calendar is busy with another change; try again in a moment', { retry_after_seconds: 2 });
        if (!held.has(id)) {
          // Queue behind this process's holder and earlier waiters…
          const place = joinQueue(id);
          held.set(id, place.leave);
          const left = deadline - Date.now();
          const ready = await Promise.race([place.turn.then(() => true), sleep(Math.max(0, left)).then(() => false)]);
          if (!ready) throw busy();
          pause = 5;
          continue;
        }
        // …first in line here, but another process holds it: back off (full jitter) and try again.
        const left = deadline - Date.now();
        if (left <= 0) throw busy();
        await sleep(Math.min(left, Math.random() * pause));
        pause = Math.min(pause * 2, 250);
      }
    }
  } finally {
    // A place in the queue lasts exactly as long as this request's transactions.
    for (const leave of held.values()) leave();
  }
}
