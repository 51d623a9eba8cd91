import { and, count, eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { POST } from '@/app/api/clinic/practitioners/[user_id]/availability/exceptions/route';
import { DELETE, PUT } from '@/app/api/clinic/practitioners/[user_id]/availability/exceptions/[exception_id]/route';
import { auditLog, availabilityExceptions, calendarEvents, googleConnections, outboxJobs } from '@/lib/db/schema';
import { createAgentKey } from '@/lib/services/agent-keys';
import { useTestDatabase } from '../support/db';
import { makeAppointment, makeClinicWithStaff } from '../support/factories';
import { callRoute, sessionCookie, staffCookies } from '../support/http';

const DAY = '2031-03-05';

describe('availability exceptions', () => {
  const t = useTestDatabase();
  let a: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let b: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let own: string;
  let colleague: string;
  let admin: string;
  let appointmentId: number;

  beforeAll(async () => {
    a = await makeClinicWithStaff(t.db());
    b = await makeClinicWithStaff(t.db());
    ({ own, colleague, admin } = await staffCookies(a));
  });
  beforeEach(async () => {
    await t.db().delete(calendarEvents).where(eq(calendarEvents.userId, a.practitioner.id));
    appointmentId = (
      await makeAppointment(t.db(), {
        userId: a.practitioner.id,
        patientId: a.patient.id,
        appointmentTypeId: a.type.id,
        date: DAY,
        startTime: '14:00',
        endTime: '15:00',
      })
    ).id;
  });

  const base = (id = a.practitioner.id) => `/api/clinic/practitioners/${id}/availability/exceptions`;
  const post = (body: unknown, o: { query?: string; cookie?: string; id?: number; headers?: Record<string, string> } = {}) =>
    callRoute(POST, {
      method: 'POST',
      path: base(o.id) + (o.query ?? ''),
      params: { user_id: String(o.id ?? a.practitioner.id) },
      body,
      cookie: o.cookie ?? own,
      headers: o.headers,
    });
  const put = (exceptionId: number, body: unknown, o: { query?: string; cookie?: string } = {}) =>
    callRoute(PUT, {
      method: 'PUT',
      path: `${base()}/${exceptionId}${o.query ?? ''}`,
      params: { user_id: String(a.practitioner.id), exception_id: String(exceptionId) },
      body,
      cookie: o.cookie ?? own,
    });
  const del = (exceptionId: number, o: { cookie?: string; id?: number } = {}) =>
    callRoute(DELETE, {
      method: 'DELETE',
      path: `${base(o.id)}/${exceptionId}`,
      params: { user_id: String(o.id ?? a.practitioner.id), exception_id: String(exceptionId) },
      cookie: o.cookie ?? own,
    });
  const exceptionCount = async () =>
    (
      await t
        .db()
        .select({ n: count() })
        .from(calendarEvents)
        .where(and(eq(calendarEvents.userId, a.practitioner.id), eq(calendarEvents.eventType, 'availability_exception')))
    )[0]!.n;

  it('creates a timed exception: 201 with the contract fields', async () => {
    const res = await post({ date: DAY, start_time: '09:00', end_time: '12:00' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      calendar_event_id: expect.any(Number),
      exception_id: expect.any(Number),
      date: DAY,
      start_time: '09:00',
      end_time: '12:00',
      gcal_event_id: null,
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      updated_at: expect.any(String),
      // A single exception (issue 16 added the series fields).
      recurrence: null,
      exdates: [],
      series_until: null,
      recurring_exception_id: null,
      original_date: null,
    });
    const [row] = await t.db().select().from(availabilityExceptions).where(eq(availabilityExceptions.id, res.body.exception_id));
    expect(row?.calendarEventId).toBe(res.body.calendar_event_id);
    const audits = await t
      .db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'availability_exception.created'), eq(auditLog.entityId, String(res.body.exception_id))));
    expect(audits).toHaveLength(1);
    // No Google connection: no Google job.
    expect(await t.db().select().from(outboxJobs).where(eq(outboxJobs.clinicId, a.clinic.id))).toHaveLength(0);
  });

  it('allows several and overlapping exceptions on one day', async () => {
    expect((await post({ date: DAY, start_time: '09:00', end_time: '11:00' })).status).toBe(201);
    expect((await post({ date: DAY, start_time: '10:00', end_time: '12:00' })).status).toBe(201);
    expect((await post({ date: DAY, start_time: '10:00', end_time: '12:00' })).status).toBe(201);
    expect(await exceptionCount()).toBe(3);
  });

  it('warns about confirmed appointments it covers, saves nothing, then saves on confirm', async () => {
    const warned = await post({ date: DAY, start_time: '13:30', end_time: '18:00' });
    expect(warned).toEqual({
      status: 409,
      body: {
        warning: 'appointment_conflicts',
        message:
          "This availability exception conflicts with existing appointments. The appointments will remain valid but marked as 'outside hours'.",
        details: {
          conflicting_appointments: [{ calendar_event_id: appointmentId, date: DAY, start_time: '14:00', end_time: '15:00', patient: '陳小姐' }],
        },
      },
    });
    expect(await exceptionCount()).toBe(0);
    // An all-day exception covers the whole day.
    expect((await post({ date: DAY })).status).toBe(409);
    expect((await post({ date: DAY, start_time: null, end_time: null })).status).toBe(409);
    // Touching is no conflict.
    expect((await post({ date: DAY, start_time: '15:00', end_time: '16:00' })).status).toBe(201);
    const saved = await post({ date: DAY, start_time: '13:30', end_time: '18:00' }, { query: '?confirm=true' });
    expect(saved.status).toBe(201);
    expect(await exceptionCount()).toBe(2);
  });

  it('ignores canceled appointments and other days', async () => {
    await t.db().delete(calendarEvents).where(eq(calendarEvents.userId, a.practitioner.id));
    await makeAppointment(t.db(), {
      userId: a.practitioner.id,
      patientId: a.patient.id,
      appointmentTypeId: a.type.id,
      date: DAY,
      startTime: '14:00',
      endTime: '15:00',
      status: 'canceled_by_clinic',
    });
    await makeAppointment(t.db(), {
      userId: a.practitioner.id,
      patientId: a.patient.id,
      appointmentTypeId: a.type.id,
      date: '2031-03-06',
      startTime: '14:00',
      endTime: '15:00',
    });
    expect((await post({ date: DAY })).status).toBe(201);
  });

  it.each([
    ['one time alone', { date: DAY, start_time: '09:00' }, 'validation_error'],
    ['only an end', { date: DAY, end_time: '09:00' }, 'validation_error'],
    ['start after end', { date: DAY, start_time: '12:00', end_time: '09:00' }, 'invalid_time_range'],
    ['an empty span', { date: DAY, start_time: '12:00', end_time: '12:00' }, 'invalid_time_range'],
    ['a bad date', { date: '2031-02-30' }, 'validation_error'],
    ['no date', { start_time: '09:00', end_time: '10:00' }, 'validation_error'],
    ['a bad time', { date: DAY, start_time: '9am', end_time: '10:00' }, 'validation_error'],
    ['an unknown field', { date: DAY, reason: 'holiday' }, 'validation_error'],
    ['a conflicting and invalid one (validation first)', { date: DAY, start_time: '15:00', end_time: '14:00' }, 'invalid_time_range'],
  ])('refuses %s with 400 and creates nothing', async (_name, body, code) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: code, message: expect.any(String) });
    expect(await exceptionCount()).toBe(0);
  });

  it('updates times keeping left-out fields, makes it all-day with both nulls, and re-checks conflicts', async () => {
    const created = (await post({ date: DAY, start_time: '09:00', end_time: '10:00' })).body;
    const moved = await put(created.exception_id, { end_time: '11:00' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      exception_id: created.exception_id,
      date: DAY,
      start_time: '09:00',
      end_time: '11:00',
      updated_at: expect.any(String),
    });
    expect((await put(created.exception_id, { start_time: null })).status).toBe(400);
    const conflicting = await put(created.exception_id, { start_time: null, end_time: null });
    expect(conflicting.status).toBe(409);
    expect(conflicting.body.warning).toBe('appointment_conflicts');
    const allDay = await put(created.exception_id, { start_time: null, end_time: null }, { query: '?confirm=true' });
    expect(allDay.body).toMatchObject({ start_time: null, end_time: null });
    const otherDay = await put(created.exception_id, { date: '2031-03-07', start_time: '08:00', end_time: '09:00' });
    expect(otherDay.body).toMatchObject({ date: '2031-03-07', start_time: '08:00', end_time: '09:00' });
    expect((await put(created.exception_id, { start_time: '10:00' })).body.error).toBe('invalid_time_range');
  });

  it('deletes an exception; a second delete is 404', async () => {
    const created = (await post({ date: DAY, start_time: '09:00', end_time: '10:00' })).body;
    expect(await del(created.exception_id)).toEqual({ status: 200, body: { message: 'Availability exception deleted successfully' } });
    expect(await exceptionCount()).toBe(0);
    expect((await del(created.exception_id)).status).toBe(404);
  });

  it('lets an admin act for a practitioner; a colleague and the agent get 403; another clinic 404', async () => {
    expect((await post({ date: DAY, start_time: '09:00', end_time: '10:00' }, { cookie: colleague })).status).toBe(403);
    const { key } = await createAgentKey(t.db(), { clinicSlug: a.clinic.slug, name: 'agent' });
    const agent = await callRoute(POST, {
      method: 'POST',
      path: base(),
      params: { user_id: String(a.practitioner.id) },
      body: { date: DAY },
      agentKey: key,
    });
    expect(agent.status).toBe(403);
    const foreign = await sessionCookie({ id: b.admin.id, clinicId: b.clinic.id, role: 'admin' });
    expect((await post({ date: DAY, start_time: '09:00', end_time: '10:00' }, { cookie: foreign })).status).toBe(404);
    const created = await post({ date: DAY, start_time: '09:00', end_time: '10:00' }, { cookie: admin });
    expect(created.status).toBe(201);
    expect((await del(created.body.exception_id, { cookie: foreign })).status).toBe(404);
    expect((await put(created.body.exception_id, { end_time: '10:30' }, { cookie: colleague })).status).toBe(403);
    // An exception id of another practitioner is not found under this one.
    expect((await del(created.body.exception_id, { id: a.colleague.id, cookie: admin })).status).toBe(404);
    expect(await exceptionCount()).toBe(1);
  });

  it('honours Idempotency-Key: a repeat returns the first answer and creates nothing; another body is 409', async () => {
    const headers = { 'idempotency-key': 'tap-1' };
    const first = await post({ date: DAY, start_time: '09:00', end_time: '10:00' }, { headers });
    const again = await post({ end_time: '10:00', start_time: '09:00', date: DAY }, { headers });
    expect(first.status).toBe(201);
    expect(again).toEqual(first);
    expect(await exceptionCount()).toBe(1);
    const other = await post({ date: DAY, start_time: '09:00', end_time: '11:00' }, { headers });
    expect(other).toMatchObject({ status: 409, body: { error: 'idempotency_conflict' } });
    // Concurrent double tap with a fresh key: one exception, and every tap gets its answer.
    const tap = { 'idempotency-key': 'tap-2' };
    const results = await Promise.all([1, 2, 3].map(() => post({ date: DAY, start_time: '16:00', end_time: '17:00' }, { headers: tap })));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    for (const r of results) expect(r.body).toEqual(results[0]!.body);
    expect(await exceptionCount()).toBe(2);
    // A warning does not use up the key: the confirmed retry with the same key goes through.
    const w = { 'idempotency-key': 'tap-3' };
    expect((await post({ date: DAY, start_time: '14:00', end_time: '14:30' }, { headers: w })).status).toBe(409);
    expect((await post({ date: DAY, start_time: '14:00', end_time: '14:30' }, { headers: w, query: '?confirm=true' })).status).toBe(201);
  });

  it('queues a Google upsert (pending sync) when the practitioner connected Google, and a delete for a synced event', async () => {
    await t.db().insert(googleConnections).values({ userId: a.practitioner.id, clinicId: a.clinic.id, state: 'connected' });
    const created = (await post({ date: DAY, start_time: '09:00', end_time: '10:00' })).body;
    const [event] = await t.db().select().from(calendarEvents).where(eq(calendarEvents.id, created.calendar_event_id));
    expect(event?.gcalSyncStatus).toBe('pending');
    const jobs = await t.db().select().from(outboxJobs).where(eq(outboxJobs.clinicId, a.clinic.id));
    expect(jobs.map((j) => [j.kind, j.payload])).toEqual([
      ['google.upsert_event', { practitioner_id: a.practitioner.id, calendar_event_id: created.calendar_event_id }],
    ]);
    await t
      .db()
      .update(calendarEvents)
      .set({ gcalEventId: 'gcal-123', gcalSyncStatus: 'synced' })
      .where(eq(calendarEvents.id, created.calendar_event_id));
    await del(created.exception_id);
    const after = await t.db().select().from(outboxJobs).where(eq(outboxJobs.kind, 'google.delete_event'));
    expect(after.map((j) => j.payload)).toEqual([
      { practitioner_id: a.practitioner.id, calendar_event_id: created.calendar_event_id, gcal_event_id: 'gcal-123' },
    ]);
    await t.db().delete(googleConnections).where(eq(googleConnections.userId, a.practitioner.id));
  });
});
