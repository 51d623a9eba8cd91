import { idParam, readJson, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { updateAppointmentType } from '@/lib/services/appointment-types';
import { operations } from './operation';

export const PATCH = route(operations.PATCH, async ({ req, params, caller }) => {
  const id = idParam(params.appointment_type_id, 'Appointment type');
  const changes = await readJson(req, operations.PATCH.body);
  return { body: await updateAppointmentType(await getDb(), caller, { id, changes }) };
});
