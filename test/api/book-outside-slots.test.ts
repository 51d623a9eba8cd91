import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { POST as bookRoute } from '@/app/api/clinic/appointments/route';
import { GET as calendarRoute } from '@/app/api/clinic/practitioners/[user_id]/availability/calendar/route';
import { idempotentAction } from '@/lib/api/idempotency';
import type { Caller } from '@/lib/auth/caller';
import { getDb, queryRows, type Db } from '@/lib/db/client';
import { auditLog, clinics, googleConnections, outboxJobs } from '@/lib/db/schema';
import { AppWarning } from '@/lib/errors';
import { createAgentKey } from '@/lib/services/agent-keys';
import { bookAppointment } from '@/lib/services/booking';
import { fixedClock } from '@/lib/time/clock';
import { useDriver } from '../support/drivers';
import { makeAppointment, makeAppointmentType, makeClinicWithStaff, makeException, setWeek } from '../support/factories';
import { callRoute, staffCookies } from '../support/http';

// Issue 14 item 1: staff book from the calendar, also outside the offered slots after a warning
// (flagged outside_hours), never over a confirmed appointment or in the past; the agent never
// overrides; a double submit books once.

const WED = '2031-03-05';
const THU = '2031-03-06';
const FRI = '2031-03-07';
const MON = '2031-03-10';
const WED2 = '2031-03-12';
const THU2 = '2031-03-13';
const WEEKDAYS = {
  1: [['09:00', '18:00']],
  2: [['09:00', '18:00']],
  3: [['09:00', '18:00']],
  4: [['09:00', '18:00']],
  5: [['09:00', '18:00']],
} as Record<number, Array<[string, string]>>;

