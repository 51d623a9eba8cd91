import { defineOperation } from '@/lib/api/operation';
import { appointmentTypeVersionSchema } from '@/lib/schemas/appointment-types';
import * as responses from '@/lib/schemas/responses';

/** POST /api/clinic/admin/appointment-types/{appointment_type_id}/archive: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  POST: defineOperation({
    method: 'POST',
    path: '/api/clinic/admin/appointment-types/{appointment_type_id}/archive',
    operationId: 'adminArchiveAppointmentType',
    summary: 'Archive an appointment type (admins): offered to no one from now on; its appointments keep its name',
    description: 'Send the version the type was read with; another version is 409 conflict with details.current. Repeating it changes nothing.',
    allow: ['user'],
    body: appointmentTypeVersionSchema,
    responses: [{ status: 200, schema: responses.adminAppointmentType, description: 'Archived' }],
  }),
};
