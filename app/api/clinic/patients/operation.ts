import { defineOperation } from '@/lib/api/operation';
import { createPatientSchema } from '@/lib/schemas/agent';
import { findPatientsQuery } from '@/lib/schemas/patients';
import * as responses from '@/lib/schemas/responses';

/** GET and POST /api/clinic/patients: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  GET: defineOperation({
    method: 'GET',
    path: '/api/clinic/patients',
    operationId: 'findPatients',
    summary: 'The patient with this LINE user id (zero or one); for staff, a search by name, phone or LINE id',
    description:
      "Either line_user_id (U followed by 32 lowercase hex digits; the agent and staff): zero or one patient. Or, for staff only, q and limit: name (substring, case-insensitive), phone (digits compared without separators) or LINE id (exact or prefix), best matches first (exact, prefix, substring), at most limit (default 20, at most 50); q left out or blank lists the most recently changed patients. The agent without line_user_id is 400: the clinic's patients are never listed to it.",
    allow: ['agent', 'user'],
    query: findPatientsQuery,
    responses: [
      { status: 200, schema: responses.patientSearchResults, description: 'Zero or one patient by LINE id; the matches of a staff search' },
    ],
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
