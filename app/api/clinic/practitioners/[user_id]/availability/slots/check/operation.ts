import { defineOperation } from '@/lib/api/operation';
import { slotCheckQuery } from '@/lib/schemas/agent';
import * as responses from '@/lib/schemas/responses';

/** GET …/practitioners/{user_id}/availability/slots/check: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  GET: defineOperation({
    method: 'GET',
    path: '/api/clinic/practitioners/{user_id}/availability/slots/check',
    operationId: 'checkSlot',
    summary: 'May this start be booked right now? If not, why, and which free starts to offer instead',
    description:
      'The same answer a booking of that start would get now: `available: true`, or `available: false` with `reason` and `alternatives` ' +
      '(nearest first, at most 5: the practitioner’s free starts that day and the next 13 days, and other practitioners free at the asked time), ' +
      'exactly as a 409 slot_unavailable carries them in details.',
    allow: ['agent', 'user'],
    query: slotCheckQuery,
    responses: [{ status: 200, schema: responses.slotCheck, description: 'The verdict' }],
  }),
};
