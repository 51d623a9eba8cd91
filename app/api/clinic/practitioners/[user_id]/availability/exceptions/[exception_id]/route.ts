import { idParam, parseQuery, readJson, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { deleteException, updateException } from '@/lib/services/availability-exceptions';
import { operations } from './operation';

export const PUT = route(operations.PUT, async ({ req, params, caller, url }) => {
  const practitionerId = idParam(params.user_id, 'Practitioner');
  const exceptionId = idParam(params.exception_id, 'Availability exception');
  const { confirm, scope, occurrenceDate } = parseQuery(url, operations.PUT.query);
  const body = await readJson(req, operations.PUT.body);
  return { body: await updateException(await getDb(), caller, { practitionerId, exceptionId, body, confirm, scope, occurrenceDate }) };
});

export const DELETE = route(operations.DELETE, async ({ params, caller, url }) => {
  const practitionerId = idParam(params.user_id, 'Practitioner');
  const exceptionId = idParam(params.exception_id, 'Availability exception');
  const { scope, occurrenceDate } = parseQuery(url, operations.DELETE.query);
  await deleteException(await getDb(), caller, { practitionerId, exceptionId, scope, occurrenceDate });
  return { body: { message: 'Availability exception deleted successfully' } };
});
