import { defineOperation } from '@/lib/api/operation';
import * as responses from '@/lib/schemas/responses';

/** DELETE …/practitioners/{user_id}/appointments/{calendar_event_id}: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  DELETE: defineOperation({
    method: 'DELETE',
    path: '/api/clinic/practitioners/{user_id}/appointments/{calendar_event_id}',
    operationId: 'deleteAppointment',
    summary: 'Cancel by the clinic (canceled_by_clinic); the patient is told on LINE',
    allow: ['user'],
    responses: [{ status: 200, schema: responses.deletedAppointment, description: 'Canceled' }],
  }),
};
