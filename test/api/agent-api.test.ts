import { and, count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as clinicSlots } from '@/app/api/clinic/availability/slots/route';
import { POST as cancel } from '@/app/api/clinic/appointments/[calendar_event_id]/cancel/route';
import { POST as book } from '@/app/api/clinic/appointments/route';
import { POST as createPatient } from '@/app/api/clinic/patients/route';
import { GET as slots } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/route';
import { GET as practitioners } from '@/app/api/clinic/practitioners/route';
import { onQuery } from '@/lib/db/client';
import { agentKeys, appointments, auditLog, calendarEvents, clinics, outboxJobs, patients } from '@/lib/db/schema';
import { createAgentKey } from '@/lib/services/agent-keys';
import { clinicNow } from '@/lib/time/clinic-clock';
import { systemClock } from '@/lib/time/clock';
import { addDays } from '@/lib/time/dates';
import * as responses from '@/lib/schemas/responses';
import { useTestDatabase } from '../support/db';
import { makeAppointment, makeAppointmentType, makeClinicWithStaff, makeException, makeUser, setWeek } from '../support/factories';
import { callRoute } from '../support/http';

const WED = '2031-03-05';
const ALL_WEEK = Object.fromEntries(
  [0, 1, 2, 3, 4, 5, 6].map((d) => [
    d,
    [
      ['09:00', '12:00'],
      ['14:00', '18:00'],
    ],
  ]),
) as Record<number, Array<[string, string]>>;

