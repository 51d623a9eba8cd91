import 'server-only';
import { and, eq } from 'drizzle-orm';
import { cancellationWindowPassed, MINUTES_PER_DAY, parseTime, toHHMM } from '../availability';
import { assertMayManage, findPractitionerForCaller } from '../auth/access';
import type { Caller } from '../auth/caller';
import { writeAudit, type AuditActor } from '../db/audit';
import type { DbOrTx } from '../db/client';
import { inTransaction } from '../db/transaction';
import { lockPractitionerCalendar } from '../db/locks';
import { appointments, appointmentTypes, calendarEvents, patients, users, type AppointmentStatus } from '../db/schema';
import { AppError } from '../errors';
import { getClinicSettings } from '../queries/clinic';
import { clinicNow } from '../time/clinic-clock';
import { systemClock, type Clock } from '../time/clock';
import { daysBetween } from '../time/dates';
import type { CanceledAppointmentDto, DeletedAppointmentDto } from '../schemas/responses';
import { enqueueGoogleDelete } from './google-sync-jobs';
import { cancellationMessage } from './line-messages';
import { enqueueJob } from './outbox';

export interface CanceledAppointment {
  calendar_event_id: number;
  status: AppointmentStatus;
  already: boolean;
}

/** The appointment with what a cancellation needs to tell the patient and Google. */
export async function loadAppointmentForCancel(tx: DbOrTx, where: { calendarEventId: number; practitionerId?: number; clinicId: number }) {
  const [row] = await tx
    .select({
      calendarEventId: calendarEvents.id,
      practitionerId: calendarEvents.userId,
      practitioner: users.name,
      date: calendarEvents.date,
      start: calendarEvents.startTime,
      end: calendarEvents.endTime,
      gcalEventId: calendarEvents.gcalEventId,
      status: appointments.status,
      patientId: patients.id,
      lineUserId: patients.lineUserId,
      appointmentType: appointmentTypes.name,
    })
    .from(calendarEvents)
    .innerJoin(appointments, eq(appointments.calendarEventId, calendarEvents.id))
    .innerJoin(users, eq(users.id, calendarEvents.userId))
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .innerJoin(appointmentTypes, eq(appointmentTypes.id, appointments.appointmentTypeId))
    .where(
      and(
        eq(calendarEvents.id, where.calendarEventId),
        eq(users.clinicId, where.clinicId),
        ...(where.practitionerId ? [eq(calendarEvents.userId, where.practitionerId)] : []),
      ),
    )
    // The row stays locked until the transaction ends: what the cancellation tells the patient is
    // what it cancels, even while another request changes the appointment.
    .for('update', { of: appointments });
  if (!row) throw new AppError('not_found', 'Appointment not found');
  return row;
}
export type AppointmentForCancel = Awaited<ReturnType<typeof loadAppointmentForCancel>>;

/**
 * Cancels a confirmed appointment inside the caller's transaction: the status change, the LINE
 * message to the patient and the removal of its Google copy (both as outbox jobs), and the audit
 * entry. An appointment that is no longer confirmed is left as it is (a repeated request changes
 * nothing and sends nothing twice).
 */
export async function cancelConfirmedAppointment(
  tx: DbOrTx,
  caller: AuditActor,
  appt: AppointmentForCancel,
  status: Exclude<AppointmentStatus, 'confirmed'>,
  source: string,
  options: { notifyPatient: boolean; removeGoogleCopy?: boolean } = { notifyPatient: true },
): Promise<CanceledAppointment> {
  // One conditional UPDATE decides the transition: of any number of concurrent cancellations
  // (agent, clinic, Google) exactly one finds the row confirmed; under READ COMMITTED the others
  // wait for its row lock, re-check `status = 'confirmed'`, and change, audit and send nothing.
  const [changed] = await tx
    .update(appointments)
    .set({ status })
    .where(and(eq(appointments.calendarEventId, appt.calendarEventId), eq(appointments.status, 'confirmed')))
    .returning({ id: appointments.calendarEventId });
  if (!changed) {
    const [now] = await tx.select({ status: appointments.status }).from(appointments).where(eq(appointments.calendarEventId, appt.calendarEventId));
    return { calendar_event_id: appt.calendarEventId, status: now!.status, already: true };
  }
  await tx.update(calendarEvents).set({ updatedAt: new Date() }).where(eq(calendarEvents.id, appt.calendarEventId));
  const startTime = toHHMM(appt.start!);
  const endTime = toHHMM(appt.end!);
  let lineJobId: number | null = null;
  if (options.notifyPatient && appt.lineUserId) {
    lineJobId = await enqueueJob(tx, {
      clinicId: caller.clinicId,
      kind: 'line.push',
      payload: {
        reason: 'appointment_canceled',
        calendar_event_id: appt.calendarEventId,
        patient_id: appt.patientId,
        to: appt.lineUserId,
        messages: [
          {
            type: 'text',
            text: cancellationMessage({
              date: appt.date,
              startTime,
              endTime,
              practitioner: appt.practitioner,
              appointmentType: appt.appointmentType,
            }),
          },
        ],
      },
    });
  }
  // Deleted in Google already (the sync's gcal_deletion): nothing to remove there.
  if (options.removeGoogleCopy !== false) {
    await enqueueGoogleDelete(tx, {
      clinicId: caller.clinicId,
      practitionerId: appt.practitionerId,
      calendarEventId: appt.calendarEventId,
      gcalEventId: appt.gcalEventId,
    });
  }
  await writeAudit(tx, caller, {
    action: `appointment.${status}`,
    entityType: 'appointment',
    entityId: appt.calendarEventId,
    details: {
      source,
      practitioner_id: appt.practitionerId,
      patient_id: appt.patientId,
      date: appt.date,
      time: `${startTime}-${endTime}`,
      line_notification: lineJobId
        ? { outbox_job_id: lineJobId }
        : options.notifyPatient
          ? 'patient has no LINE user id'
          : 'not sent: the patient canceled in the chat',
    },
  });
  return { calendar_event_id: appt.calendarEventId, status, already: false };
}

