import { and, desc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { POST as archiveRoute } from '@/app/api/clinic/admin/appointment-types/[appointment_type_id]/archive/route';
import { POST as restoreRoute } from '@/app/api/clinic/admin/appointment-types/[appointment_type_id]/restore/route';
import { PATCH as patchRoute } from '@/app/api/clinic/admin/appointment-types/[appointment_type_id]/route';
import { GET as listRoute, POST as createRoute } from '@/app/api/clinic/admin/appointment-types/route';
import { GET as agentTypes } from '@/app/api/clinic/appointment-types/route';
import { POST as book } from '@/app/api/clinic/appointments/route';
import { GET as calendar } from '@/app/api/clinic/practitioners/[user_id]/availability/calendar/route';
import { GET as slots } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/route';
import { appointmentTypes, auditLog, calendarEvents } from '@/lib/db/schema';
import { loadEventForGoogle } from '@/lib/queries/google';
import * as responses from '@/lib/schemas/responses';
import { createAgentKey } from '@/lib/services/agent-keys';
import { dbFingerprint } from '../support/db-fingerprint';
import { useTestDatabase } from '../support/db';
import { makeAppointment, makeClinicWithStaff, setWeek } from '../support/factories';
import { callRoute, sessionCookie, staffCookies } from '../support/http';

const DATE = '2031-03-05'; // a Wednesday
const WEEK = Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [d, [['09:00', '12:00']]])) as Record<number, Array<[string, string]>>;
const BASE = '/api/clinic/admin/appointment-types';

