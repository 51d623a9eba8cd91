import { and, desc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as getRoute, PATCH as patchRoute } from '@/app/api/clinic/admin/settings/route';
import { GET as slots } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/route';
import { auditLog, calendarEvents, clinics, googleConnections, outboxJobs } from '@/lib/db/schema';
import * as responses from '@/lib/schemas/responses';
import { createAgentKey } from '@/lib/services/agent-keys';
import { clinicNow } from '@/lib/time/clinic-clock';
import { addDays } from '@/lib/time/dates';
import { dbFingerprint } from '../support/db-fingerprint';
import { useTestDatabase } from '../support/db';
import { makeAppointment, makeClinicWithStaff, setWeek } from '../support/factories';
import { callRoute, sessionCookie, staffCookies } from '../support/http';

const PATH = '/api/clinic/admin/settings';
const WEEK = Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [d, [['09:00', '11:00']]])) as Record<number, Array<[string, string]>>;

describe('clinic settings, as the clinic admin manages them', () => {
  const t = useTestDatabase();
  let a: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let b: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let admin: string;
  let practitioner: string;
  let otherAdmin: string;
  let agentKey: string;

  beforeAll(async () => {
    a = await makeClinicWithStaff(t.db());
    b = await makeClinicWithStaff(t.db());
    await setWeek(t.db(), a.practitioner.id, WEEK);
    const cookies = await staffCookies(a);
    admin = cookies.admin;
    practitioner = cookies.own;
    otherAdmin = await sessionCookie({ id: b.admin.id, clinicId: b.clinic.id, role: 'admin' });
    agentKey = (await createAgentKey(t.db(), { clinicSlug: a.clinic.slug, name: 'settings test' })).key;
  });

  const read = (cookie = admin) => callRoute(getRoute, { path: PATH, cookie });
  const save = (body: unknown, o: { cookie?: string; confirm?: boolean } = {}) =>
    callRoute(patchRoute, { method: 'PATCH', path: o.confirm ? `${PATH}?confirm=true` : PATH, body, cookie: o.cookie ?? admin });
  const version = async (cookie = admin) => (await read(cookie)).body.version as number;
  const agentStarts = async (date: string) => {
    const res = await callRoute(slots, {
      path: `/api/clinic/practitioners/${a.practitioner.id}/availability/slots?date=${date}&appointment_type_id=${a.type.id}`,
      params: { user_id: String(a.practitioner.id) },
      agentKey,
    });
    expect(res.status).toBe(200);
    return res.body.available_slots.map((s: { start_time: string }) => s.start_time);
  };

  it('reads the settings with their version and the LINE channel as "not set"', async () => {
    const res = await read();
    expect(res.status).toBe(200);
    expect(responses.clinicSettings.safeParse(res.body).success).toBe(true);
    expect(res.body).toEqual({
      name: 'Test Clinic',
      slug: a.clinic.slug,
      timezone: 'Asia/Taipei',
      slot_step_minutes: null,
      min_notice_minutes: 0,
      booking_window_days: null,
      max_appointments_per_day: null,
      max_upcoming_per_patient: null,
      cancellation_deadline_hours: null,
      version: 1,
      line_channel: { token_set: false, token_hint: null, secret_set: false, secret_hint: null, usable: false },
      encryption_configured: true,
    });
  });

  it("a new slot step or minimum notice changes the agent's slots on the very next request", async () => {
    const soon = addDays(clinicNow('Asia/Taipei', new Date()).date, 10);
    expect(await agentStarts(soon)).toEqual(['09:00', '10:00']); // cached by now

    const stepped = await save({ version: await version(), slot_step_minutes: 15 });
    expect(stepped.status).toBe(200);
    expect(stepped.body).toMatchObject({ slot_step_minutes: 15, version: 2 });
    expect(await agentStarts(soon)).toEqual(['09:00', '09:15', '09:30', '09:45', '10:00']);

    const noticed = await save({ version: 2, min_notice_minutes: 43_200 });
    expect(noticed.body).toMatchObject({ min_notice_minutes: 43_200, version: 3 });
    expect(await agentStarts(soon)).toEqual([]);

    const back = await save({ version: 3, slot_step_minutes: null, min_notice_minutes: 0 });
    expect(back.body).toMatchObject({ slot_step_minutes: null, min_notice_minutes: 0, version: 4 });
    expect(await agentStarts(soon)).toEqual(['09:00', '10:00']);

    const [entry] = await t
      .db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.clinicId, a.clinic.id), eq(auditLog.action, 'clinic.settings_updated')))
      .orderBy(desc(auditLog.id));
    expect(entry).toMatchObject({
      actorUserId: a.admin.id,
      entityType: 'clinic',
      details: {
        before: { name: 'Test Clinic', timezone: 'Asia/Taipei', slot_step_minutes: 15, min_notice_minutes: 43_200 },
        after: { name: 'Test Clinic', timezone: 'Asia/Taipei', slot_step_minutes: null, min_notice_minutes: 0 },
      },
    });
  });

  it('an edit on an old version is refused with the settings now (409 conflict), so a concurrent change is never lost silently', async () => {
    const seen = await version();
    const first = await save({ version: seen, name: 'Harbour Clinic' });
    expect(first.status).toBe(200);
    const before = await dbFingerprint(t.db());
    const second = await save({ version: seen, min_notice_minutes: 120 });
    expect(second).toEqual({
      status: 409,
      body: { error: 'conflict', message: expect.stringMatching(/changed the clinic settings first/), details: { current: first.body } },
    });
    expect(await dbFingerprint(t.db())).toEqual(before);
    // A save that changes nothing keeps the version.
    expect((await save({ version: first.body.version, name: 'Harbour Clinic' })).body.version).toBe(first.body.version);

    // Two saves of one version at the same moment: one wins, the other is told who did.
    const at = first.body.version;
    const [x, y] = await Promise.all([save({ version: at, min_notice_minutes: 30 }), save({ version: at, slot_step_minutes: 20 })]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const [won, lost] = x.status === 200 ? [x, y] : [y, x];
    expect(lost.body.details).toEqual({ current: won.body });
    await save({ version: at + 1, min_notice_minutes: 0, slot_step_minutes: null });
  });

  it('a new time zone with appointments ahead warns first, listing them with their wall-clock times; ?confirm=true saves and they stay as booked', async () => {
    const appt = await makeAppointment(t.db(), {
      userId: a.practitioner.id,
      patientId: a.patient.id,
      appointmentTypeId: a.type.id,
      date: '2031-12-01',
      startTime: '09:00',
      endTime: '10:00',
    });
    // A past one does not warn.
    await makeAppointment(t.db(), {
      userId: a.practitioner.id,
      patientId: a.patient.id,
      appointmentTypeId: a.type.id,
      date: '2020-01-06',
      startTime: '09:00',
      endTime: '10:00',
    });
    await t
      .db()
      .insert(googleConnections)
      .values({ userId: a.practitioner.id, clinicId: a.clinic.id, googleEmail: 'chen@example.com', state: 'connected' });
    const seen = await version();

    const before = await dbFingerprint(t.db());
    const warned = await save({ version: seen, timezone: 'Asia/Tokyo' });
    expect(warned.status).toBe(409);
    expect(warned.body).toEqual({
      warning: 'timezone_change',
      message: '1 upcoming appointment(s) keep their wall-clock times in the new time zone: 2031-12-01 09:00 stays 09:00 in Asia/Tokyo',
      details: {
        from_timezone: 'Asia/Taipei',
        to_timezone: 'Asia/Tokyo',
        total: 1,
        affected_appointments: [
          { calendar_event_id: appt.id, date: '2031-12-01', time: '09:00-10:00', patient: a.patient.fullName, practitioner: 'Dr. Chen' },
        ],
      },
    });
    expect(responses.warningResponse.safeParse(warned.body).success).toBe(true);
    expect(await dbFingerprint(t.db())).toEqual(before);

    const saved = await save({ version: seen, timezone: 'asia/tokyo' }, { confirm: true });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ timezone: 'Asia/Tokyo', version: seen + 1 });
    const [event] = await t.db().select().from(calendarEvents).where(eq(calendarEvents.id, appt.id));
    expect(event).toMatchObject({ date: '2031-12-01', startTime: '09:00:00', endTime: '10:00:00' });
    // The connected practitioner's Google copies are written again, in the new zone.
    const jobs = await t.db().select().from(outboxJobs).where(eq(outboxJobs.clinicId, a.clinic.id));
    expect(jobs.filter((j) => j.kind === 'google.upsert_event').map((j) => j.payload)).toContainEqual({
      practitioner_id: a.practitioner.id,
      calendar_event_id: appt.id,
    });
    const [row] = await t.db().select({ timezone: clinics.timezone }).from(clinics).where(eq(clinics.id, a.clinic.id));
    expect(row!.timezone).toBe('Asia/Tokyo');
  });

  it('a clinic with nothing booked ahead changes its time zone at once; only IANA names are accepted', async () => {
    const res = await save({ version: await version(otherAdmin), timezone: 'Europe/Berlin' }, { cookie: otherAdmin });
    expect(res.status).toBe(200);
    expect(res.body.timezone).toBe('Europe/Berlin');
    const before = await dbFingerprint(t.db());
    for (const timezone of ['Mars/Olympus_Mons', '+08:00', 'GMT+8', '', 'Asia/Taipei\u0000', 'x'.repeat(65), 8]) {
      const refused = await save({ version: 1, timezone }, { cookie: otherAdmin });
      expect(refused.status, String(timezone)).toBe(400);
      expect(refused.body.error).toBe('validation_error');
    }
    for (const body of [
      { slot_step_minutes: 4 },
      { slot_step_minutes: 241 },
      { slot_step_minutes: 7.5 },
      { min_notice_minutes: -1 },
      { min_notice_minutes: 43_201 },
      { name: ' ' },
    ]) {
      expect((await save({ version: 2, ...body }, { cookie: otherAdmin })).status, JSON.stringify(body)).toBe(400);
    }
    // The version alone changes nothing.
    expect((await save({ version: 2 }, { cookie: otherAdmin })).body).toMatchObject({ version: 2, timezone: 'Europe/Berlin' });
    expect(await dbFingerprint(t.db())).toEqual(before);
  });

  it('is for admins: practitioners and the agent 403, and each admin sees and changes their own clinic only', async () => {
    const before = await dbFingerprint(t.db());
    expect((await read(practitioner)).status).toBe(403);
    expect((await save({ version: 1, name: 'Sneaky' }, { cookie: practitioner })).status).toBe(403);
    expect((await callRoute(getRoute, { path: PATH, agentKey })).status).toBe(403);
    expect((await callRoute(patchRoute, { method: 'PATCH', path: PATH, agentKey, body: { version: 1, name: 'x' } })).status).toBe(403);
    expect((await read(otherAdmin)).body.slug).toBe(b.clinic.slug);
    expect(await dbFingerprint(t.db())).toEqual(before);
  });
});
