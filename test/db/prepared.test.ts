import { describe, expect, it } from 'vitest';
import { getDb, type DbOrTx } from '@/lib/db/client';
import { inTransaction } from '@/lib/db/transaction';
import { loadAvailabilityInputs } from '@/lib/queries/calendar-data';
import { useDriver } from '../support/drivers';
import { makeClinicWithStaff, makeException, setWeek } from '../support/factories';

const DAY = '2031-06-04'; // a Wednesday

/** A practitioner working 09:00-17:00 on DAY, and what a handle (a transaction, or the database) reads as blocked then, as [start, end] minutes. */
async function practitionerWorkingOnDay() {
  const db = await getDb();
  const c = await makeClinicWithStaff(db);
  await setWeek(db, c.practitioner.id, { 3: [['09:00', '17:00']] });
  const blockedIn = (handle: DbOrTx) =>
    loadAvailabilityInputs(handle, { practitionerIds: [c.practitioner.id], from: DAY, to: DAY, now: new Date('2031-06-01T00:00:00Z') }).then((m) =>
      m
        .get(c.practitioner.id)!
        .blockedOn(DAY)
        .map((b) => [b.start, b.end]),
    );
  return { db, c, blockedIn };
}

describe.each(['postgres', 'pglite'] as const)('named statements in transactions on %s', (driver) => {
  useDriver(driver);

  // A transaction's named statement is the one built for an earlier transaction, bound to this one's
  // connection (lib/db/prepared.ts): each must read its own transaction's uncommitted rows.
  it('each transaction reads through its own connection, seeing what it wrote and nothing another rolled back', async () => {
    const { db, c, blockedIn } = await practitionerWorkingOnDay();
    const rolledBack = new Error('rolled back on purpose');
    for (const [start, end] of [
      ['09:00', '10:00'],
      ['11:00', '12:00'],
      ['13:00', '14:00'],
    ] as const) {
      const seen = await inTransaction(db, async (tx) => {
        await makeException(tx, { userId: c.practitioner.id, date: DAY, startTime: start, endTime: end });
        const inside = await blockedIn(tx);
        throw Object.assign(rolledBack, { inside });
      }).catch((err: Error & { inside?: number[][] }) => err.inside);
      const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
      expect(seen).toEqual([[minutes(start), minutes(end)]]);
    }
    // Outside any transaction, nothing of them is left.
    expect(await blockedIn(db)).toEqual([]);
  });
});

describe('named statements in concurrent transactions on PostgreSQL', () => {
  useDriver('postgres');

  it('two open transactions read through their own connections at the same time', async () => {
    const { db, c, blockedIn } = await practitionerWorkingOnDay();
    const signal = () => {
      let done!: () => void;
      return { wait: new Promise<void>((r) => (done = r)), done: () => done() };
    };
    const aRead = signal();
    const bRead = signal();
    const rollback = (seen: number[][]) => Object.assign(new Error('rolled back on purpose'), { seen });
    const seenBy = (p: Promise<unknown>) => p.catch((err: Error & { seen?: number[][] }) => err.seen);
    const [a, b] = await Promise.all([
      seenBy(
        inTransaction(db, async (tx) => {
          await makeException(tx, { userId: c.practitioner.id, date: DAY, startTime: '09:00', endTime: '10:00' });
          const seen = await blockedIn(tx);
          aRead.done();
          await bRead.wait;
          throw rollback(seen);
        }),
      ),
      seenBy(
        inTransaction(db, async (tx) => {
          await aRead.wait;
          await makeException(tx, { userId: c.practitioner.id, date: DAY, startTime: '15:00', endTime: '16:00' });
          const seen = await blockedIn(tx);
          bRead.done();
          throw rollback(seen);
        }),
      ),
    ]);
    expect(a).toEqual([[540, 600]]);
    expect(b).toEqual([[900, 960]]);
  });
});
