import { idParam, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { cancelAppointmentByClinic } from '@/lib/services/appointment-cancellation';
import { operations } from './operation';

/** The practitioner deletes an appointment: canceled_by_clinic, the patient is told on LINE. */
export const DELETE = route(operations.DELETE, async ({ params, caller }) => ({
  body: await cancelAppointmentByClinic(await getDb(), caller, {
    practitionerId: idParam(params.user_id, 'Practitioner'),
    calendarEventId: idParam(params.calendar_event_id, 'Appointment'),
  }),
}));
