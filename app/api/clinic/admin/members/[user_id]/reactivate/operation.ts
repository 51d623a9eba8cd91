import { defineOperation } from '@/lib/api/operation';
import * as responses from '@/lib/schemas/responses';

/** POST /api/clinic/admin/members/{user_id}/reactivate: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  POST: defineOperation({
    method: 'POST',
    path: '/api/clinic/admin/members/{user_id}/reactivate',
    operationId: 'reactivateMember',
    summary: 'Let a deactivated member sign in again, with the role they had; admins only',
    allow: ['user'],
    responses: [{ status: 200, schema: responses.member, description: 'Active again' }],
  }),
};
