import { and, eq, inArray, sql } from 'drizzle-orm';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { DELETE as withdrawRoute } from '@/app/api/clinic/admin/invitations/[invitation_id]/route';
import { POST as inviteRoute } from '@/app/api/clinic/admin/invitations/route';
import { POST as deactivateRoute } from '@/app/api/clinic/admin/members/[user_id]/deactivate/route';
import { POST as reactivateRoute } from '@/app/api/clinic/admin/members/[user_id]/reactivate/route';
import { PATCH as updateRoute } from '@/app/api/clinic/admin/members/[user_id]/route';
import { GET as listRoute } from '@/app/api/clinic/admin/members/route';
import { GET as clinicSlotsRoute } from '@/app/api/clinic/availability/slots/route';
import { GET as practitionerSlotsRoute } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/route';
import { GET as practitionersRoute } from '@/app/api/clinic/practitioners/route';
import { acceptInvitationAtSignIn } from '@/lib/auth/invitations';
import { appointments, auditLog, calendarEvents, googleConnections, invitations, outboxJobs, users } from '@/lib/db/schema';
import { createAgentKey } from '@/lib/services/agent-keys';
import { dbFingerprint } from '../support/db-fingerprint';
import { useTestDatabase } from '../support/db';
import { makeAppointment, makeClinicWithStaff, makePatient, makeUser, setWeek } from '../support/factories';
import { callRoute, sessionCookie } from '../support/http';

type Cast = Awaited<ReturnType<typeof makeClinicWithStaff>>;
type Role = 'practitioner' | 'admin';

const cookieOf = (u: { id: number; clinicId: number; role: string }) => sessionCookie({ id: u.id, clinicId: u.clinicId, role: u.role as Role });
const ADMIN = '/api/clinic/admin';

