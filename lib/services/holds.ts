import 'server-only';
import { and, eq, gt, isNull, lte, sql } from 'drizzle-orm';
import { formatTime, parseTime, toHHMM } from '../availability';
import { findPractitionerForCaller, mayManage } from '../auth/access';
import type { Caller } from '../auth/caller';
import type { DbOrTx } from '../db/client';
import { lockPractitionerCalendar } from '../db/locks';
import { inTransaction } from '../db/transaction';
import { slotHolds } from '../db/schema';
import { AppError } from '../errors';
import { getClinicSettings } from '../queries/clinic';
import { appointmentTypeIn, clinicSnapshot, practitionerIn, type ClinicSnapshot } from '../queries/clinic-cache';
import { checkSlot, slotUnavailableError } from '../queries/slot-check';
import { findAppointmentType } from '../queries/slots';
import type { HoldSlotInput } from '../schemas/agent';
import type { HoldDto } from '../schemas/responses';
import { systemClock, type Clock } from '../time/clock';

/** How long a hold keeps a slot. */
export const HOLD_MINUTES = 5;

/**
 * The clinic's practitioners, for the alternatives of a refused start: from the route's snapshot,
 * else read through the transaction.
 */
export function practitionerIdsOf(tx: DbOrTx, caller: Caller, snapshot: ClinicSnapshot | undefined): () => Promise<number[]> {
  return async () => (snapshot ?? (await clinicSnapshot(tx, caller))).practitioners.map((p) => p.id);
}

/**
 * Holds a slot for HOLD_MINUTES (issue 15): atomic like booking (the practitioner's calendar is
 * locked and the start must be one the engine offers at that moment, so of any number of
 * concurrent holds or bookings of overlapping times at most one succeeds; the others get 409
 * slot_unavailable with the reason and alternatives). Meanwhile the held span, with its type's
 * buffers, is offered to no one; the holder books it with `hold_id`. The agent holds for its
 * clinic; staff for the practitioners they may manage. Holds are ephemeral and not audited: the
 * booking that uses one is. Expired holds of the practitioner are deleted on the way.
 */
export async function holdSlot(db: DbOrTx, caller: Caller, input: HoldSlotInput & { clock?: Clock; clinic?: ClinicSnapshot }): Promise<HoldDto> {
  return inTransaction(db, async (tx) => {
    const at = (input.clock ?? systemClock)();
    const snapshot = input.clinic;
    const practitioner = snapshot
      ? practitionerIn(snapshot, input.practitioner_id)
      : await findPractitionerForCaller(tx, caller, input.practitioner_id);
    if (caller.kind === 'user' && !mayManage(caller, practitioner.id)) {
      throw new AppError('forbidden', 'Only the practitioner or a clinic admin may hold a slot of this calendar');
    }
    const type = snapshot
      ? appointmentTypeIn(snapshot, input.appointment_type_id)
      : await findAppointmentType(tx, caller.clinicId, input.appointment_type_id);
    const clinic = snapshot ? snapshot.settings : await getClinicSettings(tx, caller.clinicId);

    await lockPractitionerCalendar(tx, practitioner.id, { readsSlots: true });
    // What has served its purpose: expired holds of this calendar, used or not.
    await tx.delete(slotHolds).where(and(eq(slotHolds.userId, practitioner.id), lte(slotHolds.expiresAt, at)));
    const verdict = await checkSlot(tx, {
      clinic,
      practitionerId: practitioner.id,
      type,
      date: input.date,
      startTime: input.start_time,
      clock: () => at,
      otherPractitionerIds: practitionerIdsOf(tx, caller, snapshot),
    });
    if (!verdict.available) {
      throw slotUnavailableError('That time is not available to hold; offer one of the alternatives or ask for the current slots', input, verdict);
    }
    const endTime = formatTime(parseTime(input.start_time)! + type.durationMinutes);
    const expiresAt = new Date(at.getTime() + HOLD_MINUTES * 60_000);
    const [row] = await tx
      .insert(slotHolds)
      .values({
        clinicId: caller.clinicId,
        userId: practitioner.id,
        appointmentTypeId: type.id,
        date: input.date,
        startTime: input.start_time,
        endTime,
        expiresAt,
        agentKeyId: caller.kind === 'agent' ? caller.agentKeyId : null,
        createdByUserId: caller.kind === 'user' ? caller.userId : null,
      })
      .returning({ id: slotHolds.id });
    return {
      hold_id: row!.id,
      practitioner_id: practitioner.id,
      appointment_type_id: type.id,
      date: input.date,
      start_time: input.start_time,
      end_time: endTime,
      expires_at: expiresAt.toISOString(),
    };
  });
}

