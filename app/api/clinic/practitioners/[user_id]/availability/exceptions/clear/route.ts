import { idempotent } from '@/lib/api/idempotency';
import { idParam, readJson, route } from '@/lib/api/route';
import { clearExceptions } from '@/lib/services/availability-exceptions';
import { operations } from './operation';

export const POST = route(operations.POST, async ({ req, params, caller }) => {
  const practitionerId = idParam(params.user_id, 'Practitioner');
  const { from, to } = await readJson(req, operations.POST.body);
  return idempotent(req, caller, { from, to }, async (tx) => ({
    status: 200,
    body: await clearExceptions(tx, caller, { practitionerId, from, to }),
  }));
});
