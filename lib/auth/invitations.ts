import 'server-only';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { writeAudit } from '../db/audit';
import { getDb, type DbOrTx } from '../db/client';
import { invitations, users } from '../db/schema';
import { inTransaction } from '../db/transaction';
import type { Member } from './users';

const memberColumns = {
  id: users.id,
  clinicId: users.clinicId,
  email: users.email,
  name: users.name,
  role: users.role,
  isPractitioner: users.isPractitioner,
};

/**
 * Someone signs in whom no active member matches: a pending invitation for their email makes them
 * a member, with the invitation's clinic, name, role and is_practitioner, in one transaction. Sign-in
 * is the only way in, so this sits with it in the auth layer (auth.ts calls it).
 *
 * One conditional UPDATE decides: of two sign-ins racing for one invitation, or a sign-in racing an
 * admin withdrawing it, exactly one changes the row (the other waits for its lock, then finds it no
 * longer pending). The sign-in that lost to another sign-in gets the member that one created; the
 * one that lost to a withdrawal gets nobody. Returns null when there is nothing to accept.
 */
export async function acceptInvitationAtSignIn(email: string, db?: DbOrTx): Promise<Member | null> {
  const lower = email.trim().toLowerCase();
  return inTransaction(db ?? (await getDb()), async (tx) => {
    const activeMember = async () =>
      (
        (await tx
          .select(memberColumns)
          .from(users)
          .where(and(sql`lower(${users.email}) = ${lower}`, isNull(users.deactivatedAt)))
          .limit(1)) as Member[]
      )[0] ?? null;
    // A user row with this email (e.g. a deactivated member) keeps it: no invitation can add another.
    const [existing] = await tx
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.email}) = ${lower}`);
    if (existing) return activeMember();
    const [pending] = await tx
      .select({ id: invitations.id })
      .from(invitations)
      .where(and(sql`lower(${invitations.email}) = ${lower}`, isNull(invitations.acceptedAt), isNull(invitations.withdrawnAt)));
    if (!pending) return null;
    const [invitation] = await tx
      .update(invitations)
      .set({ acceptedAt: new Date() })
      .where(and(eq(invitations.id, pending.id), isNull(invitations.acceptedAt), isNull(invitations.withdrawnAt)))
      .returning({
        id: invitations.id,
        clinicId: invitations.clinicId,
        name: invitations.name,
        role: invitations.role,
        isPractitioner: invitations.isPractitioner,
        invitedByUserId: invitations.invitedByUserId,
      });
    // Accepted by a concurrent sign-in (whose member this statement now sees) or withdrawn meanwhile.
    if (!invitation) return activeMember();
    const [member] = await tx
      .insert(users)
      .values({
        clinicId: invitation.clinicId,
        email: lower,
        name: invitation.name,
        role: invitation.role,
        isPractitioner: invitation.isPractitioner,
        emailVerified: new Date(),
      })
      .returning(memberColumns);
    await tx.update(invitations).set({ acceptedUserId: member!.id }).where(eq(invitations.id, invitation.id));
    await writeAudit(
      tx,
      { kind: 'user', clinicId: invitation.clinicId, userId: member!.id },
      {
        action: 'invitation.accepted',
        entityType: 'invitation',
        entityId: invitation.id,
        details: {
          email: lower,
          member_id: member!.id,
          role: invitation.role,
          is_practitioner: invitation.isPractitioner,
          invited_by_user_id: invitation.invitedByUserId,
        },
        practitionerId: invitation.isPractitioner ? member!.id : null,
      },
    );
    return member as Member;
  });
}
