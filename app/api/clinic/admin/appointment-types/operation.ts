import { defineOperation } from '@/lib/api/operation';
import { createAppointmentTypeSchema } from '@/lib/schemas/appointment-types';
import * as responses from '@/lib/schemas/responses';

const path = '/api/clinic/admin/appointment-types';

/** GET and POST /api/clinic/admin/appointment-types: declared once; route.ts and the OpenAPI document use them. */
export const operations = {
  GET: defineOperation({
    method: 'GET',
    path,
    operationId: 'adminListAppointmentTypes',
    summary: "The clinic's appointment types, archived ones too, with colour and version (admins)",
    allow: ['user'],
    responses: [{ status: 200, schema: responses.adminAppointmentTypeList, description: 'Appointment types, those in use first' }],
  }),
  POST: defineOperation({
    method: 'POST',
    path,
    operationId: 'adminCreateAppointmentType',
    summary: 'Create an appointment type (admins); a name in use, in any case, is 409 conflict',
    allow: ['user'],
    body: createAppointmentTypeSchema,
    idempotent: true,
    responses: [{ status: 201, schema: responses.adminAppointmentType, description: 'Created' }],
  }),
};
