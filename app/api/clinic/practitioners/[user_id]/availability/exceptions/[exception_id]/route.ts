import { idParam, parseQuery, readJson, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { deleteException, updateException } from '@/lib/services/availability-exceptions';
import { operations } from './operation';

export const PUT = route(operations.PUT, async ({ req, params, caller, url }) => {
  const practitionerId = idParam(params.user_id, 'Practitioner');
  const exceptionId = idParam(params.exception_id, 'Availability exception');
  const { confirm } = parseQuery(url, operations.PUT.query);
  const body = await readJson(req, operations.PUT.body);
  return { body: await updateException(await getDb(), caller, { practitionerId, exceptionId, body, confirm }) };
});

export const DELETE = route(operations.DELETE, async ({ params, caller }) => {
  const practitionerId = idParam(params.user_id, 'Practitioner');
  const exceptionId = idParam(params.exception_id, 'Availability exception');
  await deleteException(await getDb(), caller, { practitionerId, exceptionId });
  return { body: { message: 'Availability exception deleted successfully' } };
});
