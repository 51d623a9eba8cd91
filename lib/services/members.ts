import 'server-only';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { assertClinicAdmin } from '../auth/access';
import type { Caller } from '../auth/caller';
import { writeAudit } from '../db/audit';
import type { DbOrTx } from '../db/client';
import { lockPractitionerCalendar } from '../db/locks';
import { invitations, users } from '../db/schema';
import { inTransaction, type Tx } from '../db/transaction';
import { AppError, AppWarning } from '../errors';
import { findMember, listFutureAppointments } from '../queries/members';
import type { DeactivateMemberInput, InviteMemberInput, UpdateMemberInput } from '../schemas/members';
import type { DeactivatedMemberDto, InvitationDto, MemberDto } from '../schemas/responses';
import type { Clock } from '../time/clock';
import { cancelConfirmedAppointment, loadAppointmentForCancel } from './appointment-cancellation';

// The clinic's members and invitations, changed by its admins. Every change takes the clinic's
// active admins' rows first (SELECT … FOR NO KEY UPDATE, in id order), then the member's: changes
// that could leave the clinic without an admin run one after another, and each decides on the
// admins as they are once the previous one has committed. Two admins demoting each other at the
// same moment therefore leave one admin, never none.

const WHAT = 'manages members';

type UserCaller = Extract<Caller, { kind: 'user' }>;

/** A 409 conflict with a `reason` the members page turns into its own sentence. */
function conflict(reason: string, message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('conflict', message, { reason, ...details });
}

/**
 * Locks the clinic's active admins (in id order, so concurrent changes queue instead of deadlocking)
 * and checks the caller is still one of them: a demotion committed since the caller's session was
 * read takes effect here, not on their next request.
 */
async function lockActiveAdmins(tx: Tx, caller: UserCaller): Promise<number[]> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.clinicId, caller.clinicId), eq(users.role, 'admin'), isNull(users.deactivatedAt)))
    .orderBy(asc(users.id))
    .for('no key update');
  const ids = rows.map((r) => r.id);
  if (!ids.includes(caller.userId)) throw new AppError('forbidden', `Only a clinic admin ${WHAT}`);
  return ids;
}

/** The member behind a path id, locked; another clinic's member is not found. */
async function lockMember(tx: Tx, clinicId: number, userId: number) {
  const [row] = await tx
    .select({ id: users.id, name: users.name, role: users.role, isPractitioner: users.isPractitioner, deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.clinicId, clinicId)))
    .for('no key update');
  if (!row) throw new AppError('not_found', 'Member not found');
  return row;
}

const lastAdmin = () => conflict('last_admin', 'The clinic needs at least one active admin: make someone else an admin first');

async function memberDto(tx: Tx, clinicId: number, userId: number): Promise<MemberDto> {
  return (await findMember(tx, clinicId, userId))!;
}

/**
 * Invites a person by email: they become a member when they sign in with the Google account of that
 * email. An email that is already a member's (of any clinic: members sign in by email) or already
 * invited is a 409 conflict.
 */
export async function inviteMember(db: DbOrTx, caller: Caller, input: InviteMemberInput): Promise<InvitationDto> {
  assertClinicAdmin(caller, WHAT);
  return inTransaction(db, async (tx) => {
    await lockActiveAdmins(tx, caller);
    const memberWithEmail = async () =>
      (
        await tx
          .select({ id: users.id })
          .from(users)
          .where(sql`lower(${users.email}) = ${input.email}`)
      ).length > 0;
    if (await memberWithEmail()) throw conflict('member_exists', 'That email already belongs to a clinic member');
    const [row] = await tx
      .insert(invitations)
      .values({
        clinicId: caller.clinicId,
        email: input.email,
        name: input.name,
        role: input.role,
        isPractitioner: input.is_practitioner,
        invitedByUserId: caller.userId,
      })
      // The one pending invitation per email (a partial unique index) decides between concurrent invites.
      .onConflictDoNothing()
      .returning({ id: invitations.id, createdAt: invitations.createdAt });
    if (!row) throw conflict('invitation_exists', 'That email has been invited already');
    // An acceptance of another invitation for this email may have committed while the insert waited
    // for it: this statement sees it, and nothing is left pending for someone who is a member now.
    if (await memberWithEmail()) throw conflict('member_exists', 'That email already belongs to a clinic member');
    await writeAudit(tx, caller, {
      action: 'member.invited',
      entityType: 'invitation',
      entityId: row.id,
      details: { email: input.email, name: input.name, role: input.role, is_practitioner: input.is_practitioner },
    });
    return {
      id: row.id,
      email: input.email,
      name: input.name,
      role: input.role,
      is_practitioner: input.is_practitioner,
      invited_by: caller.name,
      created_at: row.createdAt.toISOString(),
    };
  });
}

