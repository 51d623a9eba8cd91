import { defineOperation } from '@/lib/api/operation';
import { confirmQuery } from '@/lib/schemas/common';
import { createExceptionSchema } from '@/lib/schemas/exceptions';
import * as responses from '@/lib/schemas/responses';

/** POST …/practitioners/{user_id}/availability/exceptions: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  POST: defineOperation({
    method: 'POST',
    path: '/api/clinic/practitioners/{user_id}/availability/exceptions',
    operationId: 'createException',
    summary: 'Block out time (no times = all day)',
    allow: ['user'],
    query: confirmQuery,
    body: createExceptionSchema,
    warns: true,
    idempotent: true,
    responses: [{ status: 201, schema: responses.exception, description: 'Created' }],
  }),
};
