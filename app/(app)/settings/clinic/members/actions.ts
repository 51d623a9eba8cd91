'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/actions';
import { getDb } from '@/lib/db/client';
import type { ActionState } from '@/lib/errors';
import type { DeactivatedMemberDto, InvitationDto, MemberDto } from '@/lib/queries/members';
import { positiveId } from '@/lib/schemas/common';
import { deactivateMemberSchema, inviteMemberSchema, updateMemberSchema } from '@/lib/schemas/members';
import { deactivateMember, inviteMember, reactivateMember, updateMember, withdrawInvitation } from '@/lib/services/members';

// The members page's actions: the same schemas and services as /api/clinic/admin/members and
// /api/clinic/admin/invitations; who may call is checked by the services.
const PAGE = '/settings/clinic/members';

export async function inviteMemberAction(input: unknown): Promise<ActionState<InvitationDto>> {
  return runAction(async (caller) => {
    const invitation = await inviteMember(await getDb(), caller, inviteMemberSchema.parse(input));
    revalidatePath(PAGE);
    return invitation;
  });
}

export async function withdrawInvitationAction(invitationId: unknown): Promise<ActionState<{ withdrawn: true }>> {
  return runAction(async (caller) => {
    await withdrawInvitation(await getDb(), caller, positiveId.parse(invitationId));
    revalidatePath(PAGE);
    return { withdrawn: true as const };
  });
}

export async function updateMemberAction(userId: unknown, changes: unknown): Promise<ActionState<MemberDto>> {
  return runAction(async (caller) => {
    const member = await updateMember(await getDb(), caller, { userId: positiveId.parse(userId), changes: updateMemberSchema.parse(changes) });
    revalidatePath(PAGE);
    return member;
  });
}

/** Without a choice, a member with future confirmed appointments answers the warning that lists them. */
export async function deactivateMemberAction(userId: unknown, input: unknown): Promise<ActionState<DeactivatedMemberDto>> {
  return runAction(async (caller) => {
    const { future_appointments } = deactivateMemberSchema.parse(input);
    const member = await deactivateMember(await getDb(), caller, { userId: positiveId.parse(userId), futureAppointments: future_appointments });
    revalidatePath(PAGE);
    return member;
  });
}

export async function reactivateMemberAction(userId: unknown): Promise<ActionState<MemberDto>> {
  return runAction(async (caller) => {
    const member = await reactivateMember(await getDb(), caller, positiveId.parse(userId));
    revalidatePath(PAGE);
    return member;
  });
}
