import { defineOperation } from '@/lib/api/operation';
import { clinicSlotsQuery } from '@/lib/schemas/agent';
import * as responses from '@/lib/schemas/responses';

/** GET /api/clinic/availability/slots: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  GET: defineOperation({
    method: 'GET',
    path: '/api/clinic/availability/slots',
    operationId: 'getClinicSlots',
    summary: 'Every practitioner\'s free slots on one date ("is anyone free?")',
    description: "Slots marked `recommended: true` keep each practitioner's day compact (see Slot): offer those first.",
    allow: ['agent', 'user'],
    query: clinicSlotsQuery,
    responses: [{ status: 200, schema: responses.clinicSlots, description: 'Slots per practitioner' }],
  }),
};
