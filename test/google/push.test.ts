import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { POST as book } from '@/app/api/clinic/appointments/route';
import { DELETE as deleteAppointment } from '@/app/api/clinic/practitioners/[user_id]/appointments/[calendar_event_id]/route';
import { POST as createException } from '@/app/api/clinic/practitioners/[user_id]/availability/exceptions/route';
import {
  DELETE as deleteException,
  PUT as updateException,
} from '@/app/api/clinic/practitioners/[user_id]/availability/exceptions/[exception_id]/route';
import { userCaller } from '@/lib/auth/caller';
import { accounts, auditLog, calendarEvents, googleConnections, outboxJobs } from '@/lib/db/schema';
import { googleEventIdFor } from '@/lib/integrations/google/event-body';
import { getDayView } from '@/lib/queries/calendar';
import { listDeliveries } from '@/lib/queries/deliveries';
import { retryDelivery } from '@/lib/services/deliveries';
import { createAgentKey } from '@/lib/services/agent-keys';
import { useTestDatabase } from '../support/db';
import { makeClinicWithStaff, setWeek } from '../support/factories';
import { callRoute, staffCookies } from '../support/http';
import { connectPractitioner, drainOutbox, jobsOf, useFakeGoogle } from './support';

const DAY = '2031-08-06'; // a Wednesday

