import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { PUT as attendanceRoute } from '@/app/api/clinic/practitioners/[user_id]/appointments/[calendar_event_id]/attendance/route';
import { GET as calendarRoute } from '@/app/api/clinic/practitioners/[user_id]/availability/calendar/route';
import type { Caller } from '@/lib/auth/caller';
import { getDb, type Db } from '@/lib/db/client';
import { appointments, auditLog } from '@/lib/db/schema';
import { dayView } from '@/lib/schemas/responses';
import { createAgentKey } from '@/lib/services/agent-keys';
import { markAttendance } from '@/lib/services/attendance';
import { fixedClock } from '@/lib/time/clock';
import { dbFingerprint } from '../support/db-fingerprint';
import { useDriver } from '../support/drivers';
import { makeAppointment, makeClinicWithStaff } from '../support/factories';
import { callRoute, sessionCookie, staffCookies } from '../support/http';

// Issue 14, item 5: once an appointment has started, staff mark it arrived or no_show, kept apart
// from its status (a no-show stays a confirmed booking that happened); the day view shows it.

const PAST = '2020-03-06';

for (const driver of ['postgres', 'pglite'] as const) {
  describe(`attendance on ${driver}`, () => {
    useDriver(driver);
    let db: Db;
    let a: Awaited<ReturnType<typeof makeClinicWithStaff>>;
    let b: Awaited<ReturnType<typeof makeClinicWithStaff>>;
    let cookies: { own: string; colleague: string; admin: string };
    let otherAdmin: string;
    let agentKey: string;
    let hour = 8;

    beforeAll(async () => {
      db = await getDb();
      a = await makeClinicWithStaff(db);
      b = await makeClinicWithStaff(db);
      cookies = await staffCookies(a);
      otherAdmin = await sessionCookie({ id: b.admin.id, clinicId: b.clinic.id, role: 'admin' });
      agentKey = (await createAgentKey(db, { clinicSlug: a.clinic.slug, name: 'attendance test' })).key;
    });

    /** A fresh appointment of clinic A's practitioner (an hour of its own). */
    const appointment = async (values: { date?: string; userId?: number; status?: 'confirmed' | 'canceled_by_clinic' } = {}) => {
      hour += 1;
      const h = (n: number) => `${String(n % 24).padStart(2, '0')}:00`;
      return makeAppointment(db, {
        userId: values.userId ?? a.practitioner.id,
        patientId: a.patient.id,
        appointmentTypeId: a.type.id,
        date: values.date ?? PAST,
        startTime: h(hour),
        endTime: h(hour + 1) === '00:00' ? '23:59' : h(hour + 1),
        status: values.status,
      });
    };
    const mark = (eventId: number, attendance: unknown, auth: { cookie?: string; agentKey?: string }, practitionerId = a.practitioner.id) =>
      callRoute(attendanceRoute, {
        method: 'PUT',
        path: `/api/clinic/practitioners/${practitionerId}/appointments/${eventId}/attendance`,
        params: { user_id: String(practitionerId), calendar_event_id: String(eventId) },
        body: { attendance },
        ...auth,
      });
    const row = async (eventId: number) =>
      (
        await db
          .select({ status: appointments.status, attendance: appointments.attendance })
          .from(appointments)
          .where(eq(appointments.calendarEventId, eventId))
      )[0]!;
    const audits = (eventId: number) =>
      db
        .select({ action: auditLog.action, details: auditLog.details, practitionerId: auditLog.practitionerId, patientId: auditLog.patientId })
        .from(auditLog)
        .where(and(eq(auditLog.entityType, 'appointment'), eq(auditLog.entityId, String(eventId))));

    it('the practitioner marks a started appointment arrived: status stays confirmed, one audit entry with before and after', async () => {
      const event = await appointment();
      const res = await mark(event.id, 'arrived', { cookie: cookies.own });
      expect(res).toEqual({
        status: 200,
        body: {
          calendar_event_id: event.id,
          practitioner_id: a.practitioner.id,
          patient_id: a.patient.id,
          status: 'confirmed',
          attendance: 'arrived',
        },
      });
      expect(await row(event.id)).toEqual({ status: 'confirmed', attendance: 'arrived' });
      expect(await audits(event.id)).toEqual([
        {
          action: 'appointment.attendance_marked',
          details: expect.objectContaining({ before: null, after: 'arrived', practitioner_id: a.practitioner.id, patient_id: a.patient.id }),
          practitionerId: a.practitioner.id,
          patientId: a.patient.id,
        },
      ]);
    });

    it('an admin marks a no-show: it stays a confirmed booking, and the day view shows it with its attendance', async () => {
      const event = await appointment();
      const res = await mark(event.id, 'no_show', { cookie: cookies.admin });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'confirmed', attendance: 'no_show' });
      expect(await row(event.id)).toEqual({ status: 'confirmed', attendance: 'no_show' });

      const day = await callRoute(calendarRoute, {
        path: `/api/clinic/practitioners/${a.practitioner.id}/availability/calendar?date=${PAST}`,
        params: { user_id: String(a.practitioner.id) },
        cookie: cookies.own,
      });
      expect(day.status).toBe(200);
      expect(dayView.safeParse(day.body).error ?? null).toBeNull();
      const shown = day.body.events.find((e: { calendar_event_id: number }) => e.calendar_event_id === event.id);
      expect(shown).toMatchObject({ type: 'appointment', status: 'confirmed', attendance: 'no_show' });
      const unmarked = await appointment();
      const again = await callRoute(calendarRoute, {
        path: `/api/clinic/practitioners/${a.practitioner.id}/availability/calendar?date=${PAST}`,
        params: { user_id: String(a.practitioner.id) },
        cookie: cookies.colleague,
      });
      expect(again.body.events.find((e: { calendar_event_id: number }) => e.calendar_event_id === unmarked.id).attendance).toBeNull();
    });

    it('null clears a mark; the same mark again changes nothing and is not audited twice', async () => {
      const event = await appointment();
      expect((await mark(event.id, 'arrived', { cookie: cookies.own })).status).toBe(200);
      expect((await mark(event.id, 'arrived', { cookie: cookies.own })).body.attendance).toBe('arrived');
      expect(await audits(event.id)).toHaveLength(1);
      const cleared = await mark(event.id, null, { cookie: cookies.own });
      expect(cleared).toMatchObject({ status: 200, body: { attendance: null, status: 'confirmed' } });
      expect(await row(event.id)).toEqual({ status: 'confirmed', attendance: null });
      expect((await audits(event.id)).map((e) => [e.details.before, e.details.after])).toEqual([
        [null, 'arrived'],
        ['arrived', null],
      ]);
    });

    it.each([
      ['a colleague', () => ({ cookie: cookies.colleague }), 403, 'forbidden'],
      ['the agent', () => ({ agentKey }), 403, 'forbidden'],
      ["another clinic's admin", () => ({ cookie: otherAdmin }), 404, 'not_found'],
      ['nobody signed in', () => ({}), 401, 'unauthorized'],
    ])('%s is refused and nothing changes', async (_who, auth, status, error) => {
      const event = await appointment();
      const before = await dbFingerprint(db);
      const res = await mark(event.id, 'no_show', auth());
      expect(res).toEqual({ status, body: { error, message: expect.any(String) } });
      expect(await dbFingerprint(db)).toEqual(before);
    });

    it('the service refuses the agent on its own, before any lookup', async () => {
      const agent: Caller = { kind: 'agent', clinicId: a.clinic.id, agentKeyId: 1 };
      const event = await appointment();
      await expect(
        markAttendance(db, agent, { practitionerId: a.practitioner.id, calendarEventId: event.id, attendance: 'arrived' }),
      ).rejects.toMatchObject({
        code: 'forbidden',
      });
    });

    it.each([
      ['an appointment that has not started', () => appointment({ date: '2031-03-05' }), 409, 'conflict'],
      ['a canceled appointment', () => appointment({ status: 'canceled_by_clinic' }), 409, 'conflict'],
      ["another practitioner's appointment under this practitioner's path", () => appointment({ userId: a.colleague.id }), 404, 'not_found'],
    ])('%s is refused and nothing changes', async (_what, make, status, error) => {
      const event = await make();
      const before = await dbFingerprint(db);
      const res = await mark(event.id, 'arrived', { cookie: cookies.admin });
      expect(res).toEqual({ status, body: { error, message: expect.any(String) } });
      expect(await dbFingerprint(db)).toEqual(before);
    });

    it('says why an appointment ahead cannot be marked', async () => {
      const event = await appointment({ date: '2031-03-05' });
      const res = await mark(event.id, 'no_show', { cookie: cookies.own });
      expect(res.body.message).toMatch(/has not started yet \(2031-03-05 \d{2}:00, clinic time\)/);
    });

    it.each([
      ['an unknown value', { attendance: 'late' }],
      ['no attendance', {}],
      ['an extra field', { attendance: 'arrived', status: 'canceled_by_clinic' }],
    ])('%s is a 400 and changes nothing', async (_what, body) => {
      const event = await appointment();
      const before = await dbFingerprint(db);
      const res = await callRoute(attendanceRoute, {
        method: 'PUT',
        path: `/api/clinic/practitioners/${a.practitioner.id}/appointments/${event.id}/attendance`,
        params: { user_id: String(a.practitioner.id), calendar_event_id: String(event.id) },
        body,
        cookie: cookies.own,
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('validation_error');
      expect(await dbFingerprint(db)).toEqual(before);
    });

    it('"started" is the clinic\'s clock: a minute before the start is 409, at the start it is marked', async () => {
      const staff: Caller = {
        kind: 'user',
        clinicId: a.clinic.id,
        userId: a.practitioner.id,
        role: 'practitioner',
        isPractitioner: true,
        name: 'Dr. Chen',
      };
      const event = await makeAppointment(db, {
        userId: a.practitioner.id,
        patientId: a.patient.id,
        appointmentTypeId: a.type.id,
        date: '2030-06-03',
        startTime: '10:00',
        endTime: '11:00',
      });
      const input = { practitionerId: a.practitioner.id, calendarEventId: event.id, attendance: 'arrived' as const };
      // Asia/Taipei is UTC+8: 10:00 there is 02:00Z.
      await expect(markAttendance(db, staff, { ...input, clock: fixedClock('2030-06-03T01:59:00Z') })).rejects.toMatchObject({ code: 'conflict' });
      expect(await row(event.id)).toEqual({ status: 'confirmed', attendance: null });
      expect(await markAttendance(db, staff, { ...input, clock: fixedClock('2030-06-03T02:00:00Z') })).toMatchObject({ attendance: 'arrived' });
    });
  });
}
