import { defineOperation } from '@/lib/api/operation';
import { updateClinicDaySchema } from '@/lib/schemas/clinic-calendar';
import { confirmQuery } from '@/lib/schemas/common';
import * as responses from '@/lib/schemas/responses';

const path = '/api/clinic/admin/calendar-days/{day}';

/** PUT and DELETE /api/clinic/admin/calendar-days/{day} ({day}: the date YYYY-MM-DD or the day's id). */
export const operations = {
  PUT: defineOperation({
    method: 'PUT',
    path,
    operationId: 'adminUpdateClinicDay',
    summary: "Change a day of the clinic calendar (by date or id): closed with a name, or a make-up workday with its hours' weekday (admins)",
    description:
      'A day changed by hand is kept by later imports. Closing a day with confirmed future appointments answers 409 appointment_conflicts; repeat with ?confirm=true.',
    allow: ['user'],
    query: confirmQuery,
    body: updateClinicDaySchema,
    warns: true,
    responses: [{ status: 200, schema: responses.clinicDay, description: 'Saved' }],
  }),
  DELETE: defineOperation({
    method: 'DELETE',
    path,
    operationId: 'adminRemoveClinicDay',
    summary: 'Remove a day from the clinic calendar (by date or id): it is an ordinary day again (admins)',
    allow: ['user'],
    responses: [{ status: 200, schema: responses.clinicDayDeleted, description: 'Removed' }],
  }),
};