/** A hold that may still be used: the caller's clinic's, not expired, not used. */
async function liveHold(tx: DbOrTx, clinicId: number, holdId: number, at: Date) {
  const [row] = await tx
    .select({
      id: slotHolds.id,
      practitionerId: slotHolds.userId,
      appointmentTypeId: slotHolds.appointmentTypeId,
      date: sql<string>`${slotHolds.date}::text`,
      startTime: slotHolds.startTime,
    })
    .from(slotHolds)
    .where(and(eq(slotHolds.id, holdId), eq(slotHolds.clinicId, clinicId), isNull(slotHolds.consumedAt), gt(slotHolds.expiresAt, at)));
  return row;
}

const HOLD_GONE = 'Hold not found: it expired, was released or was already used. Book without it if the time is still free, or hold again';

/**
 * Releases a hold: the slot is offered again at once. Another clinic's hold, and one that expired or
 * was used, is 404. Staff release holds of the practitioners they may manage; the agent its clinic's.
 */
export async function releaseHold(
  db: DbOrTx,
  caller: Caller,
  input: { holdId: number; clock?: Clock },
): Promise<{ message: string; hold_id: number }> {
  return inTransaction(db, async (tx) => {
    const hold = await liveHold(tx, caller.clinicId, input.holdId, (input.clock ?? systemClock)());
    if (!hold) throw new AppError('not_found', HOLD_GONE);
    if (caller.kind === 'user' && !mayManage(caller, hold.practitionerId)) {
      throw new AppError('forbidden', 'Only the practitioner or a clinic admin may release a hold of this calendar');
    }
    await tx.delete(slotHolds).where(eq(slotHolds.id, hold.id));
    return { message: 'Hold released', hold_id: hold.id };
  });
}

/**
 * For a booking with `hold_id`, inside its transaction after the calendar lock: the hold must be
 * live (else 404) and be for exactly the booked practitioner, type, date and start (else 409
 * conflict). Returns its id, to be read as absent by the booking's slot check.
 */
export async function holdForBooking(
  tx: DbOrTx,
  clinicId: number,
  holdId: number,
  booking: { practitionerId: number; appointmentTypeId: number; date: string; startTime: string },
  at: Date,
): Promise<number> {
  const hold = await liveHold(tx, clinicId, holdId, at);
  if (!hold) throw new AppError('not_found', HOLD_GONE);
  if (
    hold.practitionerId !== booking.practitionerId ||
    hold.appointmentTypeId !== booking.appointmentTypeId ||
    hold.date !== booking.date ||
    toHHMM(hold.startTime) !== booking.startTime
  ) {
    throw new AppError('conflict', 'The hold is for another practitioner, appointment type, date or start; book what it holds, or without it', {
      hold: {
        practitioner_id: hold.practitionerId,
        appointment_type_id: hold.appointmentTypeId,
        date: hold.date,
        start_time: toHHMM(hold.startTime),
      },
    });
  }
  return hold.id;
}

/** Marks a hold used by the booking of `calendarEventId` (same transaction): it takes no time any more. */
export async function consumeHold(tx: DbOrTx, holdId: number, calendarEventId: number, at: Date): Promise<void> {
  await tx.update(slotHolds).set({ consumedAt: at, calendarEventId }).where(eq(slotHolds.id, holdId));
}
