import { defineOperation } from '@/lib/api/operation';
import * as responses from '@/lib/schemas/responses';

/** GET /api/clinic/patients/{patient_id}/appointments: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  GET: defineOperation({
    method: 'GET',
    path: '/api/clinic/patients/{patient_id}/appointments',
    operationId: 'listPatientAppointments',
    summary: "A patient's appointments: upcoming confirmed ones first, then the rest newest first",
    description: 'For "when is my appointment?". Upcoming = confirmed and not ended yet (clinic time). At most 50. Another clinic\'s patient is 404.',
    allow: ['agent', 'user'],
    responses: [{ status: 200, schema: responses.patientAppointmentList, description: "The patient's appointments" }],
  }),
};
