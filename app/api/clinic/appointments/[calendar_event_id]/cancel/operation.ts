import { defineOperation } from '@/lib/api/operation';
import * as responses from '@/lib/schemas/responses';

/** POST /api/clinic/appointments/{calendar_event_id}/cancel: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  POST: defineOperation({
    method: 'POST',
    path: '/api/clinic/appointments/{calendar_event_id}/cancel',
    operationId: 'cancelAppointment',
    summary: "Cancel an appointment on the patient's behalf (canceled_by_patient)",
    description:
      'Repeating it changes nothing: the answer then has `already_canceled: true`. Less than the clinic’s cancellation deadline ' +
      '(hours before the start) it is refused with 409 `cancellation_window_passed`: the clinic may still cancel it.',
    allow: ['agent'],
    responses: [{ status: 200, schema: responses.canceledAppointment, description: 'Canceled' }],
  }),
};
