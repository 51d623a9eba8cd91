import 'server-only';
import { dayRuleOf, earliestStartOn, effectiveMinNotice, formatTime, parseTime } from '../availability';
import { nearestAlternatives, slotReason, type AlternativeStart, type SlotReason } from '../availability/slot-reason';
import type { DbOrTx } from '../db/client';
import { AppError } from '../errors';
import { clinicNow } from '../time/clinic-clock';
import { systemClock, type Clock } from '../time/clock';
import { addDays } from '../time/dates';
import { loadAvailabilityInputs } from './calendar-data';
import type { ClinicSettings } from './clinic';
import { slotsByPractitioner, type AppointmentTypeRef } from './slots';

/** A free start offered instead of a refused one (CONTRACT "Why not"). */
export interface AlternativeDto {
  practitioner_id: number;
  date: string;
  start_time: string;
  end_time: string;
}

/** GET …/availability/slots/check's answer; also what a 409 slot_unavailable carries in its details. */
export interface SlotVerdict {
  available: boolean;
  reason?: SlotReason;
  alternatives: AlternativeDto[];
}

/** How many days, the asked one first, the asked practitioner's alternatives are looked for in. */
export const ALTERNATIVE_DAYS = 14;

export interface SlotCheckInput {
  clinic: ClinicSettings;
  practitionerId: number;
  type: AppointmentTypeRef;
  date: string;
  startTime: string;
  clock?: Clock;
  /** read as if absent, for the answer and its alternatives (an appointment being moved) */
  excludeCalendarEventIds?: number[];
  /** holds read as if absent (the one a booking uses) */
  excludeHoldIds?: number[];
  /**
   * The clinic's other practitioners free at the asked time are offered too: their ids, or a
   * function that reads them (called only when the start is refused).
   */
  otherPractitionerIds: readonly number[] | (() => Promise<readonly number[]>);
}

/**
 * Whether a start is one the engine offers right now, and if not why (slotReason, from the same one
 * statement of inputs as the slot answers) and the nearest free starts instead (slotAlternatives).
 * A free start costs one statement; a refused one, a second for the alternatives. Inside a
 * booking's transaction, after the calendar lock, the answer is final.
 */
export async function checkSlot(db: DbOrTx, input: SlotCheckInput): Promise<SlotVerdict> {
  const at = (input.clock ?? systemClock)();
  const pinned = { ...input, clock: () => new Date(at) };
  const reason = await slotReasonAt(db, pinned);
  if (reason === undefined) return { available: true, alternatives: [] };
  return { available: false, reason, alternatives: await slotAlternatives(db, pinned) };
}

/** Why the engine does not offer the start right now, or undefined when it does (one statement). */
export async function slotReasonAt(db: DbOrTx, input: Omit<SlotCheckInput, 'otherPractitionerIds'>): Promise<SlotReason | undefined> {
  const at = (input.clock ?? systemClock)();
  const now = clinicNow(input.clinic.timezone, at);
  const { type, date } = input;
  const start = parseTime(input.startTime);
  if (start === null) throw new AppError('validation_error', 'start_time must be HH:MM');
  const inputs = (
    await loadAvailabilityInputs(db, {
      practitionerIds: [input.practitionerId],
      from: date,
      to: date,
      excludeCalendarEventIds: input.excludeCalendarEventIds,
      excludeHoldIds: input.excludeHoldIds,
      now: at,
    })
  ).get(input.practitionerId)!;
  const appointments = inputs.appointmentsOn(date);
  return slotReason(
    {
      working: inputs.workingOn(date),
      exceptions: inputs.blockedOn(date),
      appointments,
      held: inputs.heldOn(date),
      durationMinutes: type.durationMinutes,
      stepMinutes: input.clinic.slotStepMinutes ?? type.durationMinutes,
      bufferBeforeMinutes: type.bufferBeforeMinutes,
      bufferAfterMinutes: type.bufferAfterMinutes,
      earliestStart: earliestStartOn(date, now, effectiveMinNotice(input.clinic, type)),
      notPastFrom: earliestStartOn(date, now, 0),
      dayRule: dayRuleOf(date, now.date, input.clinic, type, appointments.length),
    },
    start,
  );
}

/**
 * The free starts nearest to a refused one, nearest first, at most five: the practitioner's own
 * that day and the next ALTERNATIVE_DAYS - 1 days, and other practitioners' at the very asked time,
 * all from the engine's slot answers (one statement).
 */
export async function slotAlternatives(db: DbOrTx, input: SlotCheckInput): Promise<AlternativeDto[]> {
  const { type, date } = input;
  const start = parseTime(input.startTime)!;
  const others = typeof input.otherPractitionerIds === 'function' ? await input.otherPractitionerIds() : input.otherPractitionerIds;
  const ids = [input.practitionerId, ...others.filter((id) => id !== input.practitionerId)];
  const days = await slotsByPractitioner(db, {
    clinic: input.clinic,
    practitionerIds: ids,
    type,
    from: date,
    to: addDays(date, ALTERNATIVE_DAYS - 1),
    clock: input.clock,
    excludeCalendarEventIds: input.excludeCalendarEventIds,
    excludeHoldIds: input.excludeHoldIds,
  });
  const candidates: AlternativeStart[] = [];
  for (const [id, list] of days) {
    for (const day of id === input.practitionerId ? list : list.slice(0, 1)) {
      for (const slot of day.available_slots) {
        // Another practitioner is offered at the very asked time only.
        if (id !== input.practitionerId && slot.start_time !== input.startTime) continue;
        candidates.push({ practitionerId: id, date: day.date, start: parseTime(slot.start_time)!, end: parseTime(slot.end_time)! });
      }
    }
  }
  return nearestAlternatives({ practitionerId: input.practitionerId, date, start }, candidates).map((c) => ({
    practitioner_id: c.practitionerId,
    date: c.date,
    start_time: formatTime(c.start),
    end_time: formatTime(c.end),
  }));
}

/** The 409 slot_unavailable of a refused start: the asked date and start, the reason and the alternatives. */
export function slotUnavailableError(message: string, asked: { date: string; start_time: string }, verdict: SlotVerdict): AppError {
  return new AppError('slot_unavailable', message, {
    date: asked.date,
    start_time: asked.start_time,
    reason: verdict.reason,
    alternatives: verdict.alternatives,
  });
}
