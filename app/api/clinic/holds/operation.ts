import { defineOperation } from '@/lib/api/operation';
import { holdSlotSchema } from '@/lib/schemas/agent';
import * as responses from '@/lib/schemas/responses';

/** POST /api/clinic/holds: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  POST: defineOperation({
    method: 'POST',
    path: '/api/clinic/holds',
    operationId: 'holdSlot',
    summary: 'Hold a slot for 5 minutes while the patient decides',
    description:
      'The start must be one the slots endpoint offers right now; holding is atomic like booking (of concurrent holds or bookings of one time at most one succeeds). ' +
      'Until `expires_at` the held time (with its type’s buffers) is offered to no one, the front desk included; book it with POST /appointments and this `hold_id`, ' +
      'or release it with DELETE /holds/{hold_id}. An expired hold costs nothing and vanishes. ' +
      '409 slot_unavailable carries details.reason and details.alternatives (free starts to offer instead). Holds are not written to the activity log; the booking is.',
    allow: ['agent', 'user'],
    body: holdSlotSchema,
    idempotent: true,
    responses: [{ status: 201, schema: responses.hold, description: 'Held until expires_at' }],
  }),
};
