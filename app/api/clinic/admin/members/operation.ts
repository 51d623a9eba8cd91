import { defineOperation } from '@/lib/api/operation';
import * as responses from '@/lib/schemas/responses';

/** GET /api/clinic/admin/members: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  GET: defineOperation({
    method: 'GET',
    path: '/api/clinic/admin/members',
    operationId: 'listMembers',
    summary: "The clinic's members (role, state, Google connection) and pending invitations; admins only",
    allow: ['user'],
    responses: [{ status: 200, schema: responses.memberList, description: 'Members and pending invitations' }],
  }),
};
