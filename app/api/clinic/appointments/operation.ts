import { defineOperation } from '@/lib/api/operation';
import { bookAppointmentSchema } from '@/lib/schemas/agent';
import * as responses from '@/lib/schemas/responses';

/** POST /api/clinic/appointments: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  POST: defineOperation({
    method: 'POST',
    path: '/api/clinic/appointments',
    operationId: 'bookAppointment',
    summary: 'Book a slot (start_time must be one the slots endpoint offers right now)',
    description: '409 slot_unavailable when the time was taken meanwhile: fetch slots again and offer another time.',
    allow: ['agent', 'user'],
    body: bookAppointmentSchema,
    idempotent: true,
    responses: [{ status: 201, schema: responses.appointment, description: 'Booked, confirmed' }],
  }),
};