for (const driver of ['postgres', 'pglite'] as const)
  describe(`booking outside the offered slots on ${driver}`, () => {
    useDriver(driver);
    let db: Db | undefined;
    const t = { db: () => db! };
    let a: Awaited<ReturnType<typeof makeClinicWithStaff>>;
    let cookies: Awaited<ReturnType<typeof staffCookies>>;
    let agentKey: string;

    beforeAll(async () => {
      db = await getDb();
      a = await makeClinicWithStaff(t.db());
      await setWeek(t.db(), a.practitioner.id, WEEKDAYS);
      await t.db().insert(googleConnections).values({ userId: a.practitioner.id, clinicId: a.clinic.id, state: 'connected' });
      cookies = await staffCookies(a);
      agentKey = (await createAgentKey(t.db(), { clinicSlug: a.clinic.slug, name: 'agent' })).key;
    });

    const body = (date: string, start: string, typeId = a.type.id) => ({
      practitioner_id: a.practitioner.id,
      patient_id: a.patient.id,
      appointment_type_id: typeId,
      date,
      start_time: start,
    });
    const book = (b: Record<string, unknown>, auth: { cookie?: string; agentKey?: string; confirm?: boolean; key?: string } = {}) =>
      callRoute(bookRoute, {
        method: 'POST',
        path: `/api/clinic/appointments${auth.confirm ? '?confirm=true' : ''}`,
        body: b,
        cookie: auth.agentKey ? undefined : (auth.cookie ?? cookies.own),
        agentKey: auth.agentKey,
        headers: auth.key ? { 'idempotency-key': auth.key } : undefined,
      });
    const dayView = async (date: string) =>
      (
        await callRoute(calendarRoute, {
          method: 'GET',
          path: `/api/clinic/practitioners/${a.practitioner.id}/availability/calendar?date=${date}`,
          params: { user_id: String(a.practitioner.id) },
          cookie: cookies.own,
        })
      ).body as { events: Array<{ calendar_event_id: number; type: string; start_time: string; outside_hours?: boolean }> };
    const appointmentsOn = async (date: string) =>
      queryRows<{ id: number; start: string }>(
        t.db(),
        sql`SELECT e.id, to_char(e.start_time, 'HH24:MI') AS start FROM calendar_events e JOIN appointments ap ON ap.calendar_event_id = e.id
            WHERE e.user_id = ${a.practitioner.id} AND e.date = ${date} AND ap.status = 'confirmed' ORDER BY e.start_time`,
      );

    it('outside working hours: a warning first (nothing saved), then with confirm booked, flagged outside_hours, audited, sent to Google', async () => {
      const warned = await book(body(WED, '19:00'));
      expect(warned).toEqual({
        status: 409,
        body: {
          warning: 'outside_hours',
          message: expect.any(String),
          details: { practitioner_id: a.practitioner.id, date: WED, start_time: '19:00', end_time: '20:00', reasons: ['outside_hours'] },
        },
      });
      expect(await appointmentsOn(WED)).toEqual([]);

      const booked = await book(body(WED, '19:00'), { confirm: true });
      expect(booked).toMatchObject({ status: 201, body: { date: WED, start_time: '19:00', end_time: '20:00', status: 'confirmed' } });
      const id = booked.body.calendar_event_id as number;
      const event = (await dayView(WED)).events.find((e) => e.calendar_event_id === id);
      expect(event).toMatchObject({ type: 'appointment', start_time: '19:00', outside_hours: true });
      const audits = await t
        .db()
        .select({ action: auditLog.action, details: auditLog.details })
        .from(auditLog)
        .where(and(eq(auditLog.entityType, 'appointment'), eq(auditLog.entityId, String(id))));
      expect(audits).toEqual([
        { action: 'appointment.booked', details: expect.objectContaining({ time: '19:00-20:00', outside_slots: ['outside_hours'] }) },
      ]);
      const jobs = await t
        .db()
        .select({ kind: outboxJobs.kind })
        .from(outboxJobs)
        .where(sql`${outboxJobs.payload}->>'calendar_event_id' = ${String(id)}`);
      expect(jobs).toEqual([{ kind: 'google.upsert_event' }]);
    });

    it('inside an exception, off the grid: warned with the reason, booked with confirm; inside an exception it is flagged', async () => {
      await makeException(t.db(), { userId: a.practitioner.id, date: THU, startTime: '13:00', endTime: '15:00' });
      expect(await book(body(THU, '13:00'))).toMatchObject({ status: 409, body: { warning: 'outside_hours', details: { reasons: ['exception'] } } });
      const booked = await book(body(THU, '13:00'), { confirm: true });
      expect(booked.status).toBe(201);
      expect((await dayView(THU)).events.find((e) => e.calendar_event_id === booked.body.calendar_event_id)).toMatchObject({ outside_hours: true });

      expect(await book(body(THU, '10:15'))).toMatchObject({
        status: 409,
        body: { warning: 'outside_hours', details: { reasons: ['not_on_grid'] } },
      });
      expect((await book(body(THU, '10:15'), { confirm: true })).status).toBe(201);
      // An offered slot books without a warning, as before.
      expect((await book(body(THU, '16:00'))).status).toBe(201);
    });

    it('an admin may override in any practitioner’s calendar; a colleague is 403, with or without confirm', async () => {
      expect((await book(body(FRI, '07:00'), { cookie: cookies.admin, confirm: true })).status).toBe(201);
      expect(await book(body(FRI, '20:00'), { cookie: cookies.colleague })).toMatchObject({ status: 403, body: { error: 'forbidden' } });
      expect(await book(body(FRI, '20:00'), { cookie: cookies.colleague, confirm: true })).toMatchObject({
        status: 403,
        body: { error: 'forbidden' },
      });
      expect((await appointmentsOn(FRI)).map((r) => r.start)).toEqual(['07:00']);
    });

    it('the agent never gets the override: slot_unavailable, confirm or not', async () => {
      expect(await book(body(MON, '19:00'), { agentKey })).toMatchObject({ status: 409, body: { error: 'slot_unavailable' } });
      expect(await book(body(MON, '19:00'), { agentKey, confirm: true })).toMatchObject({ status: 409, body: { error: 'slot_unavailable' } });
      expect(await appointmentsOn(MON)).toEqual([]);
    });

    it('never over a confirmed appointment nor into the buffers around it, nor in the past, nor past midnight, even confirmed', async () => {
      const buffered = await makeAppointmentType(t.db(), {
        clinicId: a.clinic.id,
        name: '針灸',
        durationMinutes: 60,
        bufferBeforeMinutes: 15,
        bufferAfterMinutes: 15,
      });
      await makeAppointment(t.db(), {
        userId: a.practitioner.id,
        patientId: a.patient.id,
        appointmentTypeId: buffered.id,
        date: WED2,
        startTime: '10:00',
        endTime: '11:00',
      });
      for (const start of ['10:30', '09:30', '11:00', '09:00'] as const) {
        // 09:00-10:00 with 15 minutes after touches 10:00's appointment; 11:00 with 15 before does too.
        expect(await book(body(WED2, start, buffered.id), { confirm: true })).toMatchObject({ status: 409, body: { error: 'slot_unavailable' } });
      }
      expect(await book(body(WED2, '20:00', buffered.id), { confirm: true })).toMatchObject({ status: 201 });
      expect(await book(body(WED2, '20:30', buffered.id), { confirm: true })).toMatchObject({ status: 409, body: { error: 'slot_unavailable' } });
      expect(await book(body(WED2, '23:30'), { confirm: true })).toMatchObject({ status: 409, body: { error: 'slot_unavailable' } });
      // A date long past (the routes run on the real clock).
      expect(await book(body('2020-01-06', '10:00'), { confirm: true })).toMatchObject({ status: 409, body: { error: 'slot_unavailable' } });
      expect((await appointmentsOn(WED2)).map((r) => r.start)).toEqual(['10:00', '20:00']);
    });

    it('today on the clinic clock: earlier than now is refused, within the minimum notice is a too_soon warning', async () => {
      await t.db().update(clinics).set({ minNoticeMinutes: 120 }).where(eq(clinics.id, a.clinic.id));
      try {
        const caller: Caller = {
          kind: 'user',
          clinicId: a.clinic.id,
          userId: a.practitioner.id,
          role: 'practitioner',
          isPractitioner: true,
          name: 'Dr. Chen',
        };
        // 11:00 in Taipei on THU2.
        const clock = fixedClock(`${THU2}T03:00:00Z`);
        await expect(bookAppointment(t.db(), caller, { ...body(THU2, '10:00'), clock, confirm: true })).rejects.toMatchObject({
          code: 'slot_unavailable',
        });
        const warning = await bookAppointment(t.db(), caller, { ...body(THU2, '12:00'), clock }).catch((e: unknown) => e);
        expect(warning).toBeInstanceOf(AppWarning);
        expect(warning).toMatchObject({ code: 'outside_hours', details: { reasons: ['too_soon'] } });
        expect(await bookAppointment(t.db(), caller, { ...body(THU2, '12:00'), clock, confirm: true })).toMatchObject({ start_time: '12:00' });
      } finally {
        await t.db().update(clinics).set({ minNoticeMinutes: 0 }).where(eq(clinics.id, a.clinic.id));
      }
    });

    it('concurrent confirmed overrides into one time: exactly one is booked', async () => {
      const day = '2031-03-17';
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          book(body(day, i % 2 ? '19:00' : '19:30'), { confirm: true, cookie: i % 3 ? cookies.own : cookies.admin }),
        ),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status === 409 && r.body.error === 'slot_unavailable')).toHaveLength(11);
      expect(await appointmentsOn(day)).toHaveLength(1);
    });

    it('a double submit with one idempotency key books once (route header and server-action key)', async () => {
      const day = '2031-03-18';
      const [first, second] = await Promise.all([
        book(body(day, '19:00'), { confirm: true, key: 'double-tap-1' }),
        book(body(day, '19:00'), { confirm: true, key: 'double-tap-1' }),
      ]);
      expect(first).toMatchObject({ status: 201 });
      expect(second).toEqual(first);

      const caller: Caller = {
        kind: 'user',
        clinicId: a.clinic.id,
        userId: a.practitioner.id,
        role: 'practitioner',
        isPractitioner: true,
        name: 'Dr. Chen',
      };
      const input = { ...body(day, '10:00') };
      const run = () => idempotentAction(caller, 'sheet-key-0001', 'calendar.book', input, (tx) => bookAppointment(tx, caller, input));
      const [x, y] = await Promise.all([run(), run()]);
      expect(y).toEqual(x);
      expect((await appointmentsOn(day)).map((r) => r.start)).toEqual(['10:00', '19:00']);
      // The same key with another booking is refused rather than answered with the first.
      await expect(
        idempotentAction(caller, 'sheet-key-0001', 'calendar.book', body(day, '11:00'), (tx) => bookAppointment(tx, caller, body(day, '11:00'))),
      ).rejects.toMatchObject({ code: 'idempotency_conflict' });
    });
  });