/**
 * Withdraws a pending invitation. One conditional UPDATE decides against a sign-in accepting it at
 * the same moment: whichever commits first wins, and an accepted invitation is a 409 (deactivate
 * the member instead). Withdrawing it again changes nothing.
 */
export async function withdrawInvitation(db: DbOrTx, caller: Caller, invitationId: number): Promise<{ message: string }> {
  assertClinicAdmin(caller, WHAT);
  return inTransaction(db, async (tx) => {
    await lockActiveAdmins(tx, caller);
    const [row] = await tx
      .update(invitations)
      .set({ withdrawnAt: new Date() })
      .where(
        and(
          eq(invitations.id, invitationId),
          eq(invitations.clinicId, caller.clinicId),
          isNull(invitations.acceptedAt),
          isNull(invitations.withdrawnAt),
        ),
      )
      .returning({ id: invitations.id, email: invitations.email });
    if (!row) {
      const [now] = await tx
        .select({ acceptedAt: invitations.acceptedAt })
        .from(invitations)
        .where(and(eq(invitations.id, invitationId), eq(invitations.clinicId, caller.clinicId)));
      if (!now) throw new AppError('not_found', 'Invitation not found');
      if (now.acceptedAt) throw conflict('invitation_accepted', 'The invitation has been accepted: the person is a member now');
      return { message: 'Invitation was already withdrawn' };
    }
    await writeAudit(tx, caller, { action: 'invitation.withdrawn', entityType: 'invitation', entityId: row.id, details: { email: row.email } });
    return { message: 'Invitation withdrawn' };
  });
}

/**
 * Changes a member's name, role or whether they are a practitioner. The last active admin cannot
 * be demoted; a practitioner with future confirmed appointments stays one (those appointments
 * would belong to no one offered anywhere): cancel them or deactivate the member instead.
 */
export async function updateMember(
  db: DbOrTx,
  caller: Caller,
  input: { userId: number; changes: UpdateMemberInput; clock?: Clock },
): Promise<MemberDto> {
  assertClinicAdmin(caller, WHAT);
  return inTransaction(db, async (tx) => {
    const admins = await lockActiveAdmins(tx, caller);
    const member = await lockMember(tx, caller.clinicId, input.userId);
    const before = { name: member.name, role: member.role, is_practitioner: member.isPractitioner };
    const after = {
      name: input.changes.name ?? member.name,
      role: input.changes.role ?? member.role,
      is_practitioner: input.changes.is_practitioner ?? member.isPractitioner,
    };
    const active = member.deactivatedAt === null;
    if (active && member.role === 'admin' && after.role !== 'admin' && !admins.some((id) => id !== member.id)) throw lastAdmin();
    if (member.isPractitioner && !after.is_practitioner) {
      // No booking may slip in between this check and the change.
      await lockPractitionerCalendar(tx, member.id);
      const future = await listFutureAppointments(tx, { clinicId: caller.clinicId, userId: member.id, clock: input.clock });
      if (future.length > 0) {
        throw conflict('future_appointments', 'This practitioner has future confirmed appointments: cancel them or deactivate the member', {
          affected_appointments: future,
        });
      }
    }
    if (before.name === after.name && before.role === after.role && before.is_practitioner === after.is_practitioner) {
      return memberDto(tx, caller.clinicId, member.id);
    }
    await tx
      .update(users)
      .set({ name: after.name, role: after.role, isPractitioner: after.is_practitioner, updatedAt: new Date() })
      .where(eq(users.id, member.id));
    await writeAudit(tx, caller, {
      action: 'member.updated',
      entityType: 'user',
      entityId: member.id,
      details: { before, after },
      practitionerId: member.isPractitioner || after.is_practitioner ? member.id : null,
    });
    return memberDto(tx, caller.clinicId, member.id);
  });
}

