import { and, desc, eq, gt } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GET as getWeek } from '@/app/api/clinic/practitioners/[user_id]/availability/default/route';
import { POST as copyPOST } from '@/app/api/clinic/practitioners/[user_id]/availability/default/copy/route';
import { POST as clearPOST } from '@/app/api/clinic/practitioners/[user_id]/availability/exceptions/clear/route';
import { GET as activityGET } from '@/app/api/clinic/admin/activity/route';
import { auditLog, availabilityExceptions, calendarEvents, practitionerAvailability } from '@/lib/db/schema';
import { createAgentKey } from '@/lib/services/agent-keys';
import { dbFingerprint } from '../support/db-fingerprint';
import { useTestDatabase } from '../support/db';
import { makeAppointment, makeClinicWithStaff, makeException, makeUser, setWeek } from '../support/factories';
import { callRoute, sessionCookie, staffCookies, type CallOptions } from '../support/http';

// The design's bulk operations as routes (issue 16 item 4): clearing exceptions in a date range and
// copying a colleague's weekly hours. Dates far ahead, so "future" does not depend on today.
const EMPTY = { monday: [], tuesday: [], wednesday: [], thursday: [], friday: [], saturday: [], sunday: [] };
const MONDAY = '2031-01-06';
const TUESDAY = '2031-01-07';

