import { defineOperation } from '@/lib/api/operation';
import * as responses from '@/lib/schemas/responses';

/** GET /api/clinic/appointment-types: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  GET: defineOperation({
    method: 'GET',
    path: '/api/clinic/appointment-types',
    operationId: 'listAppointmentTypes',
    summary: 'Appointment types with their duration and buffers',
    allow: ['agent', 'user'],
    responses: [{ status: 200, schema: responses.appointmentTypeList, description: 'Appointment types' }],
  }),
};