/**
 * Deactivates a member: they can no longer sign in (their session answers 401 from the next
 * request), the agent no longer sees them and no slots are offered; their history stays. Future
 * confirmed appointments are shown first (409 warning) and then kept, or canceled with the
 * patients' LINE messages and the Google copies' removal through the outbox, one cancellation
 * transition each (lib/services/appointment-cancellation.ts), all in this one transaction.
 */
export async function deactivateMember(
  db: DbOrTx,
  caller: Caller,
  input: { userId: number; futureAppointments?: DeactivateMemberInput['future_appointments']; clock?: Clock },
): Promise<DeactivatedMemberDto> {
  assertClinicAdmin(caller, WHAT);
  return inTransaction(db, async (tx) => {
    const admins = await lockActiveAdmins(tx, caller);
    const member = await lockMember(tx, caller.clinicId, input.userId);
    if (member.deactivatedAt !== null) {
      return { ...(await memberDto(tx, caller.clinicId, member.id)), canceled_appointments: [], kept_appointments: [] };
    }
    if (member.id === caller.userId) throw conflict('self_deactivation', 'You cannot deactivate yourself: ask another admin');
    if (member.role === 'admin' && !admins.some((id) => id !== member.id)) throw lastAdmin();

    // Held until the commit: no booking slips in between the list and the deactivation.
    await lockPractitionerCalendar(tx, member.id);
    const future = await listFutureAppointments(tx, { clinicId: caller.clinicId, userId: member.id, clock: input.clock });
    if (future.length > 0 && !input.futureAppointments) {
      throw new AppWarning('member_has_future_appointments', `${member.name} has future confirmed appointments: keep them or cancel them`, {
        affected_appointments: future,
      });
    }
    const canceled: number[] = [];
    const kept: number[] = [];
    for (const a of future) {
      if (input.futureAppointments !== 'cancel') {
        kept.push(a.calendar_event_id);
        continue;
      }
      const appt = await loadAppointmentForCancel(tx, { calendarEventId: a.calendar_event_id, practitionerId: member.id, clinicId: caller.clinicId });
      const result = await cancelConfirmedAppointment(tx, caller, appt, 'canceled_by_clinic', 'member_deactivated');
      if (!result.already) canceled.push(a.calendar_event_id);
    }
    await tx.update(users).set({ deactivatedAt: new Date(), updatedAt: new Date() }).where(eq(users.id, member.id));
    await writeAudit(tx, caller, {
      action: 'member.deactivated',
      entityType: 'user',
      entityId: member.id,
      details: {
        name: member.name,
        future_appointments: future.length === 0 ? 'none' : input.futureAppointments,
        canceled_appointments: canceled,
        kept_appointments: kept,
      },
      practitionerId: member.isPractitioner ? member.id : null,
    });
    return { ...(await memberDto(tx, caller.clinicId, member.id)), canceled_appointments: canceled, kept_appointments: kept };
  });
}

/** Lets a deactivated member sign in again, with the role they had; their kept appointments are theirs again. */
export async function reactivateMember(db: DbOrTx, caller: Caller, userId: number): Promise<MemberDto> {
  assertClinicAdmin(caller, WHAT);
  return inTransaction(db, async (tx) => {
    await lockActiveAdmins(tx, caller);
    const member = await lockMember(tx, caller.clinicId, userId);
    if (member.deactivatedAt === null) return memberDto(tx, caller.clinicId, member.id);
    await tx.update(users).set({ deactivatedAt: null, updatedAt: new Date() }).where(eq(users.id, member.id));
    await writeAudit(tx, caller, {
      action: 'member.reactivated',
      entityType: 'user',
      entityId: member.id,
      details: { name: member.name },
      practitionerId: member.isPractitioner ? member.id : null,
    });
    return memberDto(tx, caller.clinicId, member.id);
  });
}