describe('bulk schedule routes', () => {
  const t = useTestDatabase();
  let a: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let b: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let cookies: { own: string; colleague: string; admin: string };
  let otherAdmin: string;
  let agentKey: string;

  beforeAll(async () => {
    a = await makeClinicWithStaff(t.db());
    b = await makeClinicWithStaff(t.db());
    cookies = await staffCookies(a);
    otherAdmin = await sessionCookie({ id: b.admin.id, clinicId: b.clinic.id, role: 'admin' });
    agentKey = (await createAgentKey(t.db(), { clinicSlug: a.clinic.slug, name: 'agent' })).key;
  });

  const weekRows = (userId: number) =>
    t.db().select().from(practitionerAvailability).where(eq(practitionerAvailability.userId, userId)).orderBy(practitionerAvailability.id);
  // Entries written since this test began (the file shares one database).
  let mark = 0;
  beforeEach(async () => {
    const [last] = await t.db().select({ id: auditLog.id }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    mark = last?.id ?? 0;
  });
  const auditOf = (action: string) =>
    t
      .db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), gt(auditLog.id, mark)));

  describe('POST …/availability/default/copy', () => {
    const copy = (body: unknown, opts: Partial<CallOptions> & { id?: number; query?: string } = {}) => {
      const id = opts.id ?? a.practitioner.id;
      return callRoute(copyPOST, {
        method: 'POST',
        path: `/api/clinic/practitioners/${id}/availability/default/copy${opts.query ?? ''}`,
        params: { user_id: String(id) },
        body,
        cookie: opts.cookie ?? (opts.agentKey ? undefined : cookies.own),
        agentKey: opts.agentKey,
        headers: opts.headers,
      });
    };

    beforeEach(async () => {
      await t.db().delete(practitionerAvailability).where(eq(practitionerAvailability.userId, a.practitioner.id));
      await t.db().delete(practitionerAvailability).where(eq(practitionerAvailability.userId, a.colleague.id));
      await t.db().delete(calendarEvents).where(eq(calendarEvents.userId, a.practitioner.id));
      // Dr. Chen (the target) works Monday and Tuesday all day; Dr. Lin (the source) Monday mornings and Friday.
      await setWeek(t.db(), a.practitioner.id, { 1: [['09:00', '18:00']], 2: [['09:00', '18:00']] });
      await setWeek(t.db(), a.colleague.id, {
        1: [
          ['14:00', '18:00'],
          ['09:00', '12:00'],
        ],
        5: [['10:00', '16:00']],
      });
    });

    const LIN_WEEK = {
      ...EMPTY,
      monday: [
        { start_time: '09:00', end_time: '12:00' },
        { start_time: '14:00', end_time: '18:00' },
      ],
      friday: [{ start_time: '10:00', end_time: '16:00' }],
    };

    it("replaces the practitioner's week with the colleague's, answers the new week and audits the copy", async () => {
      const res = await copy({ from_practitioner_id: a.colleague.id });
      expect(res).toEqual({ status: 200, body: LIN_WEEK });
      const read = await callRoute(getWeek, {
        path: `/api/clinic/practitioners/${a.practitioner.id}/availability/default`,
        params: { user_id: String(a.practitioner.id) },
        cookie: cookies.own,
      });
      expect(read.body).toEqual(LIN_WEEK);
      // The source keeps its week.
      expect((await weekRows(a.colleague.id)).length).toBe(3);
      const [audit] = await auditOf('weekly_schedule.copied');
      expect(audit).toMatchObject({
        actorUserId: a.practitioner.id,
        practitionerId: a.practitioner.id,
        details: { from_practitioner_id: a.colleague.id, from_practitioner_name: 'Dr. Lin', after: LIN_WEEK },
      });
      expect((audit!.details as { before: { tuesday: unknown[] } }).before.tuesday).toEqual([{ start_time: '09:00', end_time: '18:00' }]);
      // The activity log reads it as a sentence, in English and in zh-TW, linking to the settings.
      for (const [language, summary] of [
        ['en', "Copied Dr. Lin's weekly working hours to Dr. Chen"],
        ['zh-TW', '將 Dr. Lin 的每週看診時段複製給 Dr. Chen'],
      ] as const) {
        const page = await callRoute(activityGET, {
          path: '/api/clinic/admin/activity?kind=availability',
          cookie: cookies.admin,
          headers: { 'accept-language': language },
        });
        expect(page.body.entries.find((e: { action: string }) => e.action === 'weekly_schedule.copied')).toMatchObject({ summary });
      }
    });

    it('warns (409, nothing saved) about future appointments the copied hours leave outside; ?confirm=true saves and keeps them', async () => {
      // Tuesday has no hours in Dr. Lin's week; Monday 12:00-13:00 falls in his lunch gap.
      const tuesday = await makeAppointment(t.db(), {
        userId: a.practitioner.id,
        patientId: a.patient.id,
        appointmentTypeId: a.type.id,
        date: TUESDAY,
        startTime: '10:00',
        endTime: '11:00',
      });
      const lunch = await makeAppointment(t.db(), {
        userId: a.practitioner.id,
        patientId: a.patient.id,
        appointmentTypeId: a.type.id,
        date: MONDAY,
        startTime: '12:00',
        endTime: '13:00',
      });
      const inside = await makeAppointment(t.db(), {
        userId: a.practitioner.id,
        patientId: a.patient.id,
        appointmentTypeId: a.type.id,
        date: MONDAY,
        startTime: '09:00',
        endTime: '10:00',
      });
      const before = await weekRows(a.practitioner.id);
      const res = await copy({ from_practitioner_id: a.colleague.id });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({
        warning: 'appointments_outside_hours',
        message: expect.any(String),
        details: {
          affected_appointments: [
            { calendar_event_id: lunch.id, date: MONDAY, time: '12:00-13:00', patient: expect.any(String) },
            { calendar_event_id: tuesday.id, date: TUESDAY, time: '10:00-11:00', patient: expect.any(String) },
          ],
        },
      });
      expect(res.body.details.affected_appointments.map((x: { calendar_event_id: number }) => x.calendar_event_id)).not.toContain(inside.id);
      expect(await weekRows(a.practitioner.id)).toEqual(before);
      expect(await auditOf('weekly_schedule.copied')).toEqual([]);

      const confirmed = await copy({ from_practitioner_id: a.colleague.id }, { query: '?confirm=true' });
      expect(confirmed).toEqual({ status: 200, body: LIN_WEEK });
      const [audit] = await auditOf('weekly_schedule.copied');
      expect((audit!.details as { confirmed_outside_hours: number[] }).confirmed_outside_hours.sort()).toEqual([tuesday.id, lunch.id].sort());
    });

    it('lets an admin copy onto anyone; a practitioner only onto themself (403 onto a colleague); the agent never (403)', async () => {
      expect((await copy({ from_practitioner_id: a.practitioner.id }, { id: a.colleague.id, cookie: cookies.admin })).status).toBe(200);
      expect((await weekRows(a.colleague.id)).map((r) => [r.dayOfWeek, r.startTime, r.endTime])).toEqual([
        [1, '09:00:00', '18:00:00'],
        [2, '09:00:00', '18:00:00'],
      ]);
      const before = await dbFingerprint(t.db());
      expect(await copy({ from_practitioner_id: a.practitioner.id }, { id: a.colleague.id, cookie: cookies.own })).toEqual({
        status: 403,
        body: { error: 'forbidden', message: expect.any(String) },
      });
      expect(await copy({ from_practitioner_id: a.colleague.id }, { agentKey })).toEqual({
        status: 403,
        body: { error: 'forbidden', message: expect.any(String) },
      });
      expect(await dbFingerprint(t.db())).toEqual(before);
    });

    it.each([
      ['another clinic’s practitioner as the source', () => ({ from_practitioner_id: b.practitioner.id }), 404, 'not_found'],
      ['an unknown source', () => ({ from_practitioner_id: 2_000_000_000 }), 404, 'not_found'],
      ['the practitioner themself as the source', () => ({ from_practitioner_id: a.practitioner.id }), 400, 'validation_error'],
      ['a source given as text', () => ({ from_practitioner_id: String(a.colleague.id) }), 400, 'validation_error'],
      ['no source', () => ({}), 400, 'validation_error'],
      ['an unknown field', () => ({ from_practitioner_id: a.colleague.id, week: 'all' }), 400, 'validation_error'],
    ])('refuses %s (%i %s) and changes nothing', async (_name, body, status, code) => {
      const before = await dbFingerprint(t.db());
      const res = await copy(body());
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ error: code, message: expect.any(String) });
      expect(await dbFingerprint(t.db())).toEqual(before);
    });

    it("refuses a deactivated colleague as the source (404) and another clinic's admin (404)", async () => {
      const gone = await makeUser(t.db(), { clinicId: a.clinic.id, name: 'Dr. Gone', deactivatedAt: new Date() });
      expect((await copy({ from_practitioner_id: gone.id })).status).toBe(404);
      expect((await copy({ from_practitioner_id: b.practitioner.id }, { cookie: otherAdmin })).status).toBe(404);
    });

    it('honours Idempotency-Key: a repeat returns the first answer and writes nothing more; another body is 409', async () => {
      const headers = { 'idempotency-key': 'copy-1' };
      const first = await copy({ from_practitioner_id: a.colleague.id }, { headers });
      expect(first).toEqual({ status: 200, body: LIN_WEEK });
      // Dr. Chen changes his week meanwhile; the repeat answers the first answer and does not copy again.
      await t.db().delete(practitionerAvailability).where(eq(practitionerAvailability.userId, a.practitioner.id));
      expect(await copy({ from_practitioner_id: a.colleague.id }, { headers })).toEqual(first);
      expect(await weekRows(a.practitioner.id)).toEqual([]);
      expect(await auditOf('weekly_schedule.copied')).toHaveLength(1);
      const other = await copy({ from_practitioner_id: a.admin.id }, { headers });
      expect(other).toMatchObject({ status: 409, body: { error: 'idempotency_conflict' } });
    });
  });

  describe('POST …/availability/exceptions/clear', () => {
    const clear = (body: unknown, opts: Partial<CallOptions> & { id?: number } = {}) => {
      const id = opts.id ?? a.practitioner.id;
      return callRoute(clearPOST, {
        method: 'POST',
        path: `/api/clinic/practitioners/${id}/availability/exceptions/clear`,
        params: { user_id: String(id) },
        body,
        cookie: opts.cookie ?? (opts.agentKey ? undefined : cookies.own),
        agentKey: opts.agentKey,
        headers: opts.headers,
      });
    };
    const exceptionDates = async (userId: number) =>
      (
        await t
          .db()
          .select({ date: calendarEvents.date })
          .from(calendarEvents)
          .innerJoin(availabilityExceptions, eq(availabilityExceptions.calendarEventId, calendarEvents.id))
          .where(and(eq(calendarEvents.userId, userId), eq(calendarEvents.eventType, 'availability_exception')))
          .orderBy(calendarEvents.date)
      ).map((r) => r.date);

    beforeEach(async () => {
      await t.db().delete(calendarEvents).where(eq(calendarEvents.userId, a.practitioner.id));
      await t.db().delete(calendarEvents).where(eq(calendarEvents.userId, a.colleague.id));
      for (const date of ['2031-02-02', '2031-02-03', '2031-02-10', '2031-02-11']) {
        await makeException(t.db(), { userId: a.practitioner.id, date, startTime: '14:00', endTime: '18:00' });
      }
      await makeException(t.db(), { userId: a.practitioner.id, date: '2031-02-05' });
      await makeException(t.db(), { userId: a.colleague.id, date: '2031-02-05' });
    });

    it('deletes every exception of the practitioner in the range (ends included, all-day too) and answers how many', async () => {
      const appointment = await makeAppointment(t.db(), {
        userId: a.practitioner.id,
        patientId: a.patient.id,
        appointmentTypeId: a.type.id,
        date: '2031-02-04',
        startTime: '10:00',
        endTime: '11:00',
      });
      expect(await clear({ from: '2031-02-03', to: '2031-02-10' })).toEqual({ status: 200, body: { deleted: 3 } });
      expect(await exceptionDates(a.practitioner.id)).toEqual(['2031-02-02', '2031-02-11']);
      // A colleague's exceptions and the practitioner's appointments stay.
      expect(await exceptionDates(a.colleague.id)).toEqual(['2031-02-05']);
      expect(await t.db().select().from(calendarEvents).where(eq(calendarEvents.id, appointment.id))).toHaveLength(1);
      const [audit] = await auditOf('availability_exception.cleared');
      expect(audit).toMatchObject({ practitionerId: a.practitioner.id, details: { from: '2031-02-03', to: '2031-02-10' } });
      expect(await clear({ from: '2031-02-03', to: '2031-02-10' })).toEqual({ status: 200, body: { deleted: 0 } });
    });

    it('lets an admin clear anyone’s; a colleague and the agent get 403, another clinic’s admin 404, and nothing changes', async () => {
      const before = await dbFingerprint(t.db());
      expect(await clear({ from: '2031-02-01', to: '2031-02-28' }, { cookie: cookies.colleague })).toEqual({
        status: 403,
        body: { error: 'forbidden', message: expect.any(String) },
      });
      expect(await clear({ from: '2031-02-01', to: '2031-02-28' }, { agentKey })).toEqual({
        status: 403,
        body: { error: 'forbidden', message: expect.any(String) },
      });
      expect((await clear({ from: '2031-02-01', to: '2031-02-28' }, { cookie: otherAdmin })).status).toBe(404);
      expect(await dbFingerprint(t.db())).toEqual(before);
      expect(await clear({ from: '2031-02-01', to: '2031-02-28' }, { cookie: cookies.admin })).toEqual({ status: 200, body: { deleted: 5 } });
    });

    it.each([
      ['a range that ends before it starts', 'invalid_time_range', { from: '2031-02-10', to: '2031-02-03' }],
      ['more than a year', 'validation_error', { from: '2031-01-01', to: '2032-06-01' }],
      ['a date that does not exist', 'validation_error', { from: '2031-02-30', to: '2031-03-01' }],
      ['a missing end', 'validation_error', { from: '2031-02-01' }],
      ['an unknown field', 'validation_error', { from: '2031-02-01', to: '2031-02-28', all: true }],
    ])('refuses %s (400 %s) and deletes nothing', async (_name, code, body) => {
      const before = await dbFingerprint(t.db());
      const res = await clear(body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: code, message: expect.any(String) });
      expect(await dbFingerprint(t.db())).toEqual(before);
    });

    it('honours Idempotency-Key: a repeat returns the first count; another range with the key is 409', async () => {
      const headers = { 'idempotency-key': 'clear-1' };
      expect(await clear({ from: '2031-02-01', to: '2031-02-05' }, { headers })).toEqual({ status: 200, body: { deleted: 3 } });
      expect(await clear({ from: '2031-02-01', to: '2031-02-05' }, { headers })).toEqual({ status: 200, body: { deleted: 3 } });
      expect(await auditOf('availability_exception.cleared')).toHaveLength(1);
      expect(await clear({ from: '2031-02-01', to: '2031-02-28' }, { headers })).toMatchObject({
        status: 409,
        body: { error: 'idempotency_conflict' },
      });
      expect(await exceptionDates(a.practitioner.id)).toEqual(['2031-02-10', '2031-02-11']);
    });
  });
});
