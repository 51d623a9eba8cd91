import { defineOperation } from '@/lib/api/operation';
import { lineChannelSchema } from '@/lib/schemas/clinic-settings';
import * as responses from '@/lib/schemas/responses';

const path = '/api/clinic/admin/settings/line-channel';

/** PUT and DELETE /api/clinic/admin/settings/line-channel: declared once; route.ts and the OpenAPI document use them. */
export const operations = {
  PUT: defineOperation({
    method: 'PUT',
    path,
    operationId: 'adminSetLineChannel',
    summary: "Save the clinic's own LINE channel (access token and channel secret, stored encrypted) (admins)",
    description:
      "The clinic's patients are then messaged through it instead of the deployment's channel. The answer shows only whether each is set and its last four characters. 503 not_configured while the server has no APP_ENCRYPTION_KEY.",
    allow: ['user'],
    body: lineChannelSchema,
    responses: [{ status: 200, schema: responses.clinicSettings, description: 'Saved' }],
  }),
  DELETE: defineOperation({
    method: 'DELETE',
    path,
    operationId: 'adminRemoveLineChannel',
    summary: "Forget the clinic's own LINE channel: the deployment's channel messages its patients again (admins)",
    allow: ['user'],
    responses: [{ status: 200, schema: responses.clinicSettings, description: 'Removed' }],
  }),
};
