import { idParam, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { cancelAppointmentByPatient } from '@/lib/services/appointment-cancellation';

type Params = { calendar_event_id: string };

/** The agent cancels for the patient: canceled_by_patient; repeating it changes nothing. */
export const POST = route<Params>({ allow: ['agent'] }, async ({ params, caller }) => ({
  body: await cancelAppointmentByPatient(await getDb(), caller, { calendarEventId: idParam(params.calendar_event_id, 'Appointment') }),
}));
