import { idParam, parseQuery, readJson, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { confirmQuery } from '@/lib/schemas/common';
import { updateExceptionSchema } from '@/lib/schemas/exceptions';
import { deleteException, updateException } from '@/lib/services/availability-exceptions';

type Params = { user_id: string; exception_id: string };

export const PUT = route<Params>({ allow: ['user'] }, async ({ req, params, caller, url }) => {
  const practitionerId = idParam(params.user_id, 'Practitioner');
  const exceptionId = idParam(params.exception_id, 'Availability exception');
  const { confirm } = parseQuery(url, confirmQuery);
  const body = await readJson(req, updateExceptionSchema);
  return { body: await updateException(await getDb(), caller, { practitionerId, exceptionId, body, confirm }) };
});

export const DELETE = route<Params>({ allow: ['user'] }, async ({ params, caller }) => {
  const practitionerId = idParam(params.user_id, 'Practitioner');
  const exceptionId = idParam(params.exception_id, 'Availability exception');
  await deleteException(await getDb(), caller, { practitionerId, exceptionId });
  return { body: { message: 'Availability exception deleted successfully' } };
});
