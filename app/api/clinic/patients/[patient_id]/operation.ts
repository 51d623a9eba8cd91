import { defineOperation } from '@/lib/api/operation';
import { updatePatientSchema } from '@/lib/schemas/patients';
import * as responses from '@/lib/schemas/responses';

/** GET and PATCH /api/clinic/patients/{patient_id}: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  GET: defineOperation({
    method: 'GET',
    path: '/api/clinic/patients/{patient_id}',
    operationId: 'getPatient',
    summary: 'A patient with their no-show count and number of upcoming appointments (staff)',
    description: "For the patient page; the appointments themselves are GET …/patients/{patient_id}/appointments. Another clinic's patient is 404.",
    allow: ['user'],
    responses: [{ status: 200, schema: responses.patientDetail, description: 'The patient' }],
  }),
  PATCH: defineOperation({
    method: 'PATCH',
    path: '/api/clinic/patients/{patient_id}',
    operationId: 'updatePatient',
    summary: "Change a patient's name or phone number (staff)",
    description: "At least one of full_name and phone_number (null clears the phone). Audited as patient.updated. Another clinic's patient is 404.",
    allow: ['user'],
    body: updatePatientSchema,
    responses: [{ status: 200, schema: responses.patient, description: 'The patient as changed' }],
  }),
};
