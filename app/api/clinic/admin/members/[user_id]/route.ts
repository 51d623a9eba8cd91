import { idParam, readJson, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { updateMember } from '@/lib/services/members';
import { operations } from './operation';

export const PATCH = route(operations.PATCH, async ({ req, params, caller }) => {
  const userId = idParam(params.user_id, 'Member');
  const changes = await readJson(req, operations.PATCH.body);
  return { body: await updateMember(await getDb(), caller, { userId, changes }) };
});
