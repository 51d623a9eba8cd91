import 'server-only';
import { aliasedTable, and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { formatInterval } from '../availability';
import { assertClinicAdmin } from '../auth/access';
import type { Caller } from '../auth/caller';
import type { DbOrTx } from '../db/client';
import { googleConnections, invitations, users } from '../db/schema';
import type { AffectedAppointmentDto, InvitationDto, MemberDto, MemberListDto } from '../schemas/responses';
import { clinicNow } from '../time/clinic-clock';
import { systemClock, type Clock } from '../time/clock';
import { hasNotEnded, loadCalendar } from './calendar-data';
import { getClinicSettings } from './clinic';

export type { AffectedAppointmentDto, DeactivatedMemberDto, InvitationDto, MemberDto, MemberListDto } from '../schemas/responses';

const memberColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  role: users.role,
  isPractitioner: users.isPractitioner,
  observesClinicCalendar: users.observesClinicCalendar,
  deactivatedAt: users.deactivatedAt,
  createdAt: users.createdAt,
  googleConnected: sql<boolean>`coalesce(${googleConnections.state} = 'connected', false)`,
};
interface MemberRow {
  id: number;
  name: string;
  email: string;
  role: string;
  isPractitioner: boolean;
  observesClinicCalendar: boolean;
  deactivatedAt: Date | null;
  createdAt: Date;
  googleConnected: boolean;
}

function toMemberDto(r: MemberRow): MemberDto {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    role: r.role as MemberDto['role'],
    is_practitioner: r.isPractitioner,
    state: r.deactivatedAt ? 'deactivated' : 'active',
    google_connected: Boolean(r.googleConnected),
    observes_clinic_calendar: r.observesClinicCalendar,
    deactivated_at: r.deactivatedAt?.toISOString() ?? null,
    created_at: r.createdAt.toISOString(),
  };
}

/** One member of the caller's clinic as the list shows them; another clinic's id is not found (null). */
export async function findMember(db: DbOrTx, clinicId: number, userId: number): Promise<MemberDto | null> {
  const [row] = await db
    .select(memberColumns)
    .from(users)
    .leftJoin(googleConnections, eq(googleConnections.userId, users.id))
    .where(and(eq(users.id, userId), eq(users.clinicId, clinicId)));
  return row ? toMemberDto(row) : null;
}

/** The clinic's members (active ones first, by name) and its pending invitations (newest first), for its admins. */
export async function listMembers(db: DbOrTx, caller: Caller): Promise<MemberListDto> {
  assertClinicAdmin(caller, 'manages members');
  const inviter = aliasedTable(users, 'inviter');
  const [members, pending] = await Promise.all([
    db
      .select(memberColumns)
      .from(users)
      .leftJoin(googleConnections, eq(googleConnections.userId, users.id))
      .where(eq(users.clinicId, caller.clinicId))
      .orderBy(sql`${users.deactivatedAt} IS NOT NULL`, asc(users.name), asc(users.id)),
    db
      .select({
        id: invitations.id,
        email: invitations.email,
        name: invitations.name,
        role: invitations.role,
        isPractitioner: invitations.isPractitioner,
        invitedBy: inviter.name,
        createdAt: invitations.createdAt,
      })
      .from(invitations)
      .leftJoin(inviter, eq(inviter.id, invitations.invitedByUserId))
      .where(and(eq(invitations.clinicId, caller.clinicId), isNull(invitations.acceptedAt), isNull(invitations.withdrawnAt)))
      .orderBy(desc(invitations.createdAt), desc(invitations.id)),
  ]);
  return {
    members: members.map(toMemberDto),
    invitations: pending.map((r): InvitationDto => ({
      id: r.id,
      email: r.email,
      name: r.name,
      role: r.role as InvitationDto['role'],
      is_practitioner: r.isPractitioner,
      invited_by: r.invitedBy,
      created_at: r.createdAt.toISOString(),
    })),
  };
}

/**
 * A member's confirmed appointments that have not ended yet (clinic time), by date and start: what
 * deactivating them, or no longer counting them as a practitioner, would leave without anyone.
 */
export async function listFutureAppointments(db: DbOrTx, v: { clinicId: number; userId: number; clock?: Clock }): Promise<AffectedAppointmentDto[]> {
  const clinic = await getClinicSettings(db, v.clinicId);
  const now = clinicNow(clinic.timezone, (v.clock ?? systemClock)());
  const calendar = await loadCalendar(db, { practitionerId: v.userId, from: now.date });
  return calendar.appointments
    .filter((a) => hasNotEnded(a, now))
    .map((a) => ({ calendar_event_id: a.calendarEventId, date: a.date, time: formatInterval(a), patient: a.patient }));
}
