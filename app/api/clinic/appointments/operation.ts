import { defineOperation } from '@/lib/api/operation';
import { bookAppointmentSchema } from '@/lib/schemas/agent';
import { confirmQuery } from '@/lib/schemas/common';
import * as responses from '@/lib/schemas/responses';

/** POST /api/clinic/appointments: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  POST: defineOperation({
    method: 'POST',
    path: '/api/clinic/appointments',
    operationId: 'bookAppointment',
    summary: 'Book a slot (start_time must be one the slots endpoint offers right now)',
    description:
      '409 slot_unavailable when the time is not free: details.reason says why (past, too_soon, beyond_booking_window, day_full, outside_hours, not_on_grid, exception, booked, held) and ' +
      'details.alternatives lists up to 5 free starts, nearest first, to offer instead. ' +
      'With hold_id (POST /holds) the booking uses that hold up: a hold that expired, was released or was already used (or another clinic’s) is 404, ' +
      'a hold of another practitioner, type, date or start is 409 conflict. A held time booked without its hold is 409 slot_unavailable, reason held, for staff too. ' +
      '409 patient_limit_reached when the patient already has the clinic’s maximum of upcoming confirmed appointments. ' +
      'Staff who may manage the practitioner may book a start that is not offered (outside working hours, during an exception, too soon, off the grid, ' +
      'beyond the booking window, the practitioner’s day full) or for a patient at the maximum (reason patient_limit): ' +
      'the answer is the 409 warning outside_hours (details.reasons), and the same request with ?confirm=true books it. ' +
      'Never in the past nor over a confirmed appointment or its buffers (409 slot_unavailable); the agent never gets the override (confirm is ignored).',
    allow: ['agent', 'user'],
    query: confirmQuery,
    body: bookAppointmentSchema,
    warns: true,
    idempotent: true,
    responses: [{ status: 201, schema: responses.appointment, description: 'Booked, confirmed' }],
  }),
};
