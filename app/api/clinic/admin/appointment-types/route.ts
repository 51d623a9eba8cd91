import { idempotent } from '@/lib/api/idempotency';
import { readJson, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { listAdminAppointmentTypes } from '@/lib/queries/appointment-types';
import { createAppointmentType } from '@/lib/services/appointment-types';
import { operations } from './operation';

export const GET = route(operations.GET, async ({ caller }) => ({ body: await listAdminAppointmentTypes(await getDb(), caller) }));

export const POST = route(operations.POST, async ({ req, caller }) => {
  const body = await readJson(req, operations.POST.body);
  return idempotent(req, caller, body, async (tx) => ({ status: 201, body: await createAppointmentType(tx, caller, body) }));
});