describe('our side to Google: every appointment and exception is one Google event', () => {
  const t = useTestDatabase();
  const google = useFakeGoogle();
  let c: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let key: string;
  let cookies: Awaited<ReturnType<typeof staffCookies>>;
  let email: string;

  beforeAll(async () => {
    c = await makeClinicWithStaff(t.db());
    await setWeek(t.db(), c.practitioner.id, { 3: [['09:00', '18:00']] });
    key = (await createAgentKey(t.db(), { clinicSlug: c.clinic.slug, name: 'LINE agent' })).key;
    cookies = await staffCookies(c);
    email = c.practitioner.email;
    await connectPractitioner(t.db(), google(), { id: c.practitioner.id, clinicId: c.clinic.id, email });
  });

  const bookAt = async (start: string, headers: Record<string, string> = {}) =>
    (
      await callRoute(book, {
        method: 'POST',
        path: '/api/clinic/appointments',
        agentKey: key,
        headers,
        body: { practitioner_id: c.practitioner.id, patient_id: c.patient.id, appointment_type_id: c.type.id, date: DAY, start_time: start },
      })
    ).body.calendar_event_id as number;
  const row = async (id: number) => (await t.db().select().from(calendarEvents).where(eq(calendarEvents.id, id)))[0]!;

  it("a booking becomes exactly the design's Google event, with a deterministic id and our private property", async () => {
    const id = await bookAt('10:00');
    expect((await row(id)).gcalSyncStatus).toBe('pending');
    expect(await drainOutbox(t.db())).toMatchObject({ delivered: 1, failed: 0 });
    const event = google().event(email, googleEventIdFor(id))!;
    expect(event).toMatchObject({
      id: googleEventIdFor(id),
      summary: `陳小姐 - ${c.type.name}`,
      description: `Patient: 陳小姐\nPhone: \nAppointment Type: ${c.type.name}\nManaged by Clinic Bot - Changes will sync automatically`,
      start: { dateTime: `${DAY}T10:00:00`, timeZone: 'Asia/Taipei' },
      end: { dateTime: `${DAY}T11:00:00`, timeZone: 'Asia/Taipei' },
      colorId: '11',
      visibility: 'private',
      transparency: 'opaque',
      reminders: {
        useDefault: false,
        overrides: [
          { method: 'popup', minutes: 60 },
          { method: 'email', minutes: 1440 },
        ],
      },
      extendedProperties: { private: { clinicBotEventId: String(id) } },
    });
    expect(googleEventIdFor(id)).toMatch(/^[a-v0-9]{5,1024}$/);
    const synced = await row(id);
    expect(synced).toMatchObject({ gcalEventId: googleEventIdFor(id), gcalSyncStatus: 'synced', gcalEtag: event.etag });
    const day = await getDayView(t.db(), (await userCaller(c.practitioner.id))!, { practitionerId: c.practitioner.id, date: DAY });
    expect(day.events.find((e) => e.calendar_event_id === id)?.gcal_sync_status).toBe('synced');
  });

  it('a retried insert never makes a second event: Google made it, the answer was lost, the retry gets 409 and patches', async () => {
    const id = await bookAt('12:00');
    google().hangNext(1, { op: 'events.insert', execute: true });
    const report = await drainOutbox(t.db());
    expect(report).toMatchObject({ delivered: 1, retried: 1, failed: 0 });
    expect(
      google()
        .events(email)
        .filter((e) => e.extendedProperties?.private?.clinicBotEventId === String(id)),
    ).toHaveLength(1);
    expect(
      google()
        .requestsFor('events.insert')
        .filter((r) => r.status === 409),
    ).toHaveLength(1);
    expect((await row(id)).gcalSyncStatus).toBe('synced');
  });

  it('exceptions are "Unavailable" events: timed in the clinic\'s zone, all-day as {date} ending the next day; updates and deletes follow', async () => {
    const path = `/api/clinic/practitioners/${c.practitioner.id}/availability/exceptions`;
    const params = { user_id: String(c.practitioner.id) };
    const timed = (
      await callRoute(createException, {
        method: 'POST',
        path,
        params,
        cookie: cookies.own,
        body: { date: '2031-08-07', start_time: '14:00', end_time: '18:00' },
      })
    ).body;
    const allDay = (await callRoute(createException, { method: 'POST', path, params, cookie: cookies.own, body: { date: '2031-08-08' } })).body;
    await drainOutbox(t.db());
    expect(google().event(email, googleEventIdFor(timed.calendar_event_id))).toMatchObject({
      summary: 'Unavailable',
      start: { dateTime: '2031-08-07T14:00:00', timeZone: 'Asia/Taipei' },
      end: { dateTime: '2031-08-07T18:00:00', timeZone: 'Asia/Taipei' },
      transparency: 'opaque',
      extendedProperties: { private: { clinicBotEventId: String(timed.calendar_event_id) } },
    });
    expect(google().event(email, googleEventIdFor(allDay.calendar_event_id))).toMatchObject({
      start: { date: '2031-08-08' },
      end: { date: '2031-08-09' },
    });

    await callRoute(updateException, {
      method: 'PUT',
      path: `${path}/${timed.exception_id}`,
      params: { ...params, exception_id: String(timed.exception_id) },
      cookie: cookies.own,
      body: { start_time: '15:00' },
    });
    await drainOutbox(t.db());
    expect(google().event(email, googleEventIdFor(timed.calendar_event_id))?.start).toEqual({
      dateTime: '2031-08-07T15:00:00',
      timeZone: 'Asia/Taipei',
    });
    expect(
      google()
        .events(email)
        .filter((e) => e.summary === 'Unavailable'),
    ).toHaveLength(2);

    await callRoute(deleteException, {
      method: 'DELETE',
      path: `${path}/${allDay.exception_id}`,
      params: { ...params, exception_id: String(allDay.exception_id) },
      cookie: cookies.own,
    });
    await drainOutbox(t.db());
    expect(google().event(email, googleEventIdFor(allDay.calendar_event_id))?.status).toBe('cancelled');
  });

  it('a cancellation deletes the Google event; a delete that finds it gone (410) counts as done', async () => {
    const id = await bookAt('15:00');
    await drainOutbox(t.db());
    google().userDelete(email, googleEventIdFor(id)); // gone already, before our delete arrives
    const res = await callRoute(deleteAppointment, {
      method: 'DELETE',
      path: `/api/clinic/practitioners/${c.practitioner.id}/appointments/${id}`,
      params: { user_id: String(c.practitioner.id), calendar_event_id: String(id) },
      cookie: cookies.own,
    });
    expect(res.status).toBe(200);
    expect(await drainOutbox(t.db(), { kinds: ['google.delete_event'] })).toMatchObject({ delivered: 1, failed: 0 });
    const deletes = google()
      .requestsFor('events.delete')
      .filter((r) => r.path.endsWith(googleEventIdFor(id)));
    expect(deletes.map((r) => r.status)).toEqual([410]);
  });

  it('five failures leave the event sync_failed, in the day view and on the Deliveries page; Retry recovers it', async () => {
    const id = await bookAt('16:00');
    google().failNext(5, { status: 503, op: 'events.insert' });
    await drainOutbox(t.db(), { rounds: 10 });
    const [job] = (await jobsOf(t.db(), c.clinic.id)).filter((j) => j.kind === 'google.upsert_event' && j.payload.calendar_event_id === id);
    expect(job).toMatchObject({ status: 'failed', attempts: 5 });
    expect((await row(id)).gcalSyncStatus).toBe('sync_failed');
    const admin = (await userCaller(c.admin.id))!;
    const day = await getDayView(t.db(), admin, { practitionerId: c.practitioner.id, date: DAY });
    expect(day.events.find((e) => e.calendar_event_id === id)?.gcal_sync_status).toBe('sync_failed');
    const failed = (await listDeliveries(t.db(), admin)).find((d) => d.kind === 'google.upsert_event' && d.status === 'failed');
    expect(failed?.last_error).toContain('503');
    await retryDelivery(t.db(), admin, failed!.id);
    expect((await row(id)).gcalSyncStatus).toBe('pending');
    await drainOutbox(t.db());
    expect((await row(id)).gcalSyncStatus).toBe('synced');
    expect(google().event(email, googleEventIdFor(id))?.summary).toBe(`陳小姐 - ${c.type.name}`);
  });

  it('quota answers (403 rateLimitExceeded, 429) are retried with backoff, not failed', async () => {
    const id = await bookAt('17:00');
    google().failNext(1, { status: 403, reason: 'rateLimitExceeded', domain: 'usageLimits', op: 'events.insert' });
    google().failNext(1, { status: 429, op: 'events.insert' });
    await drainOutbox(t.db());
    const [job] = (await jobsOf(t.db(), c.clinic.id)).filter((j) => j.kind === 'google.upsert_event' && j.payload.calendar_event_id === id);
    expect(job?.status).toBe('delivered');
    expect(
      google()
        .requestsFor('events.insert')
        .map((r) => r.status),
    ).toEqual(expect.arrayContaining([403, 429]));
    expect((await row(id)).gcalSyncStatus).toBe('synced');
  });

  it('a revoked grant breaks the connection once: the job fails at once, later changes queue nothing, no loop', async () => {
    const other = await makeClinicWithStaff(t.db());
    await setWeek(t.db(), other.practitioner.id, { 3: [['09:00', '18:00']] });
    const { refreshToken } = await connectPractitioner(t.db(), google(), {
      id: other.practitioner.id,
      clinicId: other.clinic.id,
      email: other.practitioner.email,
    });
    const otherKey = (await createAgentKey(t.db(), { clinicSlug: other.clinic.slug, name: 'agent' })).key;
    google().revokeRefreshToken(refreshToken);
    const booked = await callRoute(book, {
      method: 'POST',
      path: '/api/clinic/appointments',
      agentKey: otherKey,
      body: {
        practitioner_id: other.practitioner.id,
        patient_id: other.patient.id,
        appointment_type_id: other.type.id,
        date: DAY,
        start_time: '09:00',
      },
    });
    expect(booked.status).toBe(201);
    expect(await drainOutbox(t.db())).toMatchObject({ delivered: 0, retried: 0, failed: 1 });
    const [connection] = await t.db().select().from(googleConnections).where(eq(googleConnections.userId, other.practitioner.id));
    expect(connection).toMatchObject({ state: 'broken', brokenReason: expect.stringContaining('revoked') });
    const tokenCalls = google().tokenRequests.length;
    await callRoute(book, {
      method: 'POST',
      path: '/api/clinic/appointments',
      agentKey: otherKey,
      body: {
        practitioner_id: other.practitioner.id,
        patient_id: other.patient.id,
        appointment_type_id: other.type.id,
        date: DAY,
        start_time: '11:00',
      },
    });
    expect((await jobsOf(t.db(), other.clinic.id)).filter((j) => j.kind === 'google.upsert_event')).toHaveLength(1);
    await drainOutbox(t.db());
    expect(google().tokenRequests.length).toBe(tokenCalls);
  });

  it('tokens never appear in audit entries, job errors or payloads', async () => {
    const tokens = (await t.db().select({ token: accounts.refreshToken }).from(accounts)).map((a) => a.token!);
    expect(tokens.length).toBeGreaterThan(0);
    const audits = JSON.stringify(await t.db().select().from(auditLog));
    const jobs = JSON.stringify(await t.db().select().from(outboxJobs));
    for (const token of tokens) {
      expect(audits).not.toContain(token);
      expect(jobs).not.toContain(token);
    }
    const access = google()
      .requests.map((r) => r.authorization)
      .filter(Boolean)
      .map((a) => a!.replace(/^Bearer /, ''));
    for (const token of access) {
      expect(audits).not.toContain(token);
      expect(jobs).not.toContain(token);
    }
    expect(
      await t
        .db()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.clinicId, c.clinic.id))),
    ).not.toHaveLength(0);
  });
});
