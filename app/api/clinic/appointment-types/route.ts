import { route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { listAppointmentTypes } from '@/lib/queries/clinic';

export const GET = route({ allow: ['user', 'agent'] }, async ({ caller }) => ({
  body: await listAppointmentTypes(await getDb(), caller.clinicId),
}));
