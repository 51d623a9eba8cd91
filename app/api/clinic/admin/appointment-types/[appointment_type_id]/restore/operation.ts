import { defineOperation } from '@/lib/api/operation';
import { appointmentTypeVersionSchema } from '@/lib/schemas/appointment-types';
import * as responses from '@/lib/schemas/responses';

/** POST /api/clinic/admin/appointment-types/{appointment_type_id}/restore: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  POST: defineOperation({
    method: 'POST',
    path: '/api/clinic/admin/appointment-types/{appointment_type_id}/restore',
    operationId: 'adminRestoreAppointmentType',
    summary: 'Restore an archived appointment type (admins); its name must not be in use by another type',
    description: 'Send the version the type was read with; another version is 409 conflict with details.current. Repeating it changes nothing.',
    allow: ['user'],
    body: appointmentTypeVersionSchema,
    responses: [{ status: 200, schema: responses.adminAppointmentType, description: 'Restored' }],
  }),
};
