import { defineOperation } from '@/lib/api/operation';
import { deactivateMemberSchema } from '@/lib/schemas/members';
import * as responses from '@/lib/schemas/responses';

/** POST /api/clinic/admin/members/{user_id}/deactivate: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  POST: defineOperation({
    method: 'POST',
    path: '/api/clinic/admin/members/{user_id}/deactivate',
    operationId: 'deactivateMember',
    summary: 'Deactivate a member: no sign-in, offered to no one, history kept; admins only',
    description:
      'A member with future confirmed appointments is not deactivated without a choice: the answer is the 409 warning member_has_future_appointments listing them (details.affected_appointments). Send future_appointments "keep" (they stay confirmed) or "cancel" (each becomes canceled_by_clinic, the patient gets the LINE cancellation message). The last active admin and yourself cannot be deactivated (409 conflict). Deactivating again changes nothing.',
    allow: ['user'],
    body: deactivateMemberSchema,
    warns: true,
    responses: [{ status: 200, schema: responses.deactivatedMember, description: 'Deactivated' }],
  }),
};