describe('AI agent API', () => {
  const t = useTestDatabase();
  let a: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let b: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let key: string;
  let short: { id: number };

  beforeAll(async () => {
    a = await makeClinicWithStaff(t.db());
    b = await makeClinicWithStaff(t.db());
    key = (await createAgentKey(t.db(), { clinicSlug: a.clinic.slug, name: 'LINE agent' })).key;
    short = await makeAppointmentType(t.db(), { clinicId: a.clinic.id, name: '一般複診', durationMinutes: 30 });
    await setWeek(t.db(), a.practitioner.id, ALL_WEEK);
    await setWeek(t.db(), a.colleague.id, { 3: [['13:00', '15:00']] });
    await setWeek(t.db(), b.practitioner.id, ALL_WEEK);
  });

  const daySlots = async (practitionerId: number, date: string, typeId: number, agentKey = key) => {
    const res = await callRoute(slots, {
      path: `/api/clinic/practitioners/${practitionerId}/availability/slots?date=${date}&appointment_type_id=${typeId}`,
      params: { user_id: String(practitionerId) },
      agentKey,
    });
    return res;
  };
  const starts = (res: { body: { available_slots: Array<{ start_time: string }> } }) => res.body.available_slots.map((s) => s.start_time);
  const post = (handler: Parameters<typeof callRoute>[0], path: string, body: unknown, agentKey = key, params: Record<string, string> = {}) =>
    callRoute(handler, { method: 'POST', path, body, agentKey, params });

  it("lists practitioners and offers slots of the type's duration on the interval grid", async () => {
    expect((await callRoute(practitioners, { path: '/api/clinic/practitioners', agentKey: key })).body).toEqual([
      { id: a.practitioner.id, name: 'Dr. Chen' },
      { id: a.colleague.id, name: 'Dr. Lin' },
    ]);
    const hour = await daySlots(a.practitioner.id, WED, a.type.id);
    expect(hour.status).toBe(200);
    // A day without appointments recommends the edges of its working intervals (README "Recommended starts").
    expect(hour.body.available_slots).toEqual([
      { start_time: '09:00', end_time: '10:00', recommended: true },
      { start_time: '10:00', end_time: '11:00' },
      { start_time: '11:00', end_time: '12:00', recommended: true },
      { start_time: '14:00', end_time: '15:00', recommended: true },
      { start_time: '15:00', end_time: '16:00' },
      { start_time: '16:00', end_time: '17:00' },
      { start_time: '17:00', end_time: '18:00', recommended: true },
    ]);
    expect(starts(await daySlots(a.practitioner.id, WED, short.id))).toHaveLength(14);
  });

  it('leaves out exceptions, confirmed appointments (with buffers) and follows the clinic step', async () => {
    const day = '2031-03-12';
    await makeException(t.db(), { userId: a.practitioner.id, date: day, startTime: '15:00', endTime: '16:30' });
    await makeAppointment(t.db(), {
      userId: a.practitioner.id,
      patientId: a.patient.id,
      appointmentTypeId: a.type.id,
      date: day,
      startTime: '10:00',
      endTime: '11:00',
    });
    await makeAppointment(t.db(), {
      userId: a.practitioner.id,
      patientId: a.patient.id,
      appointmentTypeId: a.type.id,
      date: day,
      startTime: '09:00',
      endTime: '10:00',
      status: 'canceled_by_patient',
    });
    expect(starts(await daySlots(a.practitioner.id, day, a.type.id))).toEqual(['09:00', '11:00', '14:00', '17:00']);
    await t.db().update(clinics).set({ slotStepMinutes: 30 }).where(eq(clinics.id, a.clinic.id));
    try {
      expect(starts(await daySlots(a.practitioner.id, day, a.type.id))).toEqual(['09:00', '11:00', '14:00', '16:30', '17:00']);
      const buffered = await makeAppointmentType(t.db(), {
        clinicId: a.clinic.id,
        name: '徒手治療',
        durationMinutes: 30,
        bufferBeforeMinutes: 15,
        bufferAfterMinutes: 15,
      });
      expect(starts(await daySlots(a.practitioner.id, day, buffered.id))).toEqual(['09:00', '11:30', '14:00', '14:30', '16:30', '17:00', '17:30']);
    } finally {
      await t.db().update(clinics).set({ slotStepMinutes: null }).where(eq(clinics.id, a.clinic.id));
    }
    await makeException(t.db(), { userId: a.practitioner.id, date: '2031-03-13' });
    expect(starts(await daySlots(a.practitioner.id, '2031-03-13', a.type.id))).toEqual([]);
  });

  it('never offers past times or times inside the minimum notice', async () => {
    const always = Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [d, [['00:00', '24:00']]])) as Record<number, Array<[string, string]>>;
    await setWeek(t.db(), a.colleague.id, always);
    const now = clinicNow('Asia/Taipei', systemClock());
    const today = starts(await daySlots(a.colleague.id, now.date, short.id));
    const minutes = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));
    expect(today.every((s) => minutes(s) >= now.minutes)).toBe(true);
    expect(starts(await daySlots(a.colleague.id, addDays(now.date, -1), short.id))).toEqual([]);
    await t
      .db()
      .update(clinics)
      .set({ minNoticeMinutes: 48 * 60 })
      .where(eq(clinics.id, a.clinic.id));
    try {
      expect(starts(await daySlots(a.colleague.id, addDays(now.date, 1), short.id))).toEqual([]);
      expect(starts(await daySlots(a.colleague.id, addDays(now.date, 3), short.id))).toHaveLength(48);
    } finally {
      await t.db().update(clinics).set({ minNoticeMinutes: 0 }).where(eq(clinics.id, a.clinic.id));
    }
  });

  it('answers a range that matches the per-day answers, every date listed', async () => {
    const from = '2031-03-10';
    const to = '2031-03-23';
    const range = await callRoute(slots, {
      path: `/api/clinic/practitioners/${a.practitioner.id}/availability/slots?from=${from}&to=${to}&appointment_type_id=${a.type.id}`,
      params: { user_id: String(a.practitioner.id) },
      agentKey: key,
    });
    expect(range.status).toBe(200);
    expect(range.body.days.map((d: { date: string }) => d.date)).toEqual(Array.from({ length: 14 }, (_, i) => addDays(from, i)));
    for (const day of range.body.days) {
      expect(day.available_slots).toEqual((await daySlots(a.practitioner.id, day.date, a.type.id)).body.available_slots);
    }
  });

  it('costs a fixed number of queries: one day or 62, two practitioners or twelve', async () => {
    const queries = async (call: () => Promise<{ status: number }>) => {
      let n = 0;
      // The key's rate-limit bookkeeping costs two more queries when a new minute starts; not slot work.
      const off = onQuery((q) => {
        if (!/rate_limit_buckets|agent_keys/.test(q)) n += 1;
      });
      try {
        expect((await call()).status).toBe(200);
      } finally {
        off();
      }
      return n;
    };
    const range = (to: string) => () =>
      callRoute(slots, {
        path: `/api/clinic/practitioners/${a.practitioner.id}/availability/slots?from=2031-05-01&to=${to}&appointment_type_id=${a.type.id}`,
        params: { user_id: String(a.practitioner.id) },
        agentKey: key,
      });
    const oneDay = await queries(range('2031-05-01'));
    expect(await queries(range('2031-07-01'))).toBe(oneDay);
    const everyone = () =>
      callRoute(clinicSlots, { path: `/api/clinic/availability/slots?date=${WED}&appointment_type_id=${a.type.id}`, agentKey: key });
    const two = await queries(everyone);
    const c = await makeClinicWithStaff(t.db());
    const crowdKey = (await createAgentKey(t.db(), { clinicSlug: c.clinic.slug, name: 'crowd' })).key;
    for (let i = 0; i < 10; i++) await makeUser(t.db(), { clinicId: c.clinic.id, name: `Dr. ${i}` });
    const crowd = () =>
      callRoute(clinicSlots, { path: `/api/clinic/availability/slots?date=${WED}&appointment_type_id=${c.type.id}`, agentKey: crowdKey });
    // A clinic's first request also loads its settings, types and practitioners (lib/queries/clinic-cache.ts).
    await crowd();
    const twelve = await queries(crowd);
    expect(twelve).toBe(two);
  });

  it('answers "anyone free?" for every practitioner of the clinic', async () => {
    const res = await callRoute(clinicSlots, { path: `/api/clinic/availability/slots?date=${WED}&appointment_type_id=${short.id}`, agentKey: key });
    expect(res.status).toBe(200);
    expect(res.body.date).toBe(WED);
    expect(res.body.practitioners.map((p: { id: number; name: string }) => [p.id, p.name])).toEqual([
      [a.practitioner.id, 'Dr. Chen'],
      [a.colleague.id, 'Dr. Lin'],
    ]);
    expect(res.body.practitioners[0].available_slots).toEqual((await daySlots(a.practitioner.id, WED, short.id)).body.available_slots);
  });

  it('finds or creates patients by LINE user id', async () => {
    const line = `U${'a'.repeat(32)}`;
    const first = await post(createPatient, '/api/clinic/patients', { full_name: '張太太', phone_number: '0955-777-888', line_user_id: line });
    expect(first).toEqual({ status: 201, body: { id: expect.any(Number), full_name: '張太太', phone_number: '0955-777-888', line_user_id: line } });
    const again = await post(createPatient, '/api/clinic/patients', { full_name: '張太太 (again)', line_user_id: line });
    expect(again).toEqual({ status: 200, body: first.body });
    // Another clinic's agent makes its own patient for the same LINE user.
    const keyB = (await createAgentKey(t.db(), { clinicSlug: b.clinic.slug, name: 'B' })).key;
    const other = await post(createPatient, '/api/clinic/patients', { full_name: '張太太', line_user_id: line }, keyB);
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(first.body.id);
  });

  it('books a free slot, then refuses the same time; cancels for the patient; both are audited', async () => {
    const booked = await post(book, '/api/clinic/appointments', {
      practitioner_id: a.practitioner.id,
      patient_id: a.patient.id,
      appointment_type_id: a.type.id,
      date: WED,
      start_time: '10:00',
    });
    expect(booked).toEqual({
      status: 201,
      body: {
        calendar_event_id: expect.any(Number),
        practitioner_id: a.practitioner.id,
        patient_id: a.patient.id,
        appointment_type_id: a.type.id,
        date: WED,
        start_time: '10:00',
        end_time: '11:00',
        status: 'confirmed',
      },
    });
    expect(starts(await daySlots(a.practitioner.id, WED, a.type.id))).not.toContain('10:00');
    const twice = await post(book, '/api/clinic/appointments', {
      practitioner_id: a.practitioner.id,
      patient_id: a.patient.id,
      appointment_type_id: short.id,
      date: WED,
      start_time: '10:30',
    });
    expect(twice).toMatchObject({ status: 409, body: { error: 'slot_unavailable', message: expect.any(String) } });
    // Not on the grid, outside hours: not a slot either.
    expect(
      (
        await post(book, '/api/clinic/appointments', {
          practitioner_id: a.practitioner.id,
          patient_id: a.patient.id,
          appointment_type_id: a.type.id,
          date: WED,
          start_time: '09:30',
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await post(book, '/api/clinic/appointments', {
          practitioner_id: a.practitioner.id,
          patient_id: a.patient.id,
          appointment_type_id: a.type.id,
          date: WED,
          start_time: '19:00',
        })
      ).status,
    ).toBe(409);

    const id = booked.body.calendar_event_id;
    const canceled = await post(cancel, `/api/clinic/appointments/${id}/cancel`, undefined, key, { calendar_event_id: String(id) });
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({ calendar_event_id: id, status: 'canceled_by_patient', date: WED, start_time: '10:00' });
    expect(starts(await daySlots(a.practitioner.id, WED, a.type.id))).toContain('10:00');
    const repeat = await post(cancel, `/api/clinic/appointments/${id}/cancel`, undefined, key, { calendar_event_id: String(id) });
    expect(repeat.body.status).toBe('canceled_by_patient');
    const audit = await t
      .db()
      .select({ action: auditLog.action, actor: auditLog.actorType, keyId: auditLog.actorAgentKeyId })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'appointment'), eq(auditLog.entityId, String(id))));
    const [agentKeyRow] = await t.db().select({ id: agentKeys.id }).from(agentKeys).where(eq(agentKeys.clinicId, a.clinic.id));
    expect(audit).toEqual([
      { action: 'appointment.booked', actor: 'agent', keyId: agentKeyRow!.id },
      { action: 'appointment.canceled_by_patient', actor: 'agent', keyId: agentKeyRow!.id },
    ]);
    // The patient asked in the chat: no separate LINE push for it.
    expect(await t.db().select().from(outboxJobs).where(eq(outboxJobs.kind, 'line.push'))).toHaveLength(0);
  });

  it('answers in the shapes the OpenAPI document promises', async () => {
    const check = (schema: { safeParse: (v: unknown) => { success: boolean; error?: unknown } }, value: unknown) => {
      const r = schema.safeParse(value);
      expect(r.error ?? null).toBeNull();
    };
    check(responses.practitionerList, (await callRoute(practitioners, { path: '/api/clinic/practitioners', agentKey: key })).body);
    check(responses.daySlots, (await daySlots(a.practitioner.id, WED, a.type.id)).body);
    check(
      responses.rangeSlots,
      (
        await callRoute(slots, {
          path: `/api/clinic/practitioners/${a.practitioner.id}/availability/slots?from=${WED}&to=2031-03-07&appointment_type_id=${a.type.id}`,
          params: { user_id: String(a.practitioner.id) },
          agentKey: key,
        })
      ).body,
    );
    check(
      responses.clinicSlots,
      (await callRoute(clinicSlots, { path: `/api/clinic/availability/slots?date=${WED}&appointment_type_id=${a.type.id}`, agentKey: key })).body,
    );
    check(responses.patient, (await post(createPatient, '/api/clinic/patients', { full_name: '李小姐' })).body);
    const booked = await post(book, '/api/clinic/appointments', {
      practitioner_id: a.practitioner.id,
      patient_id: a.patient.id,
      appointment_type_id: a.type.id,
      date: '2031-03-19',
      start_time: '14:00',
    });
    check(responses.appointment, booked.body);
    const id = booked.body.calendar_event_id;
    check(
      responses.canceledAppointment,
      (await post(cancel, `/api/clinic/appointments/${id}/cancel`, undefined, key, { calendar_event_id: String(id) })).body,
    );
    check(responses.errorResponse, (await daySlots(b.practitioner.id, WED, a.type.id)).body);
  });

  it("keeps a key inside its clinic: another clinic's ids are 404", async () => {
    const foreignAppt = await makeAppointment(t.db(), {
      userId: b.practitioner.id,
      patientId: b.patient.id,
      appointmentTypeId: b.type.id,
      date: WED,
      startTime: '09:00',
      endTime: '10:00',
    });
    expect((await daySlots(b.practitioner.id, WED, b.type.id)).status).toBe(404);
    expect((await daySlots(a.practitioner.id, WED, b.type.id)).body).toEqual({ error: 'not_found', message: 'Appointment type not found' });
    expect(
      (
        await post(book, '/api/clinic/appointments', {
          practitioner_id: b.practitioner.id,
          patient_id: a.patient.id,
          appointment_type_id: a.type.id,
          date: WED,
          start_time: '14:00',
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await post(book, '/api/clinic/appointments', {
          practitioner_id: a.practitioner.id,
          patient_id: b.patient.id,
          appointment_type_id: a.type.id,
          date: WED,
          start_time: '14:00',
        })
      ).body.message,
    ).toBe('Patient not found');
    expect(
      (await post(cancel, `/api/clinic/appointments/${foreignAppt.id}/cancel`, undefined, key, { calendar_event_id: String(foreignAppt.id) })).status,
    ).toBe(404);
    const [row] = await t.db().select({ s: appointments.status }).from(appointments).where(eq(appointments.calendarEventId, foreignAppt.id));
    expect(row!.s).toBe('confirmed');
  });

  it('refuses a revoked key with 401', async () => {
    const revoked = await createAgentKey(t.db(), { clinicSlug: a.clinic.slug, name: 'old' });
    expect((await daySlots(a.practitioner.id, WED, a.type.id, revoked.key)).status).toBe(200);
    await t.db().update(agentKeys).set({ revokedAt: new Date() }).where(eq(agentKeys.id, revoked.id));
    expect((await daySlots(a.practitioner.id, WED, a.type.id, revoked.key)).status).toBe(401);
  });

  it('rate-limits each key per minute with 429 and Retry-After', async () => {
    const limited = await createAgentKey(t.db(), { clinicSlug: a.clinic.slug, name: 'busy' });
    process.env.AGENT_RATE_LIMIT_PER_MINUTE = '3';
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await daySlots(a.practitioner.id, WED, a.type.id, limited.key)).status);
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      // A minute boundary may reset the window once; the fourth or fifth call is over the limit.
      expect(statuses.slice(3)).toContain(429);
      const res = await callRoute(practitioners, { path: '/api/clinic/practitioners', agentKey: limited.key });
      if (res.status === 429) expect(res.body).toMatchObject({ error: 'rate_limited', details: { limit_per_minute: 3 } });
      // Another key has its own budget.
      const fresh = await createAgentKey(t.db(), { clinicSlug: a.clinic.slug, name: 'fresh' });
      expect((await daySlots(a.practitioner.id, WED, a.type.id, fresh.key)).status).toBe(200);
    } finally {
      delete process.env.AGENT_RATE_LIMIT_PER_MINUTE;
    }
  });

  describe('malformed requests get 400 in the contract shape and change nothing', () => {
    const bookBody = { practitioner_id: 1, patient_id: 1, appointment_type_id: 1, date: WED, start_time: '10:00' };
    const cases: Array<[string, Parameters<typeof callRoute>[0], string, unknown]> = [
      ['patient without a name', createPatient, '/api/clinic/patients', { line_user_id: `U${'b'.repeat(32)}` }],
      ['patient with an empty name', createPatient, '/api/clinic/patients', { full_name: '  ' }],
      ['patient with a bad LINE id', createPatient, '/api/clinic/patients', { full_name: 'x', line_user_id: 'not-a-line-id' }],
      ['patient with an unknown field', createPatient, '/api/clinic/patients', { full_name: 'x', email: 'x@y.z' }],
      ['patient body that is an array', createPatient, '/api/clinic/patients', []],
      ['booking without a start', book, '/api/clinic/appointments', { ...bookBody, start_time: undefined }],
      ['booking with a string id', book, '/api/clinic/appointments', { ...bookBody, practitioner_id: '1' }],
      ['booking with a negative id', book, '/api/clinic/appointments', { ...bookBody, patient_id: -4 }],
      ['booking on an impossible date', book, '/api/clinic/appointments', { ...bookBody, date: '2031-02-29' }],
      ['booking at 25:00', book, '/api/clinic/appointments', { ...bookBody, start_time: '25:00' }],
      ['booking with a huge id', book, '/api/clinic/appointments', { ...bookBody, appointment_type_id: 1e12 }],
      ['booking with null', book, '/api/clinic/appointments', null],
    ];
    it.each(cases)('%s', async (_name, handler, path, body) => {
      const before = [(await t.db().select({ n: count() }).from(patients))[0]!.n, (await t.db().select({ n: count() }).from(calendarEvents))[0]!.n];
      const res = await post(handler, path, body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'validation_error', message: expect.any(String), details: { issues: expect.any(Array) } });
      expect([(await t.db().select({ n: count() }).from(patients))[0]!.n, (await t.db().select({ n: count() }).from(calendarEvents))[0]!.n]).toEqual(
        before,
      );
    });
    it('a body that is not JSON', async () => {
      const res = await callRoute(book, { method: 'POST', path: '/api/clinic/appointments', rawBody: 'practitioner=1', agentKey: key });
      expect(res).toMatchObject({ status: 400, body: { error: 'validation_error' } });
    });
    it.each([
      ['no type', `date=${WED}`],
      ['a bad date', 'date=2031-13-01&appointment_type_id=1'],
      ['a range over 62 days', 'from=2031-01-01&to=2031-03-04&appointment_type_id=1'],
      ['a reversed range', 'from=2031-01-10&to=2031-01-01&appointment_type_id=1'],
      ['date and range at once', `date=${WED}&from=${WED}&to=${WED}&appointment_type_id=1`],
      ['a non-numeric type', `date=${WED}&appointment_type_id=abc`],
    ])('slots with %s', async (_name, query) => {
      const res = await callRoute(slots, {
        path: `/api/clinic/practitioners/${a.practitioner.id}/availability/slots?${query}`,
        params: { user_id: String(a.practitioner.id) },
        agentKey: key,
      });
      expect(res).toMatchObject({ status: 400, body: { error: 'validation_error' } });
    });
    it('clinic-wide slots without a date', async () => {
      const res = await callRoute(clinicSlots, { path: '/api/clinic/availability/slots?appointment_type_id=1', agentKey: key });
      expect(res).toMatchObject({ status: 400, body: { error: 'validation_error' } });
    });
  });
});
