import { defineOperation } from '@/lib/api/operation';
import { updateAppointmentTypeSchema } from '@/lib/schemas/appointment-types';
import * as responses from '@/lib/schemas/responses';

/** PATCH /api/clinic/admin/appointment-types/{appointment_type_id}: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  PATCH: defineOperation({
    method: 'PATCH',
    path: '/api/clinic/admin/appointment-types/{appointment_type_id}',
    operationId: 'adminUpdateAppointmentType',
    summary: 'Rename, change duration, buffers or colour (admins); booked appointments keep their times',
    description:
      'Send the version the type was read with. Another version is 409 conflict with details.current (the type as it is now); a name in use, in any case, is 409 conflict.',
    allow: ['user'],
    body: updateAppointmentTypeSchema,
    responses: [{ status: 200, schema: responses.adminAppointmentType, description: 'Saved (version raised)' }],
  }),
};
