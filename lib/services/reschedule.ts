import 'server-only';
import { and, eq } from 'drizzle-orm';
import { formatTime, parseTime, toHHMM } from '../availability';
import { findPractitionerForCaller, mayManage } from '../auth/access';
import type { Caller } from '../auth/caller';
import { writeAudit } from '../db/audit';
import type { DbOrTx } from '../db/client';
import { lockPractitionerCalendar } from '../db/locks';
import { inTransaction } from '../db/transaction';
import { appointments, appointmentTypes, calendarEvents, users } from '../db/schema';
import { AppError, sqlStateOf } from '../errors';
import { getClinicSettings } from '../queries/clinic';
import { practitionerIn, type ClinicSnapshot } from '../queries/clinic-cache';
import { checkSlot, slotUnavailableError, type SlotCheckInput } from '../queries/slot-check';
import type { RescheduleAppointmentInput } from '../schemas/agent';
import type { Clock } from '../time/clock';
import { loadAppointmentForCancel } from './appointment-cancellation';
import type { BookedAppointmentDto } from './booking';
import { enqueueGoogleDelete, enqueueGoogleUpsert } from './google-sync-jobs';
import { practitionerIdsOf } from './holds';
import { changeNoticeMessage } from './line-messages';
import { enqueueJob } from './outbox';

const SLOT_UNAVAILABLE = 'That time is not available; the appointment keeps its time. Offer one of the alternatives or ask for the current slots';

/**
 * Moves a confirmed appointment to another start (and optionally another practitioner's calendar)
 * in one transaction. Both calendars are locked (ascending ids, so two moves in opposite directions
 * cannot wait on each other) and the new start must be one the engine offers for the appointment's
 * type, computed as if the appointment were not there: it may move into its own old time. If not,
 * 409 slot_unavailable with the reason and alternatives (lib/queries/slot-check.ts) and nothing
 * changes; a held time is refused (reason `held`). The patient gets one LINE change notice and Google
 * follows (the copy is patched, or moved to the other practitioner's calendar), both via the outbox.
 */
