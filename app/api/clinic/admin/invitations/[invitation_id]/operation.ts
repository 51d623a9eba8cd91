import { defineOperation } from '@/lib/api/operation';
import * as responses from '@/lib/schemas/responses';

/** DELETE /api/clinic/admin/invitations/{invitation_id}: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  DELETE: defineOperation({
    method: 'DELETE',
    path: '/api/clinic/admin/invitations/{invitation_id}',
    operationId: 'withdrawInvitation',
    summary: 'Withdraw a pending invitation; admins only',
    description: 'An invitation accepted meanwhile is a 409 conflict (details.reason "invitation_accepted"); withdrawing again changes nothing.',
    allow: ['user'],
    responses: [{ status: 200, schema: responses.message, description: 'Withdrawn' }],
  }),
};
