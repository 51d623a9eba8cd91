import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { POST as inviteRoute } from '@/app/api/clinic/admin/invitations/route';
import { POST as deactivateRoute } from '@/app/api/clinic/admin/members/[user_id]/deactivate/route';
import { POST as reactivateRoute } from '@/app/api/clinic/admin/members/[user_id]/reactivate/route';
import { PATCH as updateRoute } from '@/app/api/clinic/admin/members/[user_id]/route';
import { GET as listRoute } from '@/app/api/clinic/admin/members/route';
import { acceptInvitationAtSignIn } from '@/lib/auth/invitations';
import { getDb, type Db } from '@/lib/db/client';
import { appointments, outboxJobs } from '@/lib/db/schema';
import { useDriver } from '../support/drivers';
import { makeAppointment, makeClinicWithStaff } from '../support/factories';
import { callRoute, sessionCookie } from '../support/http';

// The members' whole round on each driver the app runs on: the embedded PGlite of `npm run dev`
// included (row locks FOR NO KEY UPDATE, the conditional UPDATE of an invitation, the cancellations).

for (const driver of ['postgres', 'pglite'] as const) {
  describe(`members and invitations on ${driver}`, () => {
    useDriver(driver);
    let db: Db;
    let c: Awaited<ReturnType<typeof makeClinicWithStaff>>;
    let cookie: string;

    beforeAll(async () => {
      db = await getDb();
      c = await makeClinicWithStaff(db);
      cookie = await sessionCookie({ id: c.admin.id, clinicId: c.clinic.id, role: 'admin' });
    });

    it('invite → sign in → member; change role; last admin kept; deactivate cancelling with one LINE job; reactivate', async () => {
      const invited = await callRoute(inviteRoute, {
        method: 'POST',
        path: '/api/clinic/admin/invitations',
        cookie,
        body: { email: `new-${driver}@clinic.test`, name: 'Dr. New', role: 'practitioner', is_practitioner: true },
      });
      expect(invited.status).toBe(201);
      const member = await acceptInvitationAtSignIn(`new-${driver}@clinic.test`);
      expect(member).toMatchObject({ clinicId: c.clinic.id, name: 'Dr. New', role: 'practitioner', isPractitioner: true });

      const path = (id: number, tail = '') => ({ path: `/api/clinic/admin/members/${id}${tail}`, params: { user_id: String(id) }, cookie });
      expect((await callRoute(updateRoute, { method: 'PATCH', ...path(member!.id), body: { role: 'admin' } })).body.role).toBe('admin');
      expect((await callRoute(updateRoute, { method: 'PATCH', ...path(member!.id), body: { role: 'practitioner' } })).body.role).toBe('practitioner');
      expect((await callRoute(updateRoute, { method: 'PATCH', ...path(c.admin.id), body: { role: 'practitioner' } })).status).toBe(409);

      const booked = await makeAppointment(db, {
        userId: member!.id,
        patientId: c.patient.id,
        appointmentTypeId: c.type.id,
        date: '2031-08-05',
        startTime: '10:00',
        endTime: '11:00',
      });
      const warned = await callRoute(deactivateRoute, { method: 'POST', ...path(member!.id, '/deactivate'), body: {} });
      expect(warned.status).toBe(409);
      expect(warned.body.warning).toBe('member_has_future_appointments');
      const done = await callRoute(deactivateRoute, { method: 'POST', ...path(member!.id, '/deactivate'), body: { future_appointments: 'cancel' } });
      expect(done.body).toMatchObject({ state: 'deactivated', canceled_appointments: [booked.id] });
      const [row] = await db.select({ status: appointments.status }).from(appointments).where(eq(appointments.calendarEventId, booked.id));
      expect(row!.status).toBe('canceled_by_clinic');
      const jobs = (await db.select({ kind: outboxJobs.kind, payload: outboxJobs.payload }).from(outboxJobs)).filter(
        (j) => j.kind === 'line.push' && j.payload.calendar_event_id === booked.id,
      );
      expect(jobs).toHaveLength(1);

      expect((await callRoute(reactivateRoute, { method: 'POST', ...path(member!.id, '/reactivate') })).body.state).toBe('active');
      const list = await callRoute(listRoute, { path: '/api/clinic/admin/members', cookie });
      expect(list.body.members.map((m: { name: string; state: string }) => `${m.name}:${m.state}`)).toEqual([
        'Admin:active',
        'Dr. Chen:active',
        'Dr. Lin:active',
        'Dr. New:active',
      ]);
      expect(list.body.invitations).toEqual([]);
    });
  });
}
