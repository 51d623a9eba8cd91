import { defineOperation } from '@/lib/api/operation';
import { markAttendanceSchema } from '@/lib/schemas/attendance';
import * as responses from '@/lib/schemas/responses';

/** PUT …/practitioners/{user_id}/appointments/{calendar_event_id}/attendance: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  PUT: defineOperation({
    method: 'PUT',
    path: '/api/clinic/practitioners/{user_id}/appointments/{calendar_event_id}/attendance',
    operationId: 'markAttendance',
    summary: 'Mark a started appointment arrived or no_show (null clears it); the status stays confirmed',
    description:
      'The practitioner or a clinic admin. Only a confirmed appointment that has started (clinic time); before its start the answer is 409 conflict.',
    allow: ['user'],
    body: markAttendanceSchema,
    responses: [{ status: 200, schema: responses.appointmentAttendance, description: 'Marked' }],
  }),
};
