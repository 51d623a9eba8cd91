import { defineOperation } from '@/lib/api/operation';
import { updateClinicSettingsSchema } from '@/lib/schemas/clinic-settings';
import { confirmQuery } from '@/lib/schemas/common';
import * as responses from '@/lib/schemas/responses';

const path = '/api/clinic/admin/settings';

/** GET and PATCH /api/clinic/admin/settings: declared once; route.ts and the OpenAPI document use them. */
export const operations = {
  GET: defineOperation({
    method: 'GET',
    path,
    operationId: 'adminGetClinicSettings',
    summary: "The clinic's settings and whether its own LINE channel is set (never its credentials) (admins)",
    allow: ['user'],
    responses: [{ status: 200, schema: responses.clinicSettings, description: 'The settings' }],
  }),
  PATCH: defineOperation({
    method: 'PATCH',
    path,
    operationId: 'adminUpdateClinicSettings',
    summary: 'Change the name, time zone, slot step or minimum notice (admins)',
    description:
      'Send the version the settings were read with; another version is 409 conflict with details.current. A new time zone while confirmed appointments lie ahead is the warning timezone_change (their wall-clock times stay as booked); repeat with ?confirm=true to save it.',
    allow: ['user'],
    query: confirmQuery,
    body: updateClinicSettingsSchema,
    warns: true,
    responses: [{ status: 200, schema: responses.clinicSettings, description: 'Saved (version raised)' }],
  }),
};