/** A practitioner (or admin) deletes an appointment from the calendar: canceled_by_clinic. */
export async function cancelAppointmentByClinic(
  db: DbOrTx,
  caller: Caller,
  input: { practitionerId: number; calendarEventId: number },
): Promise<DeletedAppointmentDto> {
  return inTransaction(db, async (tx) => {
    const practitioner = await findPractitionerForCaller(tx, caller, input.practitionerId);
    assertMayManage(caller, practitioner);
    await lockPractitionerCalendar(tx, practitioner.id);
    const appt = await loadAppointmentForCancel(tx, {
      calendarEventId: input.calendarEventId,
      practitionerId: practitioner.id,
      clinicId: caller.clinicId,
    });
    const result = await cancelConfirmedAppointment(tx, caller, appt, 'canceled_by_clinic', 'manual_deletion');
    return {
      message: result.already ? 'Appointment was already canceled' : 'Appointment canceled; the patient will be notified',
      calendar_event_id: result.calendar_event_id,
      status: result.status,
    };
  });
}

/**
 * The agent cancels on the patient's behalf (canceled_by_patient). The patient asked in the chat,
 * where the agent answers, so no separate LINE push; the Google copy is removed.
 */
export async function cancelAppointmentByPatient(
  db: DbOrTx,
  caller: Caller,
  input: { calendarEventId: number; clock?: Clock },
): Promise<CanceledAppointmentDto> {
  if (caller.kind !== 'agent')
    throw new AppError('forbidden', 'Only the AI agent cancels for a patient; staff delete the appointment from the calendar');
  return inTransaction(db, async (tx) => {
    const appt = await loadAppointmentForCancel(tx, { calendarEventId: input.calendarEventId, clinicId: caller.clinicId });
    await lockPractitionerCalendar(tx, appt.practitionerId);
    // Booking rules (issue 16): the agent may not cancel a confirmed appointment less than the
    // clinic's deadline before its start (staff may, from the calendar). A repeat of a done
    // cancellation still answers as before.
    if (appt.status === 'confirmed') {
      const clinic = await getClinicSettings(tx, caller.clinicId);
      if (clinic.cancellationDeadlineHours != null) {
        const now = clinicNow(clinic.timezone, (input.clock ?? systemClock)());
        const until = daysBetween(now.date, appt.date) * MINUTES_PER_DAY + parseTime(toHHMM(appt.start!))! - now.minutes;
        if (cancellationWindowPassed(until, clinic.cancellationDeadlineHours)) {
          throw new AppError('cancellation_window_passed', 'It is too close to the appointment to cancel it; the clinic may still cancel it', {
            calendar_event_id: appt.calendarEventId,
            cancellation_deadline_hours: clinic.cancellationDeadlineHours,
          });
        }
      }
    }
    const result = await cancelConfirmedAppointment(tx, caller, appt, 'canceled_by_patient', 'agent_cancellation', { notifyPatient: false });
    const [row] = await tx
      .select({ status: appointments.status, patientId: appointments.patientId, typeId: appointments.appointmentTypeId })
      .from(appointments)
      .where(eq(appointments.calendarEventId, appt.calendarEventId));
    return {
      calendar_event_id: appt.calendarEventId,
      practitioner_id: appt.practitionerId,
      patient_id: row!.patientId,
      appointment_type_id: row!.typeId,
      date: appt.date,
      start_time: toHHMM(appt.start!),
      end_time: toHHMM(appt.end!),
      status: row!.status,
      already_canceled: result.already,
    };
  });
}
