import { defineOperation } from '@/lib/api/operation';
import { practitionerSlotsQuery } from '@/lib/schemas/agent';
import * as responses from '@/lib/schemas/responses';

/** GET …/practitioners/{user_id}/availability/slots: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  GET: defineOperation({
    method: 'GET',
    path: '/api/clinic/practitioners/{user_id}/availability/slots',
    operationId: 'getPractitionerSlots',
    summary: "A practitioner's free slots for one date, or for a range of dates (at most 62)",
    description:
      'With `date`: `{available_slots}`. With `from` and `to` (inclusive): `{days: [{date, available_slots}]}`. Only truly free, bookable starts are listed; those marked `recommended: true` keep the day compact (see Slot): offer them first.',
    allow: ['agent', 'user'],
    query: practitionerSlotsQuery,
    responses: [
      { status: 200, schema: responses.daySlots, description: 'Slots of one date' },
      { status: 200, schema: responses.rangeSlots, description: 'Slots per date of the range' },
    ],
  }),
};