describe('appointment types, as the clinic admin manages them', () => {
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
    agentKey = (await createAgentKey(t.db(), { clinicSlug: a.clinic.slug, name: 'types test' })).key;
  });

  const create = (body: unknown, cookie = admin) => callRoute(createRoute, { method: 'POST', path: BASE, body, cookie });
  const patch = (id: number, body: unknown, cookie = admin) =>
    callRoute(patchRoute, { method: 'PATCH', path: `${BASE}/${id}`, params: { appointment_type_id: String(id) }, body, cookie });
  const archive = (id: number, version: number, cookie = admin) =>
    callRoute(archiveRoute, {
      method: 'POST',
      path: `${BASE}/${id}/archive`,
      params: { appointment_type_id: String(id) },
      body: { version },
      cookie,
    });
  const restore = (id: number, version: number, cookie = admin) =>
    callRoute(restoreRoute, {
      method: 'POST',
      path: `${BASE}/${id}/restore`,
      params: { appointment_type_id: String(id) },
      body: { version },
      cookie,
    });
  const list = (cookie = admin) => callRoute(listRoute, { path: BASE, cookie });
  const agentSlots = (typeId: number) =>
    callRoute(slots, {
      path: `/api/clinic/practitioners/${a.practitioner.id}/availability/slots?date=${DATE}&appointment_type_id=${typeId}`,
      params: { user_id: String(a.practitioner.id) },
      agentKey,
    });
  const starts = (res: { body: { available_slots: Array<{ start_time: string; end_time: string }> } }) =>
    res.body.available_slots.map((s) => `${s.start_time}-${s.end_time}`);
  const auditOf = (id: number) =>
    t
      .db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'appointment_type'), eq(auditLog.entityId, String(id))))
      .orderBy(desc(auditLog.id));

  it('lists every type with colour, archive state and version; creates one (201), audited with what it is', async () => {
    const before = await list();
    expect(before.status).toBe(200);
    expect(responses.adminAppointmentTypeList.safeParse(before.body).success).toBe(true);
    expect(before.body).toEqual([
      expect.objectContaining({
        id: a.type.id,
        name: a.type.name,
        duration_minutes: 60,
        color: null,
        archived: false,
        archived_at: null,
        version: 1,
      }),
    ]);

    const res = await create({ name: '  物理治療 ', duration_minutes: 45, buffer_after_minutes: 15, color: '#3366FF' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      name: '物理治療',
      duration_minutes: 45,
      buffer_before_minutes: 0,
      buffer_after_minutes: 15,
      color: '#3366ff',
      booking_window_days: null,
      min_notice_minutes: null,
      archived: false,
      archived_at: null,
      version: 1,
      updated_at: expect.any(String),
    });
    const [entry] = await auditOf(res.body.id);
    expect(entry).toMatchObject({
      action: 'appointment_type.created',
      actorType: 'user',
      actorUserId: a.admin.id,
      details: { after: { name: '物理治療', duration_minutes: 45, buffer_before_minutes: 0, buffer_after_minutes: 15, color: '#3366ff' } },
    });
    // The agent is offered it at once.
    const offered = await callRoute(agentTypes, { path: '/api/clinic/appointment-types', agentKey });
    expect(offered.body.map((x: { name: string }) => x.name)).toContain('物理治療');
  });

  it('refuses a name in use in the clinic, whatever its case (409 conflict), creating and renaming; another clinic may use it', async () => {
    const first = await create({ name: 'Follow-up Visit', duration_minutes: 30 });
    expect(first.status).toBe(201);
    for (const name of ['Follow-up Visit', 'follow-up visit', 'FOLLOW-UP VISIT', ' Follow-Up visit ']) {
      const before = await dbFingerprint(t.db());
      const res = await create({ name, duration_minutes: 20 });
      expect(res.status, name).toBe(409);
      expect(res.body).toEqual({ error: 'conflict', message: expect.stringMatching(/already in use/), details: { field: 'name' } });
      expect(await dbFingerprint(t.db())).toEqual(before);
    }
    const other = await create({ name: 'Other', duration_minutes: 30 });
    const rename = await patch(other.body.id, { version: 1, name: 'FOLLOW-UP visit' });
    expect(rename.status).toBe(409);
    expect(rename.body.error).toBe('conflict');
    expect((await create({ name: 'follow-up visit', duration_minutes: 30 }, otherAdmin)).status).toBe(201);
    // Renaming a type to its own name in another case is fine.
    const recased = await patch(first.body.id, { version: 1, name: 'FOLLOW-UP VISIT' });
    expect(recased.status).toBe(200);
    expect(recased.body).toMatchObject({ name: 'FOLLOW-UP VISIT', version: 2 });
  });

  it('two admins editing one type: the second, on the old version, is told (409 conflict with the type now) and nothing is lost', async () => {
    const created = await create({ name: 'Massage', duration_minutes: 30 });
    const id = created.body.id as number;
    // Both read version 1.
    const first = await patch(id, { version: 1, name: 'Massage 60', duration_minutes: 60 });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ name: 'Massage 60', duration_minutes: 60, version: 2 });

    const before = await dbFingerprint(t.db());
    const second = await patch(id, { version: 1, color: '#00aa00' });
    expect(second.status).toBe(409);
    expect(second.body).toEqual({
      error: 'conflict',
      message: expect.stringMatching(/changed this appointment type first/),
      details: { current: first.body },
    });
    expect(await dbFingerprint(t.db())).toEqual(before);

    // After reloading, the second admin's change goes through on top of the first's.
    const retried = await patch(id, { version: 2, color: '#00aa00' });
    expect(retried.body).toMatchObject({ name: 'Massage 60', duration_minutes: 60, color: '#00aa00', version: 3 });
    const [entry] = await auditOf(id);
    expect(entry).toMatchObject({
      action: 'appointment_type.updated',
      details: { before: { color: null, name: 'Massage 60' }, after: { color: '#00aa00', name: 'Massage 60' } },
    });
    // A save that changes nothing keeps the version and writes no entry.
    const same = await patch(id, { version: 3, color: '#00AA00' });
    expect(same.body.version).toBe(3);
    expect(await auditOf(id)).toHaveLength(3);
  });

  it('two edits of one version sent at the same moment: exactly one is saved, the other is told (409) with the winner', async () => {
    const created = await create({ name: 'Race', duration_minutes: 30 });
    const id = created.body.id as number;
    const [x, y] = await Promise.all([patch(id, { version: 1, duration_minutes: 45 }), patch(id, { version: 1, color: '#123456' })]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const [won, lost] = x.status === 200 ? [x, y] : [y, x];
    expect(lost.body).toEqual({ error: 'conflict', message: expect.any(String), details: { current: won.body } });
    const [row] = await t.db().select().from(appointmentTypes).where(eq(appointmentTypes.id, id));
    expect(row!.version).toBe(2);
  });

  it('a repeated create with the same Idempotency-Key makes one type and answers the first answer', async () => {
    const send = () =>
      callRoute(createRoute, {
        method: 'POST',
        path: BASE,
        body: { name: 'Twice tapped', duration_minutes: 30 },
        cookie: admin,
        headers: { 'Idempotency-Key': 'tap-1' },
      });
    const first = await send();
    const again = await send();
    expect(first.status).toBe(201);
    expect(again).toEqual(first);
    expect((await list()).body.filter((x: { name: string }) => x.name === 'Twice tapped')).toHaveLength(1);
  });

  it('a new duration never changes booked appointments; the agent is offered the new length from the next request', async () => {
    const created = await create({ name: 'Acupuncture', duration_minutes: 60 });
    const id = created.body.id as number;
    const booked = await makeAppointment(t.db(), {
      userId: a.practitioner.id,
      patientId: a.patient.id,
      appointmentTypeId: id,
      date: DATE,
      startTime: '09:00',
      endTime: '10:00',
    });
    expect(starts(await agentSlots(id))).toEqual(['10:00-11:00', '11:00-12:00']);

    const res = await patch(id, { version: 1, duration_minutes: 30, buffer_before_minutes: 0 });
    expect(res.status).toBe(200);
    const [event] = await t.db().select().from(calendarEvents).where(eq(calendarEvents.id, booked.id));
    expect(event).toMatchObject({ date: DATE, startTime: '09:00:00', endTime: '10:00:00' });
    const day = await callRoute(calendar, {
      path: `/api/clinic/practitioners/${a.practitioner.id}/availability/calendar?date=${DATE}`,
      params: { user_id: String(a.practitioner.id) },
      cookie: admin,
    });
    expect(day.body.events).toEqual([expect.objectContaining({ calendar_event_id: booked.id, start_time: '09:00', end_time: '10:00' })]);
    expect(starts(await agentSlots(id))).toEqual(['10:00-10:30', '10:30-11:00', '11:00-11:30', '11:30-12:00']);
  });

  it('an archived type is offered to no one (list, slots, booking are 404 like an unknown type) but its appointments keep its name', async () => {
    const created = await create({ name: '徒手治療', duration_minutes: 60 });
    const id = created.body.id as number;
    const booked = await makeAppointment(t.db(), {
      userId: a.practitioner.id,
      patientId: a.patient.id,
      appointmentTypeId: id,
      date: '2031-03-06',
      startTime: '09:00',
      endTime: '10:00',
    });
    expect((await agentSlots(id)).status).toBe(200);

    const res = await archive(id, 1);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ archived: true, archived_at: expect.any(String), version: 2 });
    expect((await auditOf(id))[0]).toMatchObject({
      action: 'appointment_type.archived',
      details: { before: { archived: false }, after: { archived: true } },
    });

    const offered = await callRoute(agentTypes, { path: '/api/clinic/appointment-types', agentKey });
    expect(offered.body.map((x: { id: number }) => x.id)).not.toContain(id);
    expect(await agentSlots(id)).toEqual({ status: 404, body: { error: 'not_found', message: 'Appointment type not found' } });
    const booking = await callRoute(book, {
      method: 'POST',
      path: '/api/clinic/appointments',
      agentKey,
      body: { practitioner_id: a.practitioner.id, patient_id: a.patient.id, appointment_type_id: id, date: DATE, start_time: '11:00' },
    });
    expect(booking).toEqual({ status: 404, body: { error: 'not_found', message: 'Appointment type not found' } });

    // Its appointment still reads "<patient> - 徒手治療", in the day view and in its Google copy.
    const day = await callRoute(calendar, {
      path: `/api/clinic/practitioners/${a.practitioner.id}/availability/calendar?date=2031-03-06`,
      params: { user_id: String(a.practitioner.id) },
      cookie: practitioner,
    });
    expect(day.body.events).toEqual([
      expect.objectContaining({ calendar_event_id: booked.id, title: `${a.patient.fullName} - 徒手治療`, appointment_type_name: '徒手治療' }),
    ]);
    expect((await loadEventForGoogle(t.db(), { calendarEventId: booked.id }))?.facts).toMatchObject({ appointmentType: '徒手治療' });
    // The admin still lists it, archived.
    expect((await list()).body.find((x: { id: number }) => x.id === id)).toMatchObject({ archived: true });

    // Archiving again changes nothing.
    expect((await archive(id, 2)).body.version).toBe(2);
  });

  it('an archived name may be used again; restoring then is 409 until one is renamed; restored types are offered again', async () => {
    const old = await create({ name: 'Cupping', duration_minutes: 30 });
    const archived = await archive(old.body.id, 1);
    const again = await create({ name: 'cupping', duration_minutes: 45 });
    expect(again.status).toBe(201);

    const refused = await restore(old.body.id, archived.body.version);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'conflict', message: expect.stringMatching(/already in use/) });

    expect((await patch(old.body.id, { version: archived.body.version, name: 'Cupping (old)' })).status).toBe(200);
    const restored = await restore(old.body.id, archived.body.version + 1);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ name: 'Cupping (old)', archived: false, archived_at: null });
    expect((await auditOf(old.body.id))[0]).toMatchObject({ action: 'appointment_type.restored' });
    expect((await agentSlots(old.body.id)).status).toBe(200);
    // A stale version is refused for archiving too, with the type now.
    const stale = await archive(old.body.id, 1);
    expect(stale).toEqual({ status: 409, body: { error: 'conflict', message: expect.any(String), details: { current: restored.body } } });
  });

  it('refuses bad values with 400 and changes nothing', async () => {
    const before = await dbFingerprint(t.db());
    for (const body of [
      { name: '', duration_minutes: 30 },
      { name: 'A\u0000B', duration_minutes: 30 },
      { name: 'x'.repeat(101), duration_minutes: 30 },
      { name: 'Zero', duration_minutes: 0 },
      { name: 'Long', duration_minutes: 721 },
      { name: 'Half', duration_minutes: 30.5 },
      { name: 'Buffer', duration_minutes: 30, buffer_before_minutes: -5 },
      { name: 'Red', duration_minutes: 30, color: 'red' },
      { name: 'Short hex', duration_minutes: 30, color: '#abc' },
      { name: 'Extra', duration_minutes: 30, clinic_id: b.clinic.id },
    ]) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toBe('validation_error');
    }
    for (const body of [{ name: 'No version' }, { version: 0, name: 'x' }, { version: '1', name: 'x' }]) {
      expect((await patch(a.type.id, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect(await dbFingerprint(t.db())).toEqual(before);
  });

  it('is for the admin of the clinic only: practitioners and the agent 403, another clinic and unknown ids 404', async () => {
    const before = await dbFingerprint(t.db());
    expect((await list(practitioner)).status).toBe(403);
    expect((await create({ name: 'Sneaky', duration_minutes: 30 }, practitioner)).status).toBe(403);
    expect((await patch(a.type.id, { version: 1, name: 'Sneaky' }, practitioner)).status).toBe(403);
    expect((await archive(a.type.id, 1, practitioner)).status).toBe(403);
    expect((await callRoute(listRoute, { path: BASE, agentKey })).status).toBe(403);
    expect((await patch(a.type.id, { version: 1, name: 'Sneaky' }, otherAdmin)).status).toBe(404);
    expect((await archive(a.type.id, 1, otherAdmin)).status).toBe(404);
    expect((await restore(a.type.id, 1, otherAdmin)).status).toBe(404);
    expect((await patch(2_000_000_000, { version: 1, name: 'x' })).status).toBe(404);
    expect((await list(otherAdmin)).body.map((x: { id: number }) => x.id)).not.toContain(a.type.id);
    expect(await dbFingerprint(t.db())).toEqual(before);
    const [row] = await t.db().select().from(appointmentTypes).where(eq(appointmentTypes.id, a.type.id));
    expect(row!.name).toBe(a.type.name);
  });
});
