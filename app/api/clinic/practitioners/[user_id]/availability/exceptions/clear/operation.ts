import { defineOperation } from '@/lib/api/operation';
import { clearExceptionsSchema } from '@/lib/schemas/exceptions';
import * as responses from '@/lib/schemas/responses';

/** POST …/practitioners/{user_id}/availability/exceptions/clear: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  POST: defineOperation({
    method: 'POST',
    path: '/api/clinic/practitioners/{user_id}/availability/exceptions/clear',
    operationId: 'clearExceptions',
    summary: 'Delete every exception of the practitioner from `from` to `to` (inclusive, at most a year)',
    description: 'The practitioner themself or a clinic admin. Each deleted exception is removed from Google Calendar too.',
    allow: ['user'],
    body: clearExceptionsSchema,
    idempotent: true,
    responses: [{ status: 200, schema: responses.clearedExceptions, description: 'How many exceptions were deleted' }],
  }),
};
