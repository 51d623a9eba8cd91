import { idempotent } from '@/lib/api/idempotency';
import { idParam, parseQuery, readJson, route } from '@/lib/api/route';
import { createException } from '@/lib/services/availability-exceptions';
import { operations } from './operation';

export const POST = route(operations.POST, async ({ req, params, caller, url }) => {
  const practitionerId = idParam(params.user_id, 'Practitioner');
  const { confirm } = parseQuery(url, operations.POST.query);
  const body = await readJson(req, operations.POST.body);
  return idempotent(req, caller, body, async (tx) => ({ status: 201, body: await createException(tx, caller, { practitionerId, body, confirm }) }));
});
