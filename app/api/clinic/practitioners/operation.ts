import { defineOperation } from '@/lib/api/operation';
import * as responses from '@/lib/schemas/responses';

/** GET /api/clinic/practitioners: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  GET: defineOperation({
    method: 'GET',
    path: '/api/clinic/practitioners',
    operationId: 'listPractitioners',
    summary: "The clinic's practitioners",
    allow: ['agent', 'user'],
    responses: [{ status: 200, schema: responses.practitionerList, description: 'Practitioners' }],
  }),
};
