import { beforeAll, describe, expect, it } from 'vitest';
import { GET } from '@/app/api/clinic/practitioners/[user_id]/availability/calendar/route';
import { onQuery } from '@/lib/db/client';
import { createAgentKey } from '@/lib/services/agent-keys';
import { useTestDatabase } from '../support/db';
import { makeAppointment, makeAppointmentType, makeClinicWithStaff, makeException, makePatient, setWeek } from '../support/factories';
import { callRoute, sessionCookie } from '../support/http';

const url = (id: number, query: string) => `/api/clinic/practitioners/${id}/availability/calendar?${query}`;

describe('GET /practitioners/{id}/availability/calendar', () => {
  const t = useTestDatabase();
  let a: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let b: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let cookie: string;
  let followUp: { id: number };
  let wang: { id: number };

  beforeAll(async () => {
    a = await makeClinicWithStaff(t.db());
    b = await makeClinicWithStaff(t.db());
    cookie = await sessionCookie({ id: a.colleague.id, clinicId: a.clinic.id, role: 'practitioner' });
    followUp = await makeAppointmentType(t.db(), { clinicId: a.clinic.id, name: '一般複診', durationMinutes: 30 });
    wang = await makePatient(t.db(), { clinicId: a.clinic.id, fullName: '王先生' });
    // Dr. Chen's Monday as drawn in the design; 2025-01-15 of the design is a Wednesday, so use it.
    await setWeek(t.db(), a.practitioner.id, {
      3: [
        ['14:00', '18:00'],
        ['09:00', '12:00'],
      ],
    });
    const p = a.practitioner.id;
    const appt = (date: string, startTime: string, endTime: string, extra: Record<string, unknown> = {}) =>
      makeAppointment(t.db(), { userId: p, patientId: a.patient.id, appointmentTypeId: a.type.id, date, startTime, endTime, ...extra });
    await appt('2025-01-01', '09:00', '10:00');
    await appt('2025-01-01', '10:00', '11:00');
    await appt('2025-01-02', '09:00', '10:00');
    await appt('2025-01-02', '11:00', '12:00', { status: 'canceled_by_patient' });
    await appt('2025-01-31', '09:00', '10:00');
    await appt('2025-02-01', '09:00', '10:00');
    await appt('2025-01-15', '10:00', '11:00');
    await makeAppointment(t.db(), {
      userId: p,
      patientId: wang.id,
      appointmentTypeId: followUp.id,
      date: '2025-01-15',
      startTime: '15:00',
      endTime: '15:30',
    });
    await appt('2025-01-15', '16:00', '17:00', { status: 'canceled_by_clinic' });
    await makeException(t.db(), { userId: p, date: '2025-01-15', startTime: '19:00', endTime: '20:00' });
    await makeException(t.db(), { userId: p, date: '2025-01-15', startTime: '17:00', endTime: '18:00' });
    await makeException(t.db(), { userId: p, date: '2025-01-15', startTime: '15:00', endTime: '16:00' });
    await makeException(t.db(), { userId: p, date: '2025-01-15' });
    // Another practitioner's appointment never counts.
    await makeAppointment(t.db(), {
      userId: a.colleague.id,
      patientId: a.patient.id,
      appointmentTypeId: a.type.id,
      date: '2025-01-01',
      startTime: '09:00',
      endTime: '10:00',
    });
  });

  const get = (query: string, opts: { id?: number; cookie?: string; agentKey?: string } = {}) => {
    const id = opts.id ?? a.practitioner.id;
    return callRoute(GET, {
      path: url(id, query),
      params: { user_id: String(id) },
      cookie: opts.agentKey ? undefined : (opts.cookie ?? cookie),
      agentKey: opts.agentKey,
    });
  };

  it('lists every day of the month with its confirmed appointment count, zero days included', async () => {
    const res = await get('month=2025-01');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ month: '2025-01', total_days: 31, page: 1, limit: 31 });
    expect(res.body.days).toHaveLength(31);
    expect(res.body.days[0]).toEqual({ date: '2025-01-01', appointment_count: 2, exception_count: 0 });
    expect(res.body.days[1]).toEqual({ date: '2025-01-02', appointment_count: 1, exception_count: 0 });
    expect(res.body.days[2]).toEqual({ date: '2025-01-03', appointment_count: 0, exception_count: 0 });
    expect(res.body.days[14]).toEqual({ date: '2025-01-15', appointment_count: 2, exception_count: 4 });
    expect(res.body.days[30]).toEqual({ date: '2025-01-31', appointment_count: 1, exception_count: 0 });
    const total = res.body.days.reduce((n: number, d: { appointment_count: number }) => n + d.appointment_count, 0);
    expect(total).toBe(6);
  });

  it.each([
    ['page=1&limit=10', 1, 10, '2025-01-01', '2025-01-10'],
    ['page=2&limit=10', 2, 10, '2025-01-11', '2025-01-20'],
    ['page=4&limit=10', 4, 10, '2025-01-31', '2025-01-31'],
    ['page=5&limit=10', 5, 10, null, null],
  ])('pages the month: %s', async (query, page, limit, first, last) => {
    const res = await get(`month=2025-01&${query}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ month: '2025-01', total_days: 31, page, limit });
    expect(res.body.days[0]?.date ?? null).toBe(first);
    expect(res.body.days.at(-1)?.date ?? null).toBe(last);
  });

  it('knows February has 28 days', async () => {
    const res = await get('month=2025-02');
    expect(res.body.total_days).toBe(28);
    expect(res.body.days[0]).toEqual({ date: '2025-02-01', appointment_count: 1, exception_count: 0 });
  });

  it('answers the day view with the default schedule and events sorted by start, all-day first', async () => {
    const res = await get('date=2025-01-15');
    expect(res.status).toBe(200);
    expect(res.body.date).toBe('2025-01-15');
    expect(res.body.default_schedule).toEqual([
      { start_time: '09:00', end_time: '12:00' },
      { start_time: '14:00', end_time: '18:00' },
    ]);
    const summary = res.body.events.map((e: { type: string; start_time: string | null; end_time: string | null; title: string }) => [
      e.type,
      e.start_time,
      e.end_time,
      e.title,
    ]);
    expect(summary).toEqual([
      ['availability_exception', null, null, 'Unavailable'],
      ['appointment', '10:00', '11:00', `陳小姐 - ${a.type.name}`],
      ['appointment', '15:00', '15:30', '王先生 - 一般複診'],
      ['availability_exception', '15:00', '16:00', 'Unavailable'],
      ['availability_exception', '17:00', '18:00', 'Unavailable'],
      ['availability_exception', '19:00', '20:00', 'Unavailable'],
    ]);
    const appointment = res.body.events[2];
    expect(appointment).toMatchObject({
      type: 'appointment',
      patient_id: wang.id,
      appointment_type_id: followUp.id,
      status: 'confirmed',
      outside_hours: true,
      calendar_event_id: expect.any(Number),
    });
    expect(res.body.events[0]).toMatchObject({ calendar_event_id: expect.any(Number), exception_id: expect.any(Number) });
  });

  it('flags outside hours only where hours or exceptions say so', async () => {
    // Without the all-day exception (another date), 10:00-11:00 on a Wednesday is inside hours.
    await makeAppointment(t.db(), {
      userId: a.practitioner.id,
      patientId: a.patient.id,
      appointmentTypeId: a.type.id,
      date: '2025-01-22',
      startTime: '10:00',
      endTime: '11:00',
    });
    await makeAppointment(t.db(), {
      userId: a.practitioner.id,
      patientId: a.patient.id,
      appointmentTypeId: a.type.id,
      date: '2025-01-22',
      startTime: '11:30',
      endTime: '12:30',
    });
    const res = await get('date=2025-01-22');
    expect(res.body.events.map((e: { outside_hours: boolean }) => e.outside_hours)).toEqual([false, true]);
  });

  it('costs the same few queries for an empty month and a busy one, and for a quiet and a busy day', async () => {
    const count = async (query: string) => {
      let n = 0;
      const off = onQuery(() => {
        n += 1;
      });
      try {
        expect((await get(query)).status).toBe(200);
      } finally {
        off();
      }
      return n;
    };
    for (let d = 10; d <= 28; d++) {
      await makeAppointment(t.db(), {
        userId: a.practitioner.id,
        patientId: a.patient.id,
        appointmentTypeId: a.type.id,
        date: `2025-03-${d}`,
        startTime: '09:00',
        endTime: '10:00',
      });
      await makeAppointment(t.db(), {
        userId: a.practitioner.id,
        patientId: a.patient.id,
        appointmentTypeId: a.type.id,
        date: `2025-03-${d}`,
        startTime: '10:00',
        endTime: '11:00',
      });
      const hour = String(d - 6).padStart(2, '0'); // 04:00 … 22:00, one half hour each
      await makeException(t.db(), { userId: a.practitioner.id, date: '2025-03-12', startTime: `${hour}:00`, endTime: `${hour}:30` });
    }
    const emptyMonth = await count('month=2024-06');
    const busyMonth = await count('month=2025-03');
    const quietDay = await count('date=2024-06-03');
    const busyDay = await count('date=2025-03-12');
    expect(busyMonth).toBe(emptyMonth);
    expect(busyDay).toBe(quietDay);
    // caller (session user) + practitioner check + data (the day: weekly hours, events, Google busy times, clinic calendar
    // days and recurring exception series (issue 16), run together)
    expect(busyMonth).toBeLessThanOrEqual(3);
    expect(busyDay).toBeLessThanOrEqual(7);
  });

  it("is not the agent's: month and day views answer it 403 (other patients' names and phones)", async () => {
    const { key } = await createAgentKey(t.db(), { clinicSlug: a.clinic.slug, name: 'agent' });
    expect(await get('month=2025-01', { agentKey: key })).toEqual({ status: 403, body: { error: 'forbidden', message: expect.any(String) } });
    expect(await get('date=2025-03-12', { agentKey: key })).toEqual({ status: 403, body: { error: 'forbidden', message: expect.any(String) } });
  });

  it.each([
    ['no query', ''],
    ['a bad month', 'month=2025-13'],
    ['a two-digit year', 'month=0050-01'],
    ['a bad date', 'date=2025-02-30'],
    ['both month and date', 'month=2025-01&date=2025-01-02'],
    ['a zero page', 'month=2025-01&page=0'],
    ['a limit over 31', 'month=2025-01&limit=32'],
    ['a non-numeric page', 'month=2025-01&page=x'],
  ])('refuses %s with 400 validation_error', async (_name, query) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'validation_error', message: expect.any(String), details: { issues: expect.any(Array) } });
  });

  it("answers 404 for another clinic's practitioner and for unknown ids", async () => {
    expect((await get('month=2025-01', { id: b.practitioner.id })).status).toBe(404);
    expect((await get('date=2025-01-15', { id: b.practitioner.id })).body).toEqual({ error: 'not_found', message: 'Practitioner not found' });
    expect((await get('month=2025-01', { id: a.admin.id })).status).toBe(404);
    expect((await get('month=2025-01', { id: 987654 })).status).toBe(404);
  });
});
