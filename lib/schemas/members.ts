import { z } from 'zod';
import { userText } from './common';

// Requests of the clinic's member administration (routes under /api/clinic/admin/ and the members
// page's server actions alike). Unknown fields are refused: a typo must not pass as "nothing to change".

export const MEMBER_ROLES = ['practitioner', 'admin'] as const;
export const memberRole = z.enum(MEMBER_ROLES);
export type MemberRole = z.infer<typeof memberRole>;

/** An email address as members sign in with it (Google's): compared and stored in lower case. */
export const memberEmail = userText({ max: 320 })
  .pipe(z.email({ message: 'Enter a valid email address' }))
  .transform((v) => v.toLowerCase());

export const memberName = userText({ max: 200 });

/** POST /api/clinic/admin/invitations */
export const inviteMemberSchema = z
  .object({
    email: memberEmail,
    name: memberName,
    role: memberRole,
    is_practitioner: z.boolean(),
  })
  .strict();
export type InviteMemberInput = z.infer<typeof inviteMemberSchema>;

/** PATCH /api/clinic/admin/members/{user_id}: the fields given change, the others stay. */
export const updateMemberSchema = z
  .object({
    name: memberName.optional(),
    role: memberRole.optional(),
    is_practitioner: z.boolean().optional(),
  })
  .strict()
  .refine((v) => v.name !== undefined || v.role !== undefined || v.is_practitioner !== undefined, {
    message: 'Give at least one of name, role and is_practitioner',
  });
export type UpdateMemberInput = z.infer<typeof updateMemberSchema>;

/**
 * POST /api/clinic/admin/members/{user_id}/deactivate. Without a choice, a member with future
 * confirmed appointments is not deactivated: the answer is the warning listing them.
 */
export const deactivateMemberSchema = z
  .object({
    future_appointments: z.enum(['keep', 'cancel']).optional(),
  })
  .strict();
export type DeactivateMemberInput = z.infer<typeof deactivateMemberSchema>;
