import 'server-only';
import { sql } from 'drizzle-orm';
import {
  dayRuleOf,
  earliestStartOn,
  effectiveMinNotice,
  formatTime,
  overlaps,
  parseTime,
  patientLimitReached,
  staffStartCheck,
  type OverridableReason,
} from '../availability';
import type { SlotReason } from '../availability/slot-reason';
import { findPractitionerForCaller, mayManage } from '../auth/access';
import type { Caller } from '../auth/caller';
import { auditRow } from '../db/audit';
import { queryRows, type DbOrTx } from '../db/client';
import { inTransaction } from '../db/transaction';
import { lockPatientBookings, lockPractitionerCalendarReading } from '../db/locks';
import { appointments, auditLog, calendarEvents, patients } from '../db/schema';
import { AppError, AppWarning } from '../errors';
import { getClinicSettings, type ClinicSettings } from '../queries/clinic';
import { loadAvailabilityInputs } from '../queries/calendar-data';
import { appointmentTypeIn, practitionerIn, type ClinicSnapshot } from '../queries/clinic-cache';
import { slotAlternatives, slotReasonAt, slotUnavailableError, type SlotCheckInput } from '../queries/slot-check';
import { findAppointmentType, type AppointmentTypeRef } from '../queries/slots';
import type { BookAppointmentInput } from '../schemas/agent';
import type { AppointmentDto } from '../schemas/responses';
import { clinicNow } from '../time/clinic-clock';
import { systemClock, type Clock } from '../time/clock';
import { googleConnected, queueGoogleUpsert } from './google-sync-jobs';
import { consumeHold, holdForBooking, practitionerIdsOf } from './holds';

export type BookedAppointmentDto = AppointmentDto & { status: 'confirmed' };

/**
 * Books a slot. The practitioner's calendar is locked for the transaction and the start is checked
 * against the slots the engine offers at that moment, so of any number of concurrent requests for
 * overlapping times at most one is confirmed; the others get 409 slot_unavailable.
 *
 * Staff (a member who may manage the practitioner) may book a start the engine does not offer
 * (outside working hours, under an exception, too soon, off the grid) after a warning: without
 * `confirm` the answer is the 409 warning `outside_hours` and nothing is saved; with it the booking
 * is made (and shown flagged outside_hours where it lies outside hours or under an exception).
 * Never in the past and never over a confirmed appointment or the type's buffers around it, for
 * anyone: that stays 409 slot_unavailable. The agent never gets the override. The check runs under
 * the same calendar lock as the engine's, so concurrent overrides into one time book at most one.
 *
 * With `hold_id` (issue 15) the booking uses that hold: it must be live (else 404) and hold exactly
 * this practitioner, type, date and start (else 409 conflict); the time is checked as if the hold
 * were absent, and the hold is used up in the same transaction. A held time booked without its hold
 * is 409 slot_unavailable, reason `held`, for staff too. Every 409 slot_unavailable carries the
 * reason and the nearest free alternatives (lib/queries/slot-check.ts).
 */
