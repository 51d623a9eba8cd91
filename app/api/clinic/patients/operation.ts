import { defineOperation } from '@/lib/api/operation';
import { createPatientSchema } from '@/lib/schemas/agent';
import { findPatientsQuery } from '@/lib/schemas/patients';
import * as responses from '@/lib/schemas/responses';

/** GET and POST /api/clinic/patients: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  GET: defineOperation({
    method: 'GET',
    path: '/api/clinic/patients',
    operationId: 'findPatientByLineUserId',
    summary: 'The patient with this LINE user id: a list of zero or one',
    description: "line_user_id is required (U followed by 32 lowercase hex digits): the clinic's patients are never listed without it.",
    allow: ['agent', 'user'],
    query: findPatientsQuery,
    responses: [{ status: 200, schema: responses.patientList, description: 'Zero or one patient' }],
  }),
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
