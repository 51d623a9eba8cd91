import 'server-only';
import { formatInterval, isOutsideHours } from '../availability';
import type { DbOrTx } from '../db/client';
import type { AffectedAppointmentDto } from '../schemas/responses';
import { clinicNow } from '../time/clinic-clock';
import { systemClock, type Clock } from '../time/clock';
import { getClinicSettings } from './clinic';
import { hasNotEnded, loadCalendar } from './calendar-data';

/** Listed like the warning's affected appointments. */
export type OutsideHoursAppointmentDto = AffectedAppointmentDto;

/** A practitioner's confirmed future appointments that lie outside their working hours. */
export async function listFutureOutsideHours(
  db: DbOrTx,
  clinicId: number,
  practitionerId: number,
  clock: Clock = systemClock,
): Promise<OutsideHoursAppointmentDto[]> {
  const clinic = await getClinicSettings(db, clinicId);
  const now = clinicNow(clinic.timezone, clock());
  const calendar = await loadCalendar(db, { practitionerId, from: now.date });
  return calendar.appointments
    .filter((a) => hasNotEnded(a, now) && isOutsideHours(a, calendar.workingOn(a.date), calendar.exceptionsOn(a.date)))
    .map((a) => ({ calendar_event_id: a.calendarEventId, date: a.date, time: formatInterval(a), patient: a.patient }));
}