export async function bookAppointment(
  db: DbOrTx,
  caller: Caller,
  input: BookAppointmentInput & {
    clock?: Clock;
    /**
     * The clinic's settings, types and practitioners as read before the transaction (a route's
     * warm cache): spares three lookups. Without it they are read inside the transaction.
     */
    clinic?: ClinicSnapshot;
    /** staff only: book a start that is not an offered slot (after the `outside_hours` warning) */
    confirm?: boolean;
  },
): Promise<BookedAppointmentDto> {
  return inTransaction(db, async (tx) => {
    const snapshot = input.clinic;
    const practitioner = snapshot
      ? practitionerIn(snapshot, input.practitioner_id)
      : await findPractitionerForCaller(tx, caller, input.practitioner_id);
    if (caller.kind === 'user' && !mayManage(caller, practitioner.id)) {
      throw new AppError('forbidden', 'Only the practitioner or a clinic admin may book into this calendar');
    }
    // The calendar's lock and the patient's check in one round trip.
    const { patient_found } = await lockPractitionerCalendarReading<{ patient_found: boolean }>(
      tx,
      practitioner.id,
      sql`EXISTS (SELECT 1 FROM ${patients} WHERE id = ${input.patient_id} AND clinic_id = ${caller.clinicId}) AS patient_found`,
      { readsSlots: true },
    );
    if (!patient_found) throw new AppError('not_found', 'Patient not found');
    const type = snapshot
      ? appointmentTypeIn(snapshot, input.appointment_type_id)
      : await findAppointmentType(tx, caller.clinicId, input.appointment_type_id);
    const clinic = snapshot ? snapshot.settings : await getClinicSettings(tx, caller.clinicId);

    const at = (input.clock ?? systemClock)();
    const holdId = input.hold_id
      ? await holdForBooking(
          tx,
          caller.clinicId,
          input.hold_id,
          { practitionerId: practitioner.id, appointmentTypeId: type.id, date: input.date, startTime: input.start_time },
          at,
        )
      : undefined;
    const check: SlotCheckInput = {
      clinic,
      practitionerId: practitioner.id,
      type,
      date: input.date,
      startTime: input.start_time,
      clock: () => new Date(at),
      excludeHoldIds: holdId ? [holdId] : undefined,
      otherPractitionerIds: practitionerIdsOf(tx, caller, snapshot),
    };
    const reason = await slotReasonAt(tx, check);
    let overridden: OverridableReason[] | undefined;
    if (reason) {
      // Staff may override what is overridable; never a held time (its holder books it).
      const staff =
        caller.kind === 'user' && reason !== 'held'
          ? await staffOverrideReasons(tx, { clinic, practitionerId: practitioner.id, type, input, at, excludeHoldIds: check.excludeHoldIds })
          : null;
      const reasons = staff && 'reasons' in staff ? staff.reasons : null;
      if (!reasons) {
        throw slotUnavailableError('That time is not available; offer one of the alternatives or ask for the current slots', input, {
          available: false,
          // What the override refuses on is what to report (the first engine reason may be an overridable one).
          reason: staff && 'refused' in staff ? staff.refused : reason,
          alternatives: await slotAlternatives(tx, check),
        });
      }
      if (reasons.length > 0 && !input.confirm) {
        throw new AppWarning('outside_hours', 'That time is not one of the offered slots; send the request again with confirm to book it anyway', {
          practitioner_id: practitioner.id,
          date: input.date,
          start_time: input.start_time,
          end_time: formatTime(parseTime(input.start_time)! + type.durationMinutes),
          reasons,
        });
      }
      if (reasons.length > 0) overridden = reasons;
    }
    // Booking rules (issue 16): a patient at the clinic's maximum of upcoming appointments. The agent
    // is refused; staff are warned (with the other reasons) and may confirm.
    const maxUpcoming = clinic.maxUpcomingPerPatient ?? null;
    // Counted under the patient's lock: a booking of the same patient into another calendar at the
    // same moment is counted, not missed.
    if (maxUpcoming !== null) await lockPatientBookings(tx, input.patient_id);
    if (maxUpcoming !== null && patientLimitReached(await upcomingOf(tx, input.patient_id, clinic.timezone, at), maxUpcoming)) {
      if (caller.kind !== 'user') {
        throw new AppError('patient_limit_reached', 'The patient already has the most upcoming appointments the clinic allows', {
          patient_id: input.patient_id,
          max_upcoming: maxUpcoming,
        });
      }
      const reasons: OverridableReason[] = [...(overridden ?? []), 'patient_limit'];
      if (!input.confirm) {
        throw new AppWarning(
          'outside_hours',
          "That booking breaks the clinic's booking rules; send the request again with confirm to book it anyway",
          {
            practitioner_id: practitioner.id,
            date: input.date,
            start_time: input.start_time,
            end_time: formatTime(parseTime(input.start_time)! + type.durationMinutes),
            reasons,
          },
        );
      }
      overridden = reasons;
    }
    const endTime = formatTime(parseTime(input.start_time)! + type.durationMinutes);
    const event = await insertBooking(tx, {
      practitionerId: practitioner.id,
      patientId: input.patient_id,
      appointmentTypeId: type.id,
      date: input.date,
      startTime: input.start_time,
      endTime,
      audit: auditRow(caller, {
        action: 'appointment.booked',
        entityType: 'appointment',
        details: {
          practitioner_id: practitioner.id,
          patient_id: input.patient_id,
          appointment_type_id: type.id,
          date: input.date,
          time: `${input.start_time}-${endTime}`,
          ...(overridden ? { outside_slots: overridden } : {}),
          ...(holdId ? { hold_id: holdId } : {}),
        },
      }),
    });
    if (holdId) await consumeHold(tx, holdId, event.id, at);
    if (event.google) await queueGoogleUpsert(tx, { clinicId: caller.clinicId, practitionerId: practitioner.id, calendarEventId: event.id });
    return {
      calendar_event_id: event.id,
      practitioner_id: practitioner.id,
      patient_id: input.patient_id,
      appointment_type_id: type.id,
      date: input.date,
      start_time: input.start_time,
      end_time: endTime,
      status: 'confirmed',
    };
  });
}

/**
 * Staff asking for a start the engine did not offer: `refused` with the reason to report when no one
 * may book it (past, over a confirmed appointment or its buffers, over a hold, past midnight), else
 * the reasons to warn about. Reads the engine's inputs again under the calendar lock the caller holds.
 */