describe('members and invitations (admin routes)', () => {
  const t = useTestDatabase();
  const db = () => t.db();
  let a: Cast;
  let b: Cast;
  let adminA: string;
  let adminB: string;

  beforeAll(async () => {
    a = await makeClinicWithStaff(db());
    b = await makeClinicWithStaff(db());
    adminA = await cookieOf(a.admin);
    adminB = await cookieOf(b.admin);
  });

  const list = (cookie: string) => callRoute(listRoute, { path: `${ADMIN}/members`, cookie });
  const invite = (cookie: string, body: unknown, headers?: Record<string, string>) =>
    callRoute(inviteRoute, { method: 'POST', path: `${ADMIN}/invitations`, cookie, body, headers });
  const withdraw = (cookie: string, id: number) =>
    callRoute(withdrawRoute, { method: 'DELETE', path: `${ADMIN}/invitations/${id}`, params: { invitation_id: String(id) }, cookie });
  const update = (cookie: string, id: number, body: unknown) =>
    callRoute(updateRoute, { method: 'PATCH', path: `${ADMIN}/members/${id}`, params: { user_id: String(id) }, cookie, body });
  const deactivate = (cookie: string, id: number, body: unknown = {}) =>
    callRoute(deactivateRoute, { method: 'POST', path: `${ADMIN}/members/${id}/deactivate`, params: { user_id: String(id) }, cookie, body });
  const reactivate = (cookie: string, id: number) =>
    callRoute(reactivateRoute, { method: 'POST', path: `${ADMIN}/members/${id}/reactivate`, params: { user_id: String(id) }, cookie });
  const audits = async (action: string, entityId: number) =>
    (
      await db()
        .select({ action: auditLog.action, actor: auditLog.actorUserId, details: auditLog.details, practitionerId: auditLog.practitionerId })
        .from(auditLog)
        .where(and(eq(auditLog.action, action), eq(auditLog.entityId, String(entityId))))
    ).map((r) => r);

  describe('listing', () => {
    it('lists the clinic’s members with role, state and Google connection, and its pending invitations only', async () => {
      const c = await makeClinicWithStaff(db());
      await db().insert(googleConnections).values({ userId: c.practitioner.id, clinicId: c.clinic.id, state: 'connected' });
      const gone = await makeUser(db(), { clinicId: c.clinic.id, name: 'Aaron Gone', deactivatedAt: new Date('2030-01-01T00:00:00Z') });
      await db()
        .insert(invitations)
        .values([
          {
            clinicId: c.clinic.id,
            email: 'pending-list@clinic.test',
            name: 'Pending',
            role: 'admin',
            isPractitioner: false,
            invitedByUserId: c.admin.id,
          },
          { clinicId: c.clinic.id, email: 'withdrawn-list@clinic.test', name: 'Withdrawn', withdrawnAt: new Date() },
          { clinicId: b.clinic.id, email: 'other-clinic-list@clinic.test', name: 'Elsewhere' },
        ]);
      const res = await list(await cookieOf(c.admin));
      expect(res.status).toBe(200);
      expect(res.body.members.map((m: { name: string; state: string }) => [m.name, m.state])).toEqual([
        ['Admin', 'active'],
        ['Dr. Chen', 'active'],
        ['Dr. Lin', 'active'],
        ['Aaron Gone', 'deactivated'],
      ]);
      expect(res.body.members[1]).toEqual({
        id: c.practitioner.id,
        name: 'Dr. Chen',
        email: c.practitioner.email,
        role: 'practitioner',
        is_practitioner: true,
        state: 'active',
        google_connected: true,
        observes_clinic_calendar: true,
        deactivated_at: null,
        created_at: expect.any(String),
      });
      expect(res.body.members[0]).toMatchObject({ role: 'admin', is_practitioner: false, google_connected: false });
      expect(res.body.members[3]).toMatchObject({ id: gone.id, deactivated_at: '2030-01-01T00:00:00.000Z' });
      expect(res.body.invitations).toEqual([
        {
          id: expect.any(Number),
          email: 'pending-list@clinic.test',
          name: 'Pending',
          role: 'admin',
          is_practitioner: false,
          invited_by: 'Admin',
          created_at: expect.any(String),
        },
      ]);
    });
  });

  describe('inviting and withdrawing', () => {
    it('invites by email (stored in lower case), audits it, and the invitation is listed', async () => {
      const res = await invite(adminA, { email: '  New.Person@Clinic.TEST ', name: ' 林醫師 ', role: 'practitioner', is_practitioner: true });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(Number),
        email: 'new.person@clinic.test',
        name: '林醫師',
        role: 'practitioner',
        is_practitioner: true,
        invited_by: 'Admin',
        created_at: expect.any(String),
      });
      expect((await list(adminA)).body.invitations.map((i: { id: number }) => i.id)).toContain(res.body.id);
      expect(await audits('member.invited', res.body.id)).toEqual([
        {
          action: 'member.invited',
          actor: a.admin.id,
          details: { email: 'new.person@clinic.test', name: '林醫師', role: 'practitioner', is_practitioner: true },
          practitionerId: null,
        },
      ]);
    });

    it.each([
      ['a member of this clinic', () => a.colleague.email.toUpperCase(), 'member_exists'],
      ['a member of another clinic', () => b.practitioner.email, 'member_exists'],
      ['a deactivated member', async () => (await makeUser(db(), { clinicId: a.clinic.id, deactivatedAt: new Date() })).email, 'member_exists'],
    ])('refuses the email of %s with 409 conflict, creating nothing', async (_name, email, reason) => {
      const address = await email();
      const before = await dbFingerprint(db());
      const res = await invite(adminA, { email: address, name: 'Someone', role: 'practitioner', is_practitioner: true });
      expect(res).toEqual({ status: 409, body: { error: 'conflict', message: expect.any(String), details: { reason } } });
      expect(await dbFingerprint(db())).toEqual(before);
    });

    it('refuses an email with a pending invitation, in this clinic or another, whatever its case', async () => {
      expect((await invite(adminB, { email: 'twice@clinic.test', name: 'Twice', role: 'admin', is_practitioner: false })).status).toBe(201);
      const before = await dbFingerprint(db());
      for (const [cookie, email] of [
        [adminB, 'twice@clinic.test'],
        [adminA, 'TWICE@clinic.test'],
      ] as const) {
        const res = await invite(cookie, { email, name: 'Twice again', role: 'practitioner', is_practitioner: true });
        expect(res).toEqual({ status: 409, body: { error: 'conflict', message: expect.any(String), details: { reason: 'invitation_exists' } } });
      }
      expect(await dbFingerprint(db())).toEqual(before);
    });

    it('concurrent invitations of one email: one is created, the others are 409 conflict', async () => {
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          invite(i % 2 ? adminA : adminB, { email: 'race@clinic.test', name: 'Race', role: 'practitioner', is_practitioner: true }),
        ),
      );
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      expect(await db().select().from(invitations).where(eq(invitations.email, 'race@clinic.test'))).toHaveLength(1);
    });

    it('a double tap with one Idempotency-Key invites once and answers the same', async () => {
      const body = { email: 'double-tap@clinic.test', name: 'Tap', role: 'practitioner', is_practitioner: true };
      const first = await invite(adminA, body, { 'Idempotency-Key': 'invite-tap-1' });
      const second = await invite(adminA, body, { 'Idempotency-Key': 'invite-tap-1' });
      expect(first.status).toBe(201);
      expect(second).toEqual(first);
    });

    it.each([
      ['a malformed email', { email: 'not-an-email', name: 'X', role: 'practitioner', is_practitioner: true }],
      ['an email with a control character', { email: 'a\u0000b@clinic.test', name: 'X', role: 'practitioner', is_practitioner: true }],
      ['an unknown role', { email: 'x1@clinic.test', name: 'X', role: 'owner', is_practitioner: true }],
      ['no name', { email: 'x2@clinic.test', name: '  ', role: 'practitioner', is_practitioner: true }],
      ['no is_practitioner', { email: 'x3@clinic.test', name: 'X', role: 'practitioner' }],
      ['an unknown field', { email: 'x4@clinic.test', name: 'X', role: 'practitioner', is_practitioner: true, clinic_id: 1 }],
    ])('refuses %s with 400, creating nothing', async (_name, body) => {
      const before = await dbFingerprint(db());
      const res = await invite(adminA, body);
      expect(res).toMatchObject({ status: 400, body: { error: 'validation_error' } });
      expect(await dbFingerprint(db())).toEqual(before);
    });

    it('withdraws a pending invitation once (again: 200, nothing more); another clinic’s is 404; an accepted one is 409', async () => {
      const created = await invite(adminA, { email: 'withdraw-me@clinic.test', name: 'W', role: 'practitioner', is_practitioner: true });
      const id = created.body.id as number;
      expect((await withdraw(adminB, id)).status).toBe(404);
      expect(await withdraw(adminA, id)).toEqual({ status: 200, body: { message: 'Invitation withdrawn' } });
      expect((await withdraw(adminA, id)).status).toBe(200);
      expect(await audits('invitation.withdrawn', id)).toHaveLength(1);
      expect((await list(adminA)).body.invitations.map((i: { id: number }) => i.id)).not.toContain(id);
      // Withdrawn: signing in with that email makes nobody.
      expect(await acceptInvitationAtSignIn('withdraw-me@clinic.test')).toBeNull();

      const accepted = await invite(adminA, { email: 'accepted@clinic.test', name: 'A', role: 'practitioner', is_practitioner: true });
      expect(await acceptInvitationAtSignIn('accepted@clinic.test')).toMatchObject({ clinicId: a.clinic.id, name: 'A' });
      expect(await withdraw(adminA, accepted.body.id)).toEqual({
        status: 409,
        body: { error: 'conflict', message: expect.any(String), details: { reason: 'invitation_accepted' } },
      });
    });
  });

  describe('changing a member', () => {
    it('renames, makes an admin and back, audited with before and after; another clinic’s member is 404', async () => {
      const m = await makeUser(db(), { clinicId: a.clinic.id, name: 'Dr. Wang' });
      expect((await update(adminB, m.id, { name: 'Hijack' })).status).toBe(404);
      const res = await update(adminA, m.id, { name: 'Dr. Wang Da-ming', role: 'admin' });
      expect(res).toMatchObject({ status: 200, body: { id: m.id, name: 'Dr. Wang Da-ming', role: 'admin', is_practitioner: true, state: 'active' } });
      expect((await update(adminA, m.id, { role: 'practitioner' })).body.role).toBe('practitioner');
      const entries = await audits('member.updated', m.id);
      expect(entries.map((e) => e.details)).toEqual([
        {
          before: { name: 'Dr. Wang', role: 'practitioner', is_practitioner: true },
          after: { name: 'Dr. Wang Da-ming', role: 'admin', is_practitioner: true },
        },
        {
          before: { name: 'Dr. Wang Da-ming', role: 'admin', is_practitioner: true },
          after: { name: 'Dr. Wang Da-ming', role: 'practitioner', is_practitioner: true },
        },
      ]);
      expect(entries.every((e) => e.practitionerId === m.id)).toBe(true);
      // No change, no audit entry.
      expect((await update(adminA, m.id, { role: 'practitioner' })).status).toBe(200);
      expect(await audits('member.updated', m.id)).toHaveLength(2);
    });

    it('refuses an empty change, null values and unknown fields with 400', async () => {
      for (const body of [{}, { name: null }, { role: null }, { is_practitioner: 'yes' }, { email: 'x@y.test' }]) {
        expect((await update(adminA, a.colleague.id, body)).status, JSON.stringify(body)).toBe(400);
      }
    });

    it('the last active admin cannot demote themself (409, nothing changed); with a second admin they can', async () => {
      const c = await makeClinicWithStaff(db());
      const cookie = await cookieOf(c.admin);
      const before = await dbFingerprint(db());
      expect(await update(cookie, c.admin.id, { role: 'practitioner' })).toEqual({
        status: 409,
        body: { error: 'conflict', message: expect.stringContaining('admin'), details: { reason: 'last_admin' } },
      });
      expect(await dbFingerprint(db())).toEqual(before);
      // A deactivated admin does not count.
      await makeUser(db(), { clinicId: c.clinic.id, role: 'admin', deactivatedAt: new Date() });
      expect((await update(cookie, c.admin.id, { role: 'practitioner' })).status).toBe(409);
      await update(cookie, c.colleague.id, { role: 'admin' });
      expect((await update(cookie, c.admin.id, { role: 'practitioner' })).body.role).toBe('practitioner');
      // No longer an admin: the next admin request is refused.
      expect((await list(cookie)).status).toBe(403);
    });

    it('a practitioner with future confirmed appointments stays one (409 listing them); past and canceled ones do not count', async () => {
      const c = await makeClinicWithStaff(db());
      const cookie = await cookieOf(c.admin);
      const appt = (date: string, status?: 'canceled_by_clinic') =>
        makeAppointment(db(), {
          userId: c.practitioner.id,
          patientId: c.patient.id,
          appointmentTypeId: c.type.id,
          date,
          startTime: '10:00',
          endTime: '11:00',
          status,
        });
      await appt('2020-01-06');
      await appt('2031-05-06', 'canceled_by_clinic');
      expect((await update(cookie, c.colleague.id, { is_practitioner: false })).body.is_practitioner).toBe(false);
      const future = await appt('2031-05-07');
      const res = await update(cookie, c.practitioner.id, { is_practitioner: false });
      expect(res).toEqual({
        status: 409,
        body: {
          error: 'conflict',
          message: expect.any(String),
          details: {
            reason: 'future_appointments',
            affected_appointments: [{ calendar_event_id: future.id, date: '2031-05-07', time: '10:00-11:00', patient: '陳小姐' }],
          },
        },
      });
    });

    it('two admins demoting themselves at the same moment: one is demoted, the other is the last admin (409)', async () => {
      for (let round = 0; round < 3; round += 1) {
        const c = await makeClinicWithStaff(db());
        const second = await makeUser(db(), { clinicId: c.clinic.id, role: 'admin', name: 'Second Admin' });
        const [one, two] = [await cookieOf(c.admin), await cookieOf(second)];
        const answers = await whileAdminRowsLocked(c.clinic.id, 2, () =>
          Promise.all([update(one, c.admin.id, { role: 'practitioner' }), update(two, second.id, { role: 'practitioner' })]),
        );
        expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
        expect(answers.find((r) => r.status === 409)!.body.details).toEqual({ reason: 'last_admin' });
        expect(await activeAdmins(c.clinic.id)).toHaveLength(1);
      }
    });

    it('two admins demoting each other at the same moment: one stays admin, the other is refused as no admin any more', async () => {
      for (let round = 0; round < 3; round += 1) {
        const c = await makeClinicWithStaff(db());
        const second = await makeUser(db(), { clinicId: c.clinic.id, role: 'admin', name: 'Second Admin' });
        const [one, two] = [await cookieOf(c.admin), await cookieOf(second)];
        const answers = await whileAdminRowsLocked(c.clinic.id, 2, () =>
          Promise.all([update(one, second.id, { role: 'practitioner' }), update(two, c.admin.id, { role: 'practitioner' })]),
        );
        expect(answers.map((r) => r.status).sort()).toEqual([200, 403]);
        expect(await activeAdmins(c.clinic.id)).toHaveLength(1);
      }
    });
  });

  describe('deactivating and reactivating', () => {
    it('a deactivated member’s session answers 401, the agent no longer sees them, no slots; history stays; reactivating undoes it', async () => {
      const c = await makeClinicWithStaff(db());
      const cookie = await cookieOf(c.admin);
      const week = Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [['09:00', '12:00']]])) as Record<number, Array<[string, string]>>;
      await setWeek(db(), c.practitioner.id, week);
      await setWeek(db(), c.colleague.id, week);
      const past = await makeAppointment(db(), {
        userId: c.colleague.id,
        patientId: c.patient.id,
        appointmentTypeId: c.type.id,
        date: '2020-01-06',
        startTime: '09:00',
        endTime: '10:00',
      });
      const key = (await createAgentKey(db(), { clinicSlug: c.clinic.slug, name: 'agent' })).key;
      const linCookie = await cookieOf(c.colleague);
      const agent = {
        practitioners: () => callRoute(practitionersRoute, { path: '/api/clinic/practitioners', agentKey: key }),
        clinicSlots: () =>
          callRoute(clinicSlotsRoute, { path: `/api/clinic/availability/slots?date=2031-03-05&appointment_type_id=${c.type.id}`, agentKey: key }),
        slots: () =>
          callRoute(practitionerSlotsRoute, {
            path: `/api/clinic/practitioners/${c.colleague.id}/availability/slots?date=2031-03-05&appointment_type_id=${c.type.id}`,
            params: { user_id: String(c.colleague.id) },
            agentKey: key,
          }),
      };
      // Warm the clinic's cache first: deactivation must be seen through it.
      expect((await agent.practitioners()).body.map((p: { name: string }) => p.name)).toEqual(['Dr. Chen', 'Dr. Lin']);
      expect((await agent.clinicSlots()).body.practitioners.map((p: { id: number }) => p.id)).toEqual([c.practitioner.id, c.colleague.id]);
      expect((await agent.slots()).status).toBe(200);
      expect((await callRoute(practitionersRoute, { path: '/api/clinic/practitioners', cookie: linCookie })).status).toBe(200);

      const res = await deactivate(cookie, c.colleague.id);
      expect(res).toMatchObject({
        status: 200,
        body: { id: c.colleague.id, state: 'deactivated', deactivated_at: expect.any(String), canceled_appointments: [], kept_appointments: [] },
      });
      expect(await callRoute(practitionersRoute, { path: '/api/clinic/practitioners', cookie: linCookie })).toEqual({
        status: 401,
        body: { error: 'unauthorized', message: expect.any(String) },
      });
      expect((await agent.practitioners()).body.map((p: { name: string }) => p.name)).toEqual(['Dr. Chen']);
      expect((await agent.clinicSlots()).body.practitioners.map((p: { id: number }) => p.id)).toEqual([c.practitioner.id]);
      expect((await agent.slots()).status).toBe(404);
      // History stays: the row, its past appointment, and the audit entry.
      expect(await db().select({ id: calendarEvents.id }).from(calendarEvents).where(eq(calendarEvents.id, past.id))).toHaveLength(1);
      expect((await audits('member.deactivated', c.colleague.id)).map((e) => e.details)).toEqual([
        { name: 'Dr. Lin', future_appointments: 'none', canceled_appointments: [], kept_appointments: [] },
      ]);
      // Again: nothing more.
      expect((await deactivate(cookie, c.colleague.id)).status).toBe(200);
      expect(await audits('member.deactivated', c.colleague.id)).toHaveLength(1);

      expect(await reactivate(cookie, c.colleague.id)).toMatchObject({ status: 200, body: { state: 'active', deactivated_at: null } });
      expect((await callRoute(practitionersRoute, { path: '/api/clinic/practitioners', cookie: linCookie })).status).toBe(200);
      expect((await agent.practitioners()).body.map((p: { name: string }) => p.name)).toEqual(['Dr. Chen', 'Dr. Lin']);
      expect((await reactivate(cookie, c.colleague.id)).status).toBe(200);
      expect(await audits('member.reactivated', c.colleague.id)).toHaveLength(1);
    });

    it('an admin cannot deactivate themself; another clinic’s member is 404; a practitioner is 403', async () => {
      expect(await deactivate(adminA, a.admin.id)).toEqual({
        status: 409,
        body: { error: 'conflict', message: expect.any(String), details: { reason: 'self_deactivation' } },
      });
      expect((await deactivate(adminB, a.colleague.id)).status).toBe(404);
      expect((await deactivate(await cookieOf(a.practitioner), a.colleague.id)).status).toBe(403);
      expect((await reactivate(adminB, a.colleague.id)).status).toBe(404);
    });

    it('two admins deactivating each other at the same moment: exactly one is deactivated, one admin remains', async () => {
      const c = await makeClinicWithStaff(db());
      const second = await makeUser(db(), { clinicId: c.clinic.id, role: 'admin', name: 'Second Admin' });
      const answers = await whileAdminRowsLocked(c.clinic.id, 2, async () =>
        Promise.all([deactivate(await cookieOf(c.admin), second.id), deactivate(await cookieOf(second), c.admin.id)]),
      );
      expect(answers.map((r) => r.status).sort()).toEqual([200, 403]);
      expect(await activeAdmins(c.clinic.id)).toHaveLength(1);
    });

    describe('with future confirmed appointments', () => {
      let c: Cast;
      let cookie: string;
      let noLine: Awaited<ReturnType<typeof makePatient>>;
      beforeAll(async () => {
        c = await makeClinicWithStaff(db());
        cookie = await cookieOf(c.admin);
        noLine = await makePatient(db(), { clinicId: c.clinic.id, fullName: '王先生' });
      });

      /** A practitioner with two future appointments (one patient on LINE, one not, one with a Google copy), a past and a canceled one. */
      async function practitionerWithBookings(name: string) {
        const p = await makeUser(db(), { clinicId: c.clinic.id, name });
        const at = (date: string, start: string, patientId: number, status?: 'canceled_by_patient') =>
          makeAppointment(db(), {
            userId: p.id,
            patientId,
            appointmentTypeId: c.type.id,
            date,
            startTime: start,
            endTime: `${String(Number(start.slice(0, 2)) + 1).padStart(2, '0')}:00`,
            status,
          });
        const first = await at('2031-06-02', '09:00', c.patient.id);
        await db()
          .update(calendarEvents)
          .set({ gcalEventId: `gcal${first.id}`, gcalSyncStatus: 'synced' })
          .where(eq(calendarEvents.id, first.id));
        const second = await at('2031-06-03', '14:00', noLine.id);
        await at('2020-06-02', '09:00', c.patient.id);
        await at('2031-06-04', '09:00', c.patient.id, 'canceled_by_patient');
        return { p, first, second };
      }
      const jobsFor = async (ids: number[]) =>
        db()
          .select({ kind: outboxJobs.kind, payload: outboxJobs.payload })
          .from(outboxJobs)
          .where(
            inArray(
              sql`(${outboxJobs.payload}->>'calendar_event_id')::int`,
              ids.map((id) => id),
            ),
          );
      const statuses = async (ids: number[]) =>
        (
          await db()
            .select({ id: appointments.calendarEventId, status: appointments.status })
            .from(appointments)
            .where(inArray(appointments.calendarEventId, ids))
        )
          .sort((x, y) => x.id - y.id)
          .map((r) => r.status);

      it('without a choice: the 409 warning lists them (future confirmed only), and nothing changes', async () => {
        const { p, first, second } = await practitionerWithBookings('Dr. Warned');
        const before = await dbFingerprint(db());
        const res = await deactivate(cookie, p.id);
        expect(res).toEqual({
          status: 409,
          body: {
            warning: 'member_has_future_appointments',
            message: expect.stringContaining('Dr. Warned'),
            details: {
              affected_appointments: [
                { calendar_event_id: first.id, date: '2031-06-02', time: '09:00-10:00', patient: '陳小姐' },
                { calendar_event_id: second.id, date: '2031-06-03', time: '14:00-15:00', patient: '王先生' },
              ],
            },
          },
        });
        expect(await dbFingerprint(db())).toEqual(before);
      });

      it('"keep": deactivated, the appointments stay confirmed, nothing is sent', async () => {
        const { p, first, second } = await practitionerWithBookings('Dr. Keep');
        const res = await deactivate(cookie, p.id, { future_appointments: 'keep' });
        expect(res.body).toMatchObject({ state: 'deactivated', canceled_appointments: [], kept_appointments: [first.id, second.id] });
        expect(await statuses([first.id, second.id])).toEqual(['confirmed', 'confirmed']);
        expect(await jobsFor([first.id, second.id])).toEqual([]);
        expect((await audits('member.deactivated', p.id))[0]!.details).toMatchObject({
          future_appointments: 'keep',
          kept_appointments: [first.id, second.id],
        });
      });

      it('"cancel": each becomes canceled_by_clinic with exactly one LINE message (patients on LINE) and its Google removal, in one go', async () => {
        const { p, first, second } = await practitionerWithBookings('Dr. Cancel');
        const res = await deactivate(cookie, p.id, { future_appointments: 'cancel' });
        expect(res.body).toMatchObject({ state: 'deactivated', canceled_appointments: [first.id, second.id], kept_appointments: [] });
        expect(await statuses([first.id, second.id])).toEqual(['canceled_by_clinic', 'canceled_by_clinic']);
        const jobs = await jobsFor([first.id, second.id]);
        const line = jobs.filter((j) => j.kind === 'line.push');
        expect(line).toHaveLength(1);
        expect(line[0]!.payload).toMatchObject({ reason: 'appointment_canceled', calendar_event_id: first.id, to: c.patient.lineUserId });
        expect(jobs.filter((j) => j.kind === 'google.delete_event').map((j) => j.payload.calendar_event_id)).toEqual([first.id]);
        const cancellations = await db()
          .select({ entityId: auditLog.entityId, details: auditLog.details })
          .from(auditLog)
          .where(and(eq(auditLog.action, 'appointment.canceled_by_clinic'), inArray(auditLog.entityId, [String(first.id), String(second.id)])));
        expect(cancellations.map((e) => (e.details as { source: string }).source)).toEqual(['member_deactivated', 'member_deactivated']);
        // Once: deactivating again, or cancelling again, sends nothing more.
        await deactivate(cookie, p.id, { future_appointments: 'cancel' });
        expect(await jobsFor([first.id, second.id])).toHaveLength(jobs.length);
      });

      it('the deactivated member’s appointments are not offered as theirs again; reactivated, kept ones are theirs again', async () => {
        const { p, first } = await practitionerWithBookings('Dr. Back');
        await deactivate(cookie, p.id, { future_appointments: 'keep' });
        await reactivate(cookie, p.id);
        expect(await statuses([first.id])).toEqual(['confirmed']);
        const [row] = await db().select({ deactivatedAt: users.deactivatedAt }).from(users).where(eq(users.id, p.id));
        expect(row!.deactivatedAt).toBeNull();
      });
    });
  });

  // ---- concurrency helpers ----------------------------------------------------------------------

  async function activeAdmins(clinicId: number) {
    return db()
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.clinicId, clinicId), eq(users.role, 'admin'), sql`${users.deactivatedAt} IS NULL`));
  }

  /**
   * Runs `work` while another connection holds the clinic's admin rows, and lets go only once
   * `waiting` requests queue behind that lock: the requests truly overlap, whatever the machine's speed.
   */
  async function whileAdminRowsLocked<T>(clinicId: number, waiting: number, work: () => Promise<T>): Promise<T> {
    const blocker = new pg.Client({ connectionString: t.url() });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`SELECT id FROM users WHERE clinic_id = $1 AND role = 'admin' AND deactivated_at IS NULL ORDER BY id FOR UPDATE`, [
        clinicId,
      ]);
      const running = work();
      for (;;) {
        // pg_stat_activity is read once per transaction unless its snapshot is cleared.
        await blocker.query('SELECT pg_stat_clear_snapshot()');
        const { rows } = await blocker.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
        );
        if (rows[0]!.n >= waiting) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await blocker.query('COMMIT');
      return await running;
    } finally {
      await blocker.end();
    }
  }
});
