import { idParam, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { cancelAppointmentByPatient } from '@/lib/services/appointment-cancellation';
import { operations } from './operation';

/** The agent cancels for the patient: canceled_by_patient; repeating it changes nothing. */
export const POST = route(operations.POST, async ({ params, caller }) => ({
  body: await cancelAppointmentByPatient(await getDb(), caller, { calendarEventId: idParam(params.calendar_event_id, 'Appointment') }),
}));
