import { defineOperation } from '@/lib/api/operation';
import * as responses from '@/lib/schemas/responses';

/** DELETE /api/clinic/holds/{hold_id}: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  DELETE: defineOperation({
    method: 'DELETE',
    path: '/api/clinic/holds/{hold_id}',
    operationId: 'releaseHold',
    summary: 'Release a hold: the slot is offered again at once',
    description:
      'A hold that expired or was used, or another clinic’s, is 404. Staff release holds of the calendars they may manage; the agent, its clinic’s.',
    allow: ['agent', 'user'],
    responses: [{ status: 200, schema: responses.holdReleased, description: 'Released' }],
  }),
};
