import { idParam, readJson, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { markAttendance } from '@/lib/services/attendance';
import { operations } from './operation';

/** Staff mark whether the patient came, once the appointment has started. */
export const PUT = route(operations.PUT, async ({ req, params, caller }) => {
  const practitionerId = idParam(params.user_id, 'Practitioner');
  const calendarEventId = idParam(params.calendar_event_id, 'Appointment');
  const { attendance } = await readJson(req, operations.PUT.body);
  return { body: await markAttendance(await getDb(), caller, { practitionerId, calendarEventId, attendance }) };
});
