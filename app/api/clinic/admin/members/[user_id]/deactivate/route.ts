import { idParam, readJson, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { deactivateMember } from '@/lib/services/members';
import { operations } from './operation';

export const POST = route(operations.POST, async ({ req, params, caller }) => {
  const userId = idParam(params.user_id, 'Member');
  const body = await readJson(req, operations.POST.body);
  return { body: await deactivateMember(await getDb(), caller, { userId, futureAppointments: body.future_appointments }) };
});
