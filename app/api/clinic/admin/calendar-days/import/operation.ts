import { defineOperation } from '@/lib/api/operation';
import { dryRunQuery, importClinicCalendarSchema } from '@/lib/schemas/clinic-calendar';
import * as responses from '@/lib/schemas/responses';

/** POST /api/clinic/admin/calendar-days/import: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  POST: defineOperation({
    method: 'POST',
    path: '/api/clinic/admin/calendar-days/import',
    operationId: 'adminImportClinicCalendar',
    summary:
      "Import a year of Taiwan's office calendar (政府行政機關辦公日曆表): the government's CSV or a shipped year; ?dry_run=true previews (admins)",
    description:
      "Body: exactly one of csv (the file's text), csv_base64 (its bytes: UTF-8 with or without BOM, or Big5) and taiwan_year (a year shipped with the app). A weekday day off, or a named day off on a weekend, becomes a closed day; a working Saturday or Sunday (補行上班) a make-up workday with the hours of workday_hours_of_weekday (default: the bridge day it pays back, else Friday). The answer lists the days added, changed and removed in that year (days set by hand are kept) and the confirmed future appointments on newly closed days; with dry_run=true nothing is saved. Applying twice changes nothing the second time.",
    allow: ['user'],
    query: dryRunQuery,
    body: importClinicCalendarSchema,
    responses: [{ status: 200, schema: responses.clinicCalendarImport, description: 'The changes (previewed or applied)' }],
  }),
};
