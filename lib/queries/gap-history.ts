import 'server-only';
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../db/client';
import { prepared } from '../db/prepared';
import { appointments, calendarEvents, users } from '../db/schema';
import { addDays } from '../time/dates';

// The history behind recommended starts (lib/availability/recommend.ts): how many confirmed
// appointments of each type the clinic had over the last HISTORY_DAYS days, before today. Those
// days are past, so the answer is fixed for a clinic's whole day: it is read once per clinic and
// day by each server process (one grouped statement) and kept in memory, so slot answers cost no
// query for it and do not slow down as a clinic's history grows. A change to a past appointment
// (rare: a late cancellation, an import) shows from the next day, or after a restart.

export const HISTORY_DAYS = 180;

const historyStatement = (db: DbOrTx, name: string) =>
  db
    .select({ typeId: appointments.appointmentTypeId, booked: sql<number>`count(*)::int` })
    .from(calendarEvents)
    .innerJoin(appointments, eq(appointments.calendarEventId, calendarEvents.id))
    .where(
      and(
        // By the clinic's members' calendars: the (user_id, date) index serves the range.
        sql`${calendarEvents.userId} IN (SELECT ${users.id} FROM ${users} WHERE ${users.clinicId} = ${sql.placeholder('clinic')})`,
        eq(calendarEvents.eventType, 'appointment'),
        // The trigger-kept copy of appointments.status (drizzle/0003).
        eq(calendarEvents.appointmentStatus, 'confirmed'),
        gte(calendarEvents.date, sql.placeholder('from')),
        lt(calendarEvents.date, sql.placeholder('to')),
      ),
    )
    .groupBy(appointments.appointmentTypeId)
    .prepare(name);

/**
 * Confirmed appointments per appointment type id over the HISTORY_DAYS days before `today` (the
 * clinic's date), in one statement.
 */
export async function readBookedByType(db: DbOrTx, clinicId: number, today: string): Promise<Map<number, number>> {
  const rows = await prepared(db, 'gap_history', historyStatement).execute({ clinic: clinicId, from: addDays(today, -HISTORY_DAYS), to: today });
  return new Map(rows.map((r) => [r.typeId, Number(r.booked)]));
}

/** Clinics remembered per process; the least recently used one goes first. */
const HISTORY_CACHE_SIZE = 500;
interface Entry {
  today: string;
  counts: Promise<ReadonlyMap<number, number>>;
}
// One memory per database handle, shared by every bundle of the process (as lib/queries/clinic-cache.ts).
const globalKey = Symbol.for('clinic-bot-calendar.gap-history');
type GlobalWithHistory = typeof globalThis & { [globalKey]?: WeakMap<object, Map<number, Entry>> };
const g = globalThis as GlobalWithHistory;

/**
 * readBookedByType for the clinic's `today`, read once per clinic and day (concurrent first
 * requests share the one read). Inside a transaction it reads through the transaction, uncached.
 */
export function bookedByType(db: DbOrTx, clinicId: number, today: string): Promise<ReadonlyMap<number, number>> {
  if (db instanceof PgTransaction) return readBookedByType(db, clinicId, today);
  const memories = (g[globalKey] ??= new WeakMap());
  let entries = memories.get(db);
  if (!entries) memories.set(db, (entries = new Map()));
  const entry = entries.get(clinicId);
  entries.delete(clinicId);
  if (entry && entry.today === today) {
    entries.set(clinicId, entry);
    return entry.counts;
  }
  const fresh: Entry = { today, counts: readBookedByType(db, clinicId, today) };
  entries.set(clinicId, fresh);
  if (entries.size > HISTORY_CACHE_SIZE) entries.delete(entries.keys().next().value!);
  const mine = entries;
  // A failed read is not remembered: the next request tries again.
  fresh.counts.catch(() => {
    if (mine.get(clinicId) === fresh) mine.delete(clinicId);
  });
  return fresh.counts;
}
