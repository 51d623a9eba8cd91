import 'server-only';
import { and, eq } from 'drizzle-orm';
import { parseTime, toHHMM } from '../availability';
import { assertMayManage, findPractitionerForCaller } from '../auth/access';
import type { Caller } from '../auth/caller';
import { writeAudit } from '../db/audit';
import type { DbOrTx } from '../db/client';
import { inTransaction } from '../db/transaction';
import { appointments, calendarEvents, type Attendance } from '../db/schema';
import { AppError } from '../errors';
import { getClinicSettings } from '../queries/clinic';
import type { AppointmentAttendanceDto } from '../schemas/responses';
import { clinicNow } from '../time/clinic-clock';
import { systemClock, type Clock } from '../time/clock';

/**
 * Staff mark whether the patient came (`arrived`, `no_show`) or clear the mark (`null`). Kept apart
 * from `status`: a no-show stays a confirmed booking that happened. Only a confirmed appointment
 * that has started (clinic time) can be marked; the practitioner or a clinic admin marks it.
 */
export async function markAttendance(
  db: DbOrTx,
  caller: Caller,
  input: { practitionerId: number; calendarEventId: number; attendance: Attendance | null; clock?: Clock },
): Promise<AppointmentAttendanceDto> {
  return inTransaction(db, async (tx) => {
    const practitioner = await findPractitionerForCaller(tx, caller, input.practitionerId);
    assertMayManage(caller, practitioner);
    const [appt] = await tx
      .select({
        date: calendarEvents.date,
        start: calendarEvents.startTime,
        end: calendarEvents.endTime,
        status: appointments.status,
        attendance: appointments.attendance,
        patientId: appointments.patientId,
      })
      .from(calendarEvents)
      .innerJoin(appointments, eq(appointments.calendarEventId, calendarEvents.id))
      .where(and(eq(calendarEvents.id, input.calendarEventId), eq(calendarEvents.userId, practitioner.id)))
      // Two marks at once: the second sees the first's value as `before`.
      .for('update', { of: appointments });
    if (!appt) throw new AppError('not_found', 'Appointment not found');
    const result = (attendance: Attendance | null): AppointmentAttendanceDto => ({
      calendar_event_id: input.calendarEventId,
      practitioner_id: practitioner.id,
      patient_id: appt.patientId,
      status: appt.status,
      attendance,
    });
    if (appt.status !== 'confirmed') throw new AppError('conflict', 'Only a confirmed appointment can be marked arrived or no-show');
    const { timezone } = await getClinicSettings(tx, caller.clinicId);
    const now = clinicNow(timezone, (input.clock ?? systemClock)());
    const startTime = toHHMM(appt.start!);
    if (appt.date > now.date || (appt.date === now.date && parseTime(startTime)! > now.minutes)) {
      throw new AppError(
        'conflict',
        `The appointment has not started yet (${appt.date} ${startTime}, clinic time); attendance is marked once it has`,
      );
    }
    // The same mark again changes nothing and is not audited twice.
    if (appt.attendance === input.attendance) return result(appt.attendance);
    await tx.update(appointments).set({ attendance: input.attendance }).where(eq(appointments.calendarEventId, input.calendarEventId));
    await writeAudit(tx, caller, {
      action: 'appointment.attendance_marked',
      entityType: 'appointment',
      entityId: input.calendarEventId,
      details: {
        before: appt.attendance,
        after: input.attendance,
        practitioner_id: practitioner.id,
        patient_id: appt.patientId,
        date: appt.date,
        time: `${startTime}-${toHHMM(appt.end!)}`,
      },
    });
    return result(input.attendance);
  });
}
