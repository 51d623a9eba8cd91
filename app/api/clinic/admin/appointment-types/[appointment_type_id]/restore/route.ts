import { idParam, readJson, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { setAppointmentTypeArchived } from '@/lib/services/appointment-types';
import { operations } from './operation';

export const POST = route(operations.POST, async ({ req, params, caller }) => {
  const id = idParam(params.appointment_type_id, 'Appointment type');
  const { version } = await readJson(req, operations.POST.body);
  return { body: await setAppointmentTypeArchived(await getDb(), caller, { id, version, archived: false }) };
});
