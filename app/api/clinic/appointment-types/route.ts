import { route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { listAppointmentTypes } from '@/lib/queries/clinic';
import { operations } from './operation';

export const GET = route(operations.GET, async ({ caller }) => ({
  body: await listAppointmentTypes(await getDb(), caller.clinicId),
}));
