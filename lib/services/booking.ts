import 'server-only';
import { and, eq } from 'drizzle-orm';
import { parseTime, formatTime } from '../availability';
import { findPractitionerForCaller, mayManage } from '../auth/access';
import type { Caller } from '../auth/caller';
import { writeAudit } from '../db/audit';
import type { DbOrTx } from '../db/client';
import { inTransaction } from '../db/transaction';
import { lockPractitionerCalendar } from '../db/locks';
import { appointments, calendarEvents, patients } from '../db/schema';
import { AppError } from '../errors';
import { getClinicSettings } from '../queries/clinic';
import { appointmentTypeIn, practitionerIn, type ClinicSnapshot } from '../queries/clinic-cache';
import { findAppointmentType, slotsByPractitioner } from '../queries/slots';
import type { BookAppointmentInput } from '../schemas/agent';
import type { AppointmentDto } from '../schemas/responses';
import type { Clock } from '../time/clock';
import { enqueueGoogleUpsert } from './google-sync-jobs';

export type BookedAppointmentDto = AppointmentDto & { status: 'confirmed' };

/**
 * Books a slot. The practitioner's calendar is locked for the transaction and the start is checked
 * against the slots the engine offers at that moment, so of any number of concurrent requests for
 * overlapping times at most one is confirmed; the others get 409 slot_unavailable.
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
    const [patient] = await tx
      .select({ id: patients.id })
      .from(patients)
      .where(and(eq(patients.id, input.patient_id), eq(patients.clinicId, caller.clinicId)));
    if (!patient) throw new AppError('not_found', 'Patient not found');
    const type = snapshot
      ? appointmentTypeIn(snapshot, input.appointment_type_id)
      : await findAppointmentType(tx, caller.clinicId, input.appointment_type_id);
    const clinic = snapshot ? snapshot.settings : await getClinicSettings(tx, caller.clinicId);

    await lockPractitionerCalendar(tx, practitioner.id);
    const slots = (
      await slotsByPractitioner(tx, {
        clinic,
        practitionerIds: [practitioner.id],
        type,
        from: input.date,
        to: input.date,
        clock: input.clock,
      })
    ).get(practitioner.id)![0]!.available_slots;
    const slot = slots.find((s) => s.start_time === input.start_time);
    if (!slot) {
      throw new AppError('slot_unavailable', 'That time is not available; ask for the current slots and offer another', {
        date: input.date,
        start_time: input.start_time,
      });
    }
    const endTime = formatTime(parseTime(input.start_time)! + type.durationMinutes);
    const [event] = await tx
      .insert(calendarEvents)
      .values({
        userId: practitioner.id,
        eventType: 'appointment',
        date: input.date,
        startTime: input.start_time,
        endTime,
      })
      .returning({ id: calendarEvents.id });
    await tx.insert(appointments).values({ calendarEventId: event!.id, patientId: patient.id, appointmentTypeId: type.id, status: 'confirmed' });
    await enqueueGoogleUpsert(tx, { clinicId: caller.clinicId, practitionerId: practitioner.id, calendarEventId: event!.id });
    await writeAudit(tx, caller, {
      action: 'appointment.booked',
      entityType: 'appointment',
      entityId: event!.id,
      details: {
        practitioner_id: practitioner.id,
        patient_id: patient.id,
        appointment_type_id: type.id,
        date: input.date,
        time: `${input.start_time}-${endTime}`,
      },
    });
    return {
      calendar_event_id: event!.id,
      practitioner_id: practitioner.id,
      patient_id: patient.id,
      appointment_type_id: type.id,
      date: input.date,
      start_time: input.start_time,
      end_time: endTime,
      status: 'confirmed',
    };
  });
}
