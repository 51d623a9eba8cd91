import { defineOperation } from '@/lib/api/operation';
import { rescheduleAppointmentSchema } from '@/lib/schemas/agent';
import * as responses from '@/lib/schemas/responses';

/** POST /api/clinic/appointments/{calendar_event_id}/reschedule: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  POST: defineOperation({
    method: 'POST',
    path: '/api/clinic/appointments/{calendar_event_id}/reschedule',
    operationId: 'rescheduleAppointment',
    summary: 'Move a confirmed appointment to another start (start_time must be one the slots endpoint offers), optionally to another practitioner',
    description:
      "409 slot_unavailable keeps the old time; details.reason says why and details.alternatives lists up to 5 free starts to offer instead (the appointment's own time counts as free). The patient gets one LINE change notice. Staff: the practitioner or an admin (only an admin moves it into another practitioner's calendar).",
    allow: ['user', 'agent'],
    body: rescheduleAppointmentSchema,
    idempotent: true,
    responses: [{ status: 200, schema: responses.appointment, description: 'Moved, confirmed' }],
  }),
};
