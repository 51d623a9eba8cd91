import { idempotent } from '@/lib/api/idempotency';
import { idParam, parseQuery, readJson, route } from '@/lib/api/route';
import { confirmQuery } from '@/lib/schemas/common';
import { createExceptionSchema } from '@/lib/schemas/exceptions';
import { createException } from '@/lib/services/availability-exceptions';

type Params = { user_id: string };

export const POST = route<Params>({ allow: ['user'] }, async ({ req, params, caller, url }) => {
  const practitionerId = idParam(params.user_id, 'Practitioner');
  const { confirm } = parseQuery(url, confirmQuery);
  const body = await readJson(req, createExceptionSchema);
  return idempotent(req, caller, body, async (tx) => ({ status: 201, body: await createException(tx, caller, { practitionerId, body, confirm }) }));
});
