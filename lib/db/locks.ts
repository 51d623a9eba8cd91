import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type DbOrTx } from './client';
import { busyWaitMs, CalendarBusyError, holdPlace } from './transaction';

// Namespaces of the two-key advisory locks; the second key is the practitioner's user id, or the patient's id.
const CALENDAR_LOCK_NAMESPACE = 0x63616c; // "cal"
const PATIENT_LOCK_NAMESPACE = 0x706174; // "pat"

/** How a locking transaction goes on. */
export interface CalendarLockOptions {
  /**
   * It reads the calendar's free time next (a booking, a hold, a move: lib/queries/calendar-data.ts,
   * a named statement). Then, for the rest of the transaction, statements are planned for any values,
   * so that one keeps one plan per connection instead of being planned afresh on every run (why:
   * lib/db/client.ts statementHandle); what else those transactions send are lookups and writes by id,
   * or by practitioner or patient and date, whose plans do not hinge on the values. Set in the lock's
   * own round trip; ends with the transaction. Other locking transactions (hours, exceptions, Google
   * sync, the legacy import's batches) keep PostgreSQL's choice.
   */
  readsSlots?: boolean;
}

/**
 * Serialises every change to one practitioner's calendar (bookings, weekly hours, exceptions,
 * cancellations) until the transaction ends, so a booking cannot slip into hours that are being
 * removed and two bookings cannot take overlapping times. Works the same on PostgreSQL, Neon and
 * PGlite. The lock is tried, never waited for while holding a connection: when another
 * transaction holds it, `inTransaction` rolls back, queues and retries (bounded), see there.
 */
export async function lockPractitionerCalendar(tx: DbOrTx, practitionerId: number, options: CalendarLockOptions = {}): Promise<void> {
  await lockPractitionerCalendarReading(tx, practitionerId, undefined, options);
}

/**
 * lockPractitionerCalendar, reading `also` (a select list: `EXISTS (…) AS patient`) in the same round
 * trip: what a booking checks first costs no statement of its own.
 */
export async function lockPractitionerCalendarReading<T extends object>(
  tx: DbOrTx,
  practitionerId: number,
  also?: SQL,
  options: CalendarLockOptions = {},
): Promise<T> {
  const plans = options.readsSlots ? sql`, set_config('plan_cache_mode', 'force_generic_plan', true) AS plans` : sql``;
  const [row] = await queryRows<T & { locked: boolean }>(
    tx,
    sql`SELECT pg_try_advisory_xact_lock(${CALENDAR_LOCK_NAMESPACE}, ${practitionerId}) AS locked${plans}${also ? sql`, ${also}` : sql``}`,
  );
  if (!row?.locked) throw new CalendarBusyError(practitionerId);
  holdPlace(tx, practitionerId);
  return row;
}

/**
 * Serialises the bookings of one patient, in any practitioner's calendar, until the transaction ends:
 * taken by a booking before it counts the patient's upcoming appointments against the clinic's
 * maximum, so that two bookings of one patient into two calendars at once cannot both count below it
 * and both book (each holds only its own calendar's lock). The second waits for the first to commit,
 * then counts its appointment. Waited for (a booking's transaction is short and takes no other lock
 * after this one, so no cycle can form), at most CALENDAR_BUSY_WAIT_MS: then PostgreSQL's lock
 * timeout ends the transaction and the request answers 503 busy (lib/errors.ts). The timeout stays
 * set for the rest of the transaction (its count and inserts, which wait on no other lock while the
 * calendar's is held), and ends with it.
 */
export async function lockPatientBookings(tx: DbOrTx, patientId: number): Promise<void> {
  await queryRows(
    tx,
    sql`SELECT set_config('lock_timeout', ${String(Math.max(1, Math.round(busyWaitMs())))}, true) AS wait, pg_advisory_xact_lock(${PATIENT_LOCK_NAMESPACE}, ${patientId}) AS locked`,
  );
}
