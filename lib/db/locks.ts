import { sql } from 'drizzle-orm';
import type { DbOrTx } from './client';

// Namespace of the two-key advisory locks; the second key is the practitioner's user id.
const CALENDAR_LOCK_NAMESPACE = 0x63616c; // "cal"

/**
 * Serialises every change to one practitioner's calendar (bookings, weekly hours, exceptions)
 * until the transaction ends, so a booking cannot slip into hours that are being removed and two
 * bookings cannot take overlapping times. Works the same on PostgreSQL, Neon and PGlite.
 */
export async function lockPractitionerCalendar(tx: DbOrTx, practitionerId: number): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${CALENDAR_LOCK_NAMESPACE}, ${practitionerId})`);
}