export async function rescheduleAppointment(
  db: DbOrTx,
  caller: Caller,
  input: RescheduleAppointmentInput & { calendarEventId: number; clock?: Clock; clinic?: ClinicSnapshot },
): Promise<BookedAppointmentDto> {
  return inTransaction(db, async (tx) => {
    // Whose calendar it is now, within the caller's clinic only (another clinic's id is 404).
    const [current] = await tx
      .select({ practitionerId: calendarEvents.userId })
      .from(calendarEvents)
      .innerJoin(appointments, eq(appointments.calendarEventId, calendarEvents.id))
      .innerJoin(users, eq(users.id, calendarEvents.userId))
      .where(and(eq(calendarEvents.id, input.calendarEventId), eq(users.clinicId, caller.clinicId)));
    if (!current) throw new AppError('not_found', 'Appointment not found');
    if (caller.kind === 'user' && !mayManage(caller, current.practitionerId)) {
      throw new AppError('forbidden', "Only the practitioner or a clinic admin may move this practitioner's appointments");
    }
    const targetId = input.practitioner_id ?? current.practitionerId;
    const target =
      targetId === current.practitionerId
        ? null
        : input.clinic
          ? practitionerIn(input.clinic, targetId)
          : await findPractitionerForCaller(tx, caller, targetId);
    if (target && caller.kind === 'user' && !mayManage(caller, target.id)) {
      throw new AppError('forbidden', "Only a clinic admin may move an appointment into another practitioner's calendar");
    }

    for (const id of [...new Set([current.practitionerId, targetId])].sort((a, b) => a - b))
      await lockPractitionerCalendar(tx, id, { readsSlots: true });
    const appt = await loadAppointmentForCancel(tx, { calendarEventId: input.calendarEventId, clinicId: caller.clinicId });
    // Moved by someone else between the first read and the lock: decide on what it is now.
    if (appt.practitionerId !== current.practitionerId) throw new AppError('conflict', 'The appointment was changed meanwhile; read it again');
    if (appt.status !== 'confirmed') throw new AppError('conflict', `Only a confirmed appointment can be moved; this one is ${appt.status}`);

    const [row] = await tx
      .select({
        patientId: appointments.patientId,
        typeId: appointmentTypes.id,
        durationMinutes: appointmentTypes.durationMinutes,
        bufferBeforeMinutes: appointmentTypes.bufferBeforeMinutes,
        bufferAfterMinutes: appointmentTypes.bufferAfterMinutes,
      })
      .from(appointments)
      .innerJoin(appointmentTypes, eq(appointmentTypes.id, appointments.appointmentTypeId))
      .where(eq(appointments.calendarEventId, appt.calendarEventId));
    const type = {
      id: row!.typeId,
      durationMinutes: row!.durationMinutes,
      bufferBeforeMinutes: row!.bufferBeforeMinutes,
      bufferAfterMinutes: row!.bufferAfterMinutes,
    };
    const clinic = input.clinic ? input.clinic.settings : await getClinicSettings(tx, caller.clinicId);

    const before = { date: appt.date, startTime: toHHMM(appt.start!), endTime: toHHMM(appt.end!) };
    const endTime = formatTime(parseTime(input.start_time)! + type.durationMinutes);
    const after = { date: input.date, startTime: input.start_time, endTime };
    const result: BookedAppointmentDto = {
      calendar_event_id: appt.calendarEventId,
      practitioner_id: targetId,
      patient_id: row!.patientId,
      appointment_type_id: type.id,
      date: input.date,
      start_time: input.start_time,
      end_time: endTime,
      status: 'confirmed',
    };
    // Asked to stay where it is: nothing to move, tell or mirror.
    if (!target && before.date === after.date && before.startTime === after.startTime && before.endTime === after.endTime) return result;

    const check: SlotCheckInput = {
      clinic,
      practitionerId: targetId,
      type,
      date: input.date,
      startTime: input.start_time,
      clock: input.clock,
      excludeCalendarEventIds: [appt.calendarEventId],
      otherPractitionerIds: practitionerIdsOf(tx, caller, input.clinic),
    };
    const verdict = await checkSlot(tx, check);
    if (!verdict.available) throw slotUnavailableError(SLOT_UNAVAILABLE, input, verdict);

    try {
      await tx
        .update(calendarEvents)
        .set({
          date: input.date,
          startTime: input.start_time,
          endTime,
          updatedAt: new Date(),
          // Another practitioner's Google calendar gets a copy of its own (the old one is deleted).
          ...(target ? { userId: target.id, gcalEventId: null, gcalEtag: null, gcalSyncStatus: null, gcalWatchResourceId: null } : {}),
        })
        .where(eq(calendarEvents.id, appt.calendarEventId));
    } catch (err) {
      // The exclusion constraint: a confirmed appointment written past the lock (e.g. an import).
      if (sqlStateOf(err) === '23P01') throw slotUnavailableError(SLOT_UNAVAILABLE, input, { available: false, reason: 'booked', alternatives: [] });
      throw err;
    }

    if (target) {
      await enqueueGoogleDelete(tx, {
        clinicId: caller.clinicId,
        practitionerId: appt.practitionerId,
        calendarEventId: appt.calendarEventId,
        gcalEventId: appt.gcalEventId,
      });
    }
    await enqueueGoogleUpsert(tx, { clinicId: caller.clinicId, practitionerId: targetId, calendarEventId: appt.calendarEventId });

    const practitionerName = target ? target.name : appt.practitioner;
    let lineJobId: number | null = null;
    if (appt.lineUserId) {
      lineJobId = await enqueueJob(tx, {
        clinicId: caller.clinicId,
        kind: 'line.push',
        payload: {
          reason: 'appointment_moved',
          calendar_event_id: appt.calendarEventId,
          patient_id: appt.patientId,
          to: appt.lineUserId,
          messages: [
            {
              type: 'text',
              text: changeNoticeMessage(
                { ...before, practitioner: appt.practitioner, appointmentType: appt.appointmentType },
                { ...after, practitioner: practitionerName, appointmentType: appt.appointmentType },
              ),
            },
          ],
        },
      });
    }
    await writeAudit(tx, caller, {
      action: 'appointment.rescheduled',
      entityType: 'appointment',
      entityId: appt.calendarEventId,
      details: {
        practitioner_id: targetId,
        patient_id: appt.patientId,
        before: { practitioner_id: appt.practitionerId, date: before.date, time: `${before.startTime}-${before.endTime}` },
        after: { practitioner_id: targetId, date: after.date, time: `${after.startTime}-${after.endTime}` },
        line_notification: lineJobId ? { outbox_job_id: lineJobId } : 'patient has no LINE user id',
      },
    });
    return result;
  });
}
