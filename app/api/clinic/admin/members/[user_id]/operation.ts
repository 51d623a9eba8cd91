import { defineOperation } from '@/lib/api/operation';
import { updateMemberSchema } from '@/lib/schemas/members';
import * as responses from '@/lib/schemas/responses';

/** PATCH /api/clinic/admin/members/{user_id}: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  PATCH: defineOperation({
    method: 'PATCH',
    path: '/api/clinic/admin/members/{user_id}',
    operationId: 'updateMember',
    summary: "Change a member's name, role or whether they are a practitioner; admins only",
    description:
      'Fields left out keep their values. The last active admin cannot be demoted (409 conflict, details.reason "last_admin"); a practitioner with future confirmed appointments stays one (409 conflict, details.reason "future_appointments", details.affected_appointments).',
    allow: ['user'],
    body: updateMemberSchema,
    responses: [{ status: 200, schema: responses.member, description: 'The member as changed' }],
  }),
};
