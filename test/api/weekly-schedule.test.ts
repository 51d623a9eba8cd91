import { and, eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GET, PUT } from '@/app/api/clinic/practitioners/[user_id]/availability/default/route';
import { auditLog, calendarEvents, practitionerAvailability } from '@/lib/db/schema';
import { createAgentKey } from '@/lib/services/agent-keys';
import { useTestDatabase } from '../support/db';
import { makeAppointment, makeClinicWithStaff, makeException, setWeek } from '../support/factories';
import { callRoute, sessionCookie, staffCookies } from '../support/http';

const path = (id: number, query = '') => `/api/clinic/practitioners/${id}/availability/default${query}`;
const EMPTY = { monday: [], tuesday: [], wednesday: [], thursday: [], friday: [], saturday: [], sunday: [] };
// Far in the future, so "future" does not depend on today; 2031-01-06 is a Monday, 2020-01-06 too.
const FUTURE_MONDAY = '2031-01-06';
const PAST_MONDAY = '2020-01-06';

describe('GET/PUT /practitioners/{id}/availability/default', () => {
  const t = useTestDatabase();
  let a: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let b: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let own: string;
  let admin: string;
  let colleague: string;
  let agentKey: string;

  beforeAll(async () => {
    a = await makeClinicWithStaff(t.db());
    b = await makeClinicWithStaff(t.db());
    ({ own, colleague, admin } = await staffCookies(a));
    agentKey = (await createAgentKey(t.db(), { clinicSlug: a.clinic.slug, name: 'agent' })).key;
  });

  beforeEach(async () => {
    await t.db().delete(practitionerAvailability).where(eq(practitionerAvailability.userId, a.practitioner.id));
    await setWeek(t.db(), a.practitioner.id, {
      1: [
        ['14:00', '18:00'],
        ['09:00', '12:00'],
      ],
      2: [['09:00', '17:00']],
    });
  });

  const put = (body: unknown, opts: { cookie?: string; query?: string; id?: number } = {}) =>
    callRoute(PUT, {
      method: 'PUT',
      path: path(opts.id ?? a.practitioner.id, opts.query),
      params: { user_id: String(opts.id ?? a.practitioner.id) },
      body,
      cookie: opts.cookie ?? own,
    });
  const get = (cookie = own, id = a.practitioner.id) => callRoute(GET, { path: path(id), params: { user_id: String(id) }, cookie });

  it('answers all seven days with sorted intervals, to the practitioner and a colleague; not to the agent (403)', async () => {
    const expected = {
      ...EMPTY,
      monday: [
        { start_time: '09:00', end_time: '12:00' },
        { start_time: '14:00', end_time: '18:00' },
      ],
      tuesday: [{ start_time: '09:00', end_time: '17:00' }],
    };
    expect(await get()).toEqual({ status: 200, body: expected });
    expect((await get(colleague)).body).toEqual(expected);
    expect(await callRoute(GET, { path: path(a.practitioner.id), params: { user_id: String(a.practitioner.id) }, agentKey })).toEqual({
      status: 403,
      body: { error: 'forbidden', message: expect.any(String) },
    });
  });

  it('replaces the whole week: days left out have no hours, touching intervals are kept as given', async () => {
    const res = await put({
      wednesday: [
        { start_time: '12:00', end_time: '18:00' },
        { start_time: '09:00', end_time: '12:00' },
      ],
      sunday: [],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ...EMPTY,
      wednesday: [
        { start_time: '09:00', end_time: '12:00' },
        { start_time: '12:00', end_time: '18:00' },
      ],
    });
    expect((await get()).body).toEqual(res.body);
    const [audit] = await t.db().select().from(auditLog).where(eq(auditLog.action, 'weekly_schedule.replaced'));
    expect(audit).toMatchObject({ actorType: 'user', actorUserId: a.practitioner.id, entityId: String(a.practitioner.id) });
  });

  it.each([
    [
      'overlapping intervals',
      {
        monday: [
          { start_time: '09:00', end_time: '12:00' },
          { start_time: '10:00', end_time: '14:00' },
        ],
      },
      400,
      {
        error: 'overlapping_intervals',
        message: 'Time intervals cannot overlap',
        details: { day: 'monday', conflicting_intervals: ['09:00-12:00', '10:00-14:00'] },
      },
    ],
    [
      'an interval ending before it starts',
      { friday: [{ start_time: '18:00', end_time: '09:00' }] },
      400,
      { error: 'invalid_time_range', message: expect.any(String), details: { day: 'friday', interval: '18:00-09:00' } },
    ],
    [
      'an empty interval',
      { friday: [{ start_time: '09:00', end_time: '09:00' }] },
      400,
      { error: 'invalid_time_range', message: expect.any(String), details: expect.anything() },
    ],
    [
      'a malformed time',
      { monday: [{ start_time: '9:00', end_time: '12:00' }] },
      400,
      {
        error: 'validation_error',
        message: expect.any(String),
        details: { issues: [expect.objectContaining({ path: ['monday', '0', 'start_time'] })] },
      },
    ],
    ['an unknown day', { munday: [] }, 400, { error: 'validation_error', message: expect.any(String), details: expect.anything() }],
    [
      'a missing end',
      { monday: [{ start_time: '09:00' }] },
      400,
      { error: 'validation_error', message: expect.any(String), details: expect.anything() },
    ],
    ['not an object', [1, 2], 400, { error: 'validation_error', message: expect.any(String), details: expect.anything() }],
    [
      '24:00 as a start',
      { monday: [{ start_time: '24:00', end_time: '24:00' }] },
      400,
      { error: 'validation_error', message: expect.any(String), details: expect.anything() },
    ],
  ])('refuses %s with the contract error and changes nothing', async (_name, body, status, expected) => {
    const before = (await get()).body;
    const res = await put(body);
    expect(res).toEqual({ status, body: expected });
    expect((await get()).body).toEqual(before);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await callRoute(PUT, {
      method: 'PUT',
      path: path(a.practitioner.id),
      params: { user_id: String(a.practitioner.id) },
      rawBody: '{"monday": [',
      cookie: own,
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('validation_error');
  });

  it('accepts an interval that ends at midnight', async () => {
    const res = await put({ saturday: [{ start_time: '18:00', end_time: '24:00' }] });
    expect(res.status).toBe(200);
    expect(res.body.saturday).toEqual([{ start_time: '18:00', end_time: '24:00' }]);
  });

  it("lets an admin change a practitioner's week; a colleague gets 403, the agent 403, another clinic 404", async () => {
    const body = { thursday: [{ start_time: '10:00', end_time: '16:00' }] };
    expect((await put(body, { cookie: colleague })).status).toBe(403);
    expect(
      (await callRoute(PUT, { method: 'PUT', path: path(a.practitioner.id), params: { user_id: String(a.practitioner.id) }, body, agentKey })).status,
    ).toBe(403);
    const otherClinic = await sessionCookie({ id: b.admin.id, clinicId: b.clinic.id, role: 'admin' });
    expect((await put(body, { cookie: otherClinic })).status).toBe(404);
    expect((await get(otherClinic)).status).toBe(404);
    expect((await get(own, 999999)).status).toBe(404);
    expect((await callRoute(GET, { path: path(1), params: { user_id: 'abc' }, cookie: own })).status).toBe(404);
    expect((await get()).body.thursday).toEqual([]);
    expect((await put(body, { cookie: admin })).status).toBe(200);
    expect((await get()).body.thursday).toEqual([{ start_time: '10:00', end_time: '16:00' }]);
  });

  describe('warning round trip', () => {
    beforeEach(async () => {
      await t.db().delete(calendarEvents).where(eq(calendarEvents.userId, a.practitioner.id));
    });

    it('warns about every future confirmed appointment the change leaves outside hours, saves nothing, then saves on confirm', async () => {
      const evening = await makeAppointment(t.db(), {
        userId: a.practitioner.id,
        patientId: a.patient.id,
        appointmentTypeId: a.type.id,
        date: FUTURE_MONDAY,
        startTime: '16:00',
        endTime: '17:00',
      });
      const morning = await makeAppointment(t.db(), {
        userId: a.practitioner.id,
        patientId: a.patient.id,
        appointmentTypeId: a.type.id,
        date: FUTURE_MONDAY,
        startTime: '09:00',
        endTime: '10:00',
      });
      // Not reported: in the past, canceled, or still inside the new hours.
      await makeAppointment(t.db(), {
        userId: a.practitioner.id,
        patientId: a.patient.id,
        appointmentTypeId: a.type.id,
        date: PAST_MONDAY,
        startTime: '16:00',
        endTime: '17:00',
      });
      await makeAppointment(t.db(), {
        userId: a.practitioner.id,
        patientId: a.patient.id,
        appointmentTypeId: a.type.id,
        date: FUTURE_MONDAY,
        startTime: '15:00',
        endTime: '16:00',
        status: 'canceled_by_patient',
      });
      await makeAppointment(t.db(), {
        userId: a.practitioner.id,
        patientId: a.patient.id,
        appointmentTypeId: a.type.id,
        date: FUTURE_MONDAY,
        startTime: '14:00',
        endTime: '15:00',
      });
      const before = (await get()).body;
      const auditsBefore = await t
        .db()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityType, 'practitioner'), eq(auditLog.entityId, String(a.practitioner.id))));

      const body = { monday: [{ start_time: '14:00', end_time: '16:00' }], tuesday: [{ start_time: '09:00', end_time: '17:00' }] };
      const warned = await put(body);
      expect(warned).toEqual({
        status: 409,
        body: {
          warning: 'appointments_outside_hours',
          message: 'Some appointments will be outside your new working hours',
          details: {
            affected_appointments: [
              { calendar_event_id: morning.id, date: FUTURE_MONDAY, time: '09:00-10:00', patient: '陳小姐' },
              { calendar_event_id: evening.id, date: FUTURE_MONDAY, time: '16:00-17:00', patient: '陳小姐' },
            ],
          },
        },
      });
      expect((await get()).body).toEqual(before);
      expect(
        await t
          .db()
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.entityType, 'practitioner'), eq(auditLog.entityId, String(a.practitioner.id)))),
      ).toHaveLength(auditsBefore.length);

      // Validation comes first: invalid and conflicting is the 400.
      expect(
        (
          await put({
            monday: [
              { start_time: '09:00', end_time: '12:00' },
              { start_time: '11:00', end_time: '13:00' },
            ],
          })
        ).status,
      ).toBe(400);

      const confirmed = await put(body, { query: '?confirm=true' });
      expect(confirmed.status).toBe(200);
      expect((await get()).body.monday).toEqual([{ start_time: '14:00', end_time: '16:00' }]);
      const audits = await t
        .db()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityType, 'practitioner'), eq(auditLog.entityId, String(a.practitioner.id))));
      expect(audits.at(-1)?.details).toMatchObject({ confirmed_outside_hours: [morning.id, evening.id] });

      // Once outside hours, the same appointments do not warn again on the next change.
      expect((await put({ ...body, friday: [{ start_time: '09:00', end_time: '12:00' }] })).status).toBe(200);
    });

    it("does not warn about appointments an exception already put outside hours, nor about colleagues' appointments", async () => {
      await makeException(t.db(), { userId: a.practitioner.id, date: FUTURE_MONDAY, startTime: '08:00', endTime: '10:30' });
      await makeAppointment(t.db(), {
        userId: a.practitioner.id,
        patientId: a.patient.id,
        appointmentTypeId: a.type.id,
        date: FUTURE_MONDAY,
        startTime: '09:00',
        endTime: '10:00',
      });
      await makeAppointment(t.db(), {
        userId: a.colleague.id,
        patientId: a.patient.id,
        appointmentTypeId: a.type.id,
        date: FUTURE_MONDAY,
        startTime: '10:00',
        endTime: '11:00',
      });
      expect((await put({ monday: [{ start_time: '14:00', end_time: '18:00' }] })).status).toBe(200);
      // Without the exception the same change would warn.
      await t.db().delete(calendarEvents).where(eq(calendarEvents.eventType, 'availability_exception'));
      await setWeek(t.db(), a.practitioner.id, { 1: [['09:00', '12:00']] });
      const warned = await put({ monday: [{ start_time: '14:00', end_time: '18:00' }] });
      expect(warned.status).toBe(409);
      expect(warned.body.details.affected_appointments).toHaveLength(1);
    });
  });
});
