import { formatInterval, intervalsForDow, isOutsideHours } from '../availability';
import type { DbOrTx } from '../db/client';
import type { AffectedAppointmentDto } from '../schemas/responses';
import { clinicNow } from '../time/clinic-clock';
import { dayOfWeek } from '../time/dates';
import { getClinicSettings } from './clinic';
import { loadExceptionsFrom, loadFutureConfirmedAppointments, loadWeeklySchedule } from './calendar-data';

/** Listed like the warning's affected appointments. */
export type OutsideHoursAppointmentDto = AffectedAppointmentDto;

/** A practitioner's confirmed future appointments that lie outside their working hours. */
export async function listFutureOutsideHours(db: DbOrTx, clinicId: number, practitionerId: number, instant?: Date): Promise<OutsideHoursAppointmentDto[]> {
  const clinic = await getClinicSettings(db, clinicId);
  const now = clinicNow(clinic.timezone, instant);
  const [week, appointments, exceptions] = await Promise.all([
    loadWeeklySchedule(db, practitionerId),
    loadFutureConfirmedAppointments(db, practitionerId, now),
    loadExceptionsFrom(db, practitionerId, now.date),
  ]);
  return appointments
    .filter((a) => isOutsideHours(a, intervalsForDow(week, dayOfWeek(a.date)), exceptions.get(a.date) ?? []))
    .map((a) => ({ calendar_event_id: a.calendarEventId, date: a.date, time: formatInterval(a), patient: a.patient }));
}
