import { defineOperation } from '@/lib/api/operation';
import { inviteMemberSchema } from '@/lib/schemas/members';
import * as responses from '@/lib/schemas/responses';

/** POST /api/clinic/admin/invitations: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  POST: defineOperation({
    method: 'POST',
    path: '/api/clinic/admin/invitations',
    operationId: 'inviteMember',
    summary: 'Invite a person by email; they become a member when they sign in with Google; admins only',
    description:
      'An email that already belongs to a member of any clinic, or that has a pending invitation, is a 409 conflict (details.reason "member_exists" or "invitation_exists").',
    allow: ['user'],
    body: inviteMemberSchema,
    idempotent: true,
    responses: [{ status: 201, schema: responses.invitation, description: 'Invited (pending)' }],
  }),
};
