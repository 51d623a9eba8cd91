import { defineOperation } from '@/lib/api/operation';
import { clinicDayYearQuery, createClinicDaySchema } from '@/lib/schemas/clinic-calendar';
import { confirmQuery } from '@/lib/schemas/common';
import * as responses from '@/lib/schemas/responses';

const path = '/api/clinic/admin/calendar-days';

/** GET and POST /api/clinic/admin/calendar-days: declared once; route.ts and the OpenAPI document use them. */
export const operations = {
  GET: defineOperation({
    method: 'GET',
    path,
    operationId: 'adminListClinicDays',
    summary: 'A year of the clinic calendar: holidays (closed) and make-up workdays, by date (admins)',
    allow: ['user'],
    query: clinicDayYearQuery,
    responses: [{ status: 200, schema: responses.clinicDayList, description: 'The days of the year' }],
  }),
  POST: defineOperation({
    method: 'POST',
    path,
    operationId: 'adminAddClinicDay',
    summary: 'Add a closed day (with its name) or a make-up workday (with the weekday whose hours it takes) (admins)',
    description:
      'A closed day takes the whole local day of every practitioner who observes the clinic calendar. Confirmed future appointments on it answer 409 appointment_conflicts with details.affected_appointments; repeat with ?confirm=true to save. A date already in the calendar is 409 conflict.',
    allow: ['user'],
    query: confirmQuery,
    body: createClinicDaySchema,
    warns: true,
    idempotent: true,
    responses: [{ status: 201, schema: responses.clinicDay, description: 'Added' }],
  }),
};
