import { defineOperation } from '@/lib/api/operation';
import { exceptionScopeQuery, updateExceptionQuery, updateExceptionSchema } from '@/lib/schemas/exceptions';
import * as responses from '@/lib/schemas/responses';

const path = '/api/clinic/practitioners/{user_id}/availability/exceptions/{exception_id}';

/** PUT and DELETE …/availability/exceptions/{exception_id}: declared once; route.ts and the OpenAPI document use them. */
export const operations = {
  PUT: defineOperation({
    method: 'PUT',
    path,
    operationId: 'updateException',
    summary: 'Change an exception (fields left out keep their values); of a repeating one: this occurrence, this and following, or all',
    allow: ['user'],
    query: updateExceptionQuery,
    body: updateExceptionSchema,
    warns: true,
    responses: [{ status: 200, schema: responses.exception, description: 'Updated' }],
  }),
  DELETE: defineOperation({
    method: 'DELETE',
    path,
    operationId: 'deleteException',
    summary: 'Delete an exception; of a repeating one: this occurrence, this and following, or all',
    allow: ['user'],
    query: exceptionScopeQuery,
    responses: [{ status: 200, schema: responses.message, description: 'Deleted' }],
  }),
};
