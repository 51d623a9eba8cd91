import { idempotent } from '@/lib/api/idempotency';
import { readJson, route } from '@/lib/api/route';
import { inviteMember } from '@/lib/services/members';
import { operations } from './operation';

export const POST = route(operations.POST, async ({ req, caller }) => {
  const body = await readJson(req, operations.POST.body);
  return idempotent(req, caller, body, async (tx) => ({ status: 201, body: await inviteMember(tx, caller, body) }));
});