async function staffOverrideReasons(
  tx: DbOrTx,
  args: {
    clinic: ClinicSettings;
    practitionerId: number;
    type: AppointmentTypeRef;
    input: BookAppointmentInput;
    at: Date;
    excludeHoldIds?: number[];
  },
): Promise<{ refused: SlotReason } | { reasons: OverridableReason[] }> {
  const { clinic, practitionerId, type, input, at } = args;
  const inputs = (
    await loadAvailabilityInputs(tx, {
      practitionerIds: [practitionerId],
      from: input.date,
      to: input.date,
      excludeHoldIds: args.excludeHoldIds,
      now: at,
    })
  ).get(practitionerId)!;
  const now = clinicNow(clinic.timezone, at);
  const booked = inputs.appointmentsOn(input.date);
  const check = staffStartCheck({
    start: parseTime(input.start_time)!,
    durationMinutes: type.durationMinutes,
    bufferBeforeMinutes: type.bufferBeforeMinutes,
    bufferAfterMinutes: type.bufferAfterMinutes,
    working: inputs.workingOn(input.date),
    blocked: inputs.blockedOn(input.date),
    // A hold takes its time from staff as an appointment does.
    appointments: [...booked, ...inputs.heldOn(input.date)],
    notPastFrom: earliestStartOn(input.date, now, 0),
    earliestStart: earliestStartOn(input.date, now, effectiveMinNotice(clinic, type)),
    stepMinutes: clinic.slotStepMinutes ?? type.durationMinutes,
    dayRule: dayRuleOf(input.date, now.date, clinic, type, booked.length),
  });
  if (!('refused' in check)) return check;
  if (check.refused !== 'booked') return { refused: check.refused === 'past' ? 'past' : 'outside_hours' };
  // Over an appointment or over a hold: the first is what the engine's reason names.
  const guarded = {
    start: parseTime(input.start_time)! - type.bufferBeforeMinutes,
    end: parseTime(input.start_time)! + type.durationMinutes + type.bufferAfterMinutes,
  };
  return { refused: inputs.appointmentsOn(input.date).some((a) => overlaps(a, guarded)) ? 'booked' : 'held' };
}

/**
 * The booking's rows in one statement (one round trip instead of four): the calendar event, its
 * appointment, the audit entry naming the new event, and whether the practitioner's Google Calendar
 * is connected (then the caller queues the copy). The event is written confirmed, as the
 * appointment's trigger (drizzle/0003) would mark it: the no-overlap constraint checks it as it is
 * inserted, and the trigger finds nothing to change (it used to write a second version of the row,
 * with every index entry and the overlap check again).
 */
async function insertBooking(
  tx: DbOrTx,
  b: {
    practitionerId: number;
    patientId: number;
    appointmentTypeId: number;
    date: string;
    startTime: string;
    endTime: string;
    audit: ReturnType<typeof auditRow>;
  },
): Promise<{ id: number; google: boolean }> {
  const a = b.audit;
  const [row] = await queryRows<{ id: number; google: boolean }>(
    tx,
    sql`WITH event AS (
        INSERT INTO ${calendarEvents} (user_id, event_type, date, start_time, end_time, appointment_status)
        VALUES (${b.practitionerId}, 'appointment', ${b.date}::date, ${b.startTime}::time, ${b.endTime}::time, 'confirmed')
        RETURNING id
      ), appointment AS (
        INSERT INTO ${appointments} (calendar_event_id, patient_id, appointment_type_id, status)
        SELECT id, ${b.patientId}, ${b.appointmentTypeId}, 'confirmed' FROM event
      ), audit AS (
        INSERT INTO ${auditLog} (clinic_id, actor_type, actor_user_id, actor_agent_key_id, action, entity_type, entity_id, details, practitioner_id, patient_id)
        SELECT ${a.clinicId}, ${a.actorType}, ${a.actorUserId ?? null}::int, ${a.actorAgentKeyId ?? null}::int, ${a.action}, ${a.entityType}, id::text,
          ${JSON.stringify(a.details ?? {})}::jsonb, ${a.practitionerId ?? null}::int, ${a.patientId ?? null}::int
        FROM event
      )
      SELECT id, ${googleConnected(b.practitionerId)} AS google FROM event`,
  );
  return { id: Number(row!.id), google: Boolean(row!.google) };
}

/**
 * The patient's upcoming confirmed appointments (starting after `at`, the clinic's wall clock), in
 * any practitioner's calendar.
 */
async function upcomingOf(tx: DbOrTx, patientId: number, timezone: string, at: Date): Promise<number> {
  const now = clinicNow(timezone, at);
  const [row] = await queryRows<{ n: number | string }>(
    tx,
    sql`SELECT count(*) AS n FROM ${appointments} a JOIN ${calendarEvents} e ON e.id = a.calendar_event_id
      WHERE a.patient_id = ${patientId} AND a.status = 'confirmed'
        AND (e.date > ${now.date}::date OR (e.date = ${now.date}::date AND e.start_time > ${formatTime(now.minutes)}::time))`,
  );
  return Number(row?.n ?? 0);
}
