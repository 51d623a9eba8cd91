import { defineOperation } from '@/lib/api/operation';
import * as responses from '@/lib/schemas/responses';

/** POST /api/clinic/appointments/{calendar_event_id}/cancel: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  POST: defineOperation({
    method: 'POST',
    path: '/api/clinic/appointments/{calendar_event_id}/cancel',
    operationId: 'cancelAppointment',
    summary: "Cancel an appointment on the patient's behalf (canceled_by_patient)",
    description: 'Repeating it changes nothing: the answer then has `already_canceled: true`.',
    allow: ['agent'],
    responses: [{ status: 200, schema: responses.canceledAppointment, description: 'Canceled' }],
  }),
};
