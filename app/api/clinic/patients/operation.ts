import { defineOperation } from '@/lib/api/operation';
import { createPatientSchema } from '@/lib/schemas/agent';
import * as responses from '@/lib/schemas/responses';

/** POST /api/clinic/patients: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  POST: defineOperation({
    method: 'POST',
    path: '/api/clinic/patients',
    operationId: 'findOrCreatePatient',
    summary: 'Create a patient, or get the existing one with this LINE user id',
    allow: ['agent', 'user'],
    body: createPatientSchema,
    idempotent: true,
    responses: [
      { status: 201, schema: responses.patient, description: 'Created' },
      { status: 200, schema: responses.patient, description: 'Existing patient with this line_user_id' },
    ],
  }),
};
