import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as reschedule } from '@/app/api/clinic/appointments/[calendar_event_id]/reschedule/route';
import { POST as book } from '@/app/api/clinic/appointments/route';
import { GET as clinicSlots } from '@/app/api/clinic/availability/slots/route';
import { DELETE as release } from '@/app/api/clinic/holds/[hold_id]/route';
import { POST as hold } from '@/app/api/clinic/holds/route';
import { GET as slotCheck } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/check/route';
import { GET as practitionerSlots } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/route';
import { getDb, queryRows, type Db } from '@/lib/db/client';
import { appointmentTypes, auditLog, clinics, slotHolds } from '@/lib/db/schema';
import { getClinicSettings } from '@/lib/queries/clinic';
import { slotCheck as slotCheckSchema, slotUnavailableDetails } from '@/lib/schemas/responses';
import { checkSlot } from '@/lib/queries/slot-check';
import { findAppointmentType, slotsByPractitioner } from '@/lib/queries/slots';
import { createAgentKey } from '@/lib/services/agent-keys';
import { bookAppointment } from '@/lib/services/booking';
import { holdSlot } from '@/lib/services/holds';
import { fixedClock } from '@/lib/time/clock';
import { daysBetween } from '@/lib/time/dates';
import { useDriver } from '../support/drivers';
import { makeAppointment, makeAppointmentType, makeClinicWithStaff, makeException, setWeek } from '../support/factories';
import { callRoute, staffCookies } from '../support/http';

const WED = '2031-03-05';
const THU = '2031-03-06';
const WEEKDAYS = Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [['09:00', '18:00']]])) as Record<number, Array<[string, string]>>;
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

for (const driver of ['postgres', 'pglite'] as const)
  describe(`slot holds and why-not answers on ${driver}`, () => {
    useDriver(driver);
    let db: Db;

    beforeAll(async () => {
      process.env.AGENT_RATE_LIMIT_PER_MINUTE = '100000000';
      db = await getDb();
    });
    afterAll(() => {
      delete process.env.AGENT_RATE_LIMIT_PER_MINUTE;
    });

    /** A clinic whose practitioner and colleague work 09:00-18:00 on weekdays, with an agent key and staff cookies. */
    async function clinic(week = WEEKDAYS) {
      const c = await makeClinicWithStaff(db);
      await setWeek(db, c.practitioner.id, week);
      await setWeek(db, c.colleague.id, WEEKDAYS);
      const agent = (await createAgentKey(db, { clinicSlug: c.clinic.slug, name: 'agent' })).key;
      return { ...c, agent, cookies: await staffCookies(c) };
    }
    type Cast = Awaited<ReturnType<typeof clinic>>;
    type Auth = { agentKey?: string; cookie?: string; key?: string };
    const authOf = (auth: Auth) => ({
      agentKey: auth.agentKey,
      cookie: auth.cookie,
      headers: auth.key ? { 'idempotency-key': auth.key } : undefined,
    });

    const holdAt = (c: Cast, date: string, start_time: string, auth: Auth = { agentKey: c.agent }, practitionerId = c.practitioner.id) =>
      callRoute(hold, {
        method: 'POST',
        path: '/api/clinic/holds',
        body: { practitioner_id: practitionerId, appointment_type_id: c.type.id, date, start_time },
        ...authOf(auth),
      });
    const bookAt = (c: Cast, date: string, start_time: string, extra: Record<string, unknown> = {}, auth: Auth = { agentKey: c.agent }) =>
      callRoute(book, {
        method: 'POST',
        path: '/api/clinic/appointments',
        body: { practitioner_id: c.practitioner.id, patient_id: c.patient.id, appointment_type_id: c.type.id, date, start_time, ...extra },
        ...authOf(auth),
      });
    const releaseHold = (id: number, auth: Auth) =>
      callRoute(release, { method: 'DELETE', path: `/api/clinic/holds/${id}`, params: { hold_id: String(id) }, ...authOf(auth) });
    const check = (c: Cast, date: string, start_time: string, practitionerId = c.practitioner.id) =>
      callRoute(slotCheck, {
        path: `/api/clinic/practitioners/${practitionerId}/availability/slots/check?date=${date}&start_time=${start_time}&appointment_type_id=${c.type.id}`,
        params: { user_id: String(practitionerId) },
        agentKey: c.agent,
      });
    /** The starts of every slot answer there is for the practitioner's date: one day, a range, the clinic-wide one; as the agent and as staff. */
    async function offeredEverywhere(c: Cast, date: string, practitionerId = c.practitioner.id): Promise<string[][]> {
      const out: string[][] = [];
      for (const auth of [{ agentKey: c.agent }, { cookie: c.cookies.admin }]) {
        const day = await callRoute(practitionerSlots, {
          path: `/api/clinic/practitioners/${practitionerId}/availability/slots?date=${date}&appointment_type_id=${c.type.id}`,
          params: { user_id: String(practitionerId) },
          ...auth,
        });
        const range = await callRoute(practitionerSlots, {
          path: `/api/clinic/practitioners/${practitionerId}/availability/slots?from=${date}&to=${THU}&appointment_type_id=${c.type.id}`,
          params: { user_id: String(practitionerId) },
          ...auth,
        });
        const wide = await callRoute(clinicSlots, { path: `/api/clinic/availability/slots?date=${date}&appointment_type_id=${c.type.id}`, ...auth });
        expect([day.status, range.status, wide.status]).toEqual([200, 200, 200]);
        const starts = (slots: Array<{ start_time: string }>) => slots.map((s) => s.start_time);
        out.push(starts(day.body.available_slots));
        out.push(starts(range.body.days.find((d: { date: string }) => d.date === date).available_slots));
        out.push(starts(wide.body.practitioners.find((p: { id: number }) => p.id === practitionerId).available_slots));
      }
      return out;
    }
    const holdRows = (c: Cast) => db.select().from(slotHolds).where(eq(slotHolds.userId, c.practitioner.id));

    it('of 50 concurrent holds of one slot exactly one is made; the others are 409 slot_unavailable, reason held', async () => {
      const c = await clinic();
      const results = await Promise.all(Array.from({ length: 50 }, () => holdAt(c, WED, '10:00')));
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      const refused = results.filter((r) => r.status === 409);
      expect(refused).toHaveLength(49);
      for (const r of refused) {
        expect(r.body).toMatchObject({ error: 'slot_unavailable', details: { date: WED, start_time: '10:00', reason: 'held' } });
        expect(r.body.details.alternatives.length).toBeGreaterThan(0);
      }
      expect(await holdRows(c)).toHaveLength(1);
    });

    it('a held start is offered in no slot answer, to the agent or the front desk, and is refused to a booking without the hold, until released', async () => {
      const c = await clinic();
      const held = await holdAt(c, WED, '10:00');
      expect(held.status).toBe(201);
      expect(held.body).toMatchObject({
        practitioner_id: c.practitioner.id,
        appointment_type_id: c.type.id,
        date: WED,
        start_time: '10:00',
        end_time: '11:00',
      });
      expect(typeof held.body.hold_id).toBe('number');
      const expiresIn = Date.parse(held.body.expires_at) - Date.now();
      expect(expiresIn).toBeGreaterThan(0);
      expect(expiresIn).toBeLessThanOrEqual(5 * 60_000);

      for (const starts of await offeredEverywhere(c, WED)) {
        expect(starts).not.toContain('10:00');
        expect(starts).toContain('11:00');
      }
      // Another practitioner's time is not held.
      for (const starts of await offeredEverywhere(c, WED, c.colleague.id)) expect(starts).toContain('10:00');

      const agentTry = await bookAt(c, WED, '10:00');
      expect(agentTry).toMatchObject({ status: 409, body: { error: 'slot_unavailable', details: { reason: 'held' } } });
      // Staff cannot override a hold either (not even with confirm).
      const staffTry = await callRoute(book, {
        method: 'POST',
        path: '/api/clinic/appointments?confirm=true',
        body: { practitioner_id: c.practitioner.id, patient_id: c.patient.id, appointment_type_id: c.type.id, date: WED, start_time: '10:00' },
        cookie: c.cookies.own,
      });
      expect(staffTry).toMatchObject({ status: 409, body: { error: 'slot_unavailable', details: { reason: 'held' } } });
      expect((await check(c, WED, '10:00')).body).toMatchObject({ available: false, reason: 'held' });
      // A colleague may not release it; the practitioner may.
      expect((await releaseHold(held.body.hold_id, { cookie: c.cookies.colleague })).status).toBe(403);
      const released = await releaseHold(held.body.hold_id, { cookie: c.cookies.own });
      expect(released).toEqual({ status: 200, body: { message: 'Hold released', hold_id: held.body.hold_id } });
      for (const starts of await offeredEverywhere(c, WED)) expect(starts).toContain('10:00');
      expect((await releaseHold(held.body.hold_id, { agentKey: c.agent })).status).toBe(404);
      expect((await check(c, WED, '10:00')).body).toEqual({ available: true, alternatives: [] });
    });

    it('a hold takes its time with its type’s buffers and lapses after five minutes (injected clock); expired holds are deleted on the way', async () => {
      const c = await clinic();
      const buffered = await makeAppointmentType(db, { clinicId: c.clinic.id, durationMinutes: 60, bufferBeforeMinutes: 15, bufferAfterMinutes: 15 });
      await db.update(clinics).set({ slotStepMinutes: 30 }).where(eq(clinics.id, c.clinic.id));
      const t0 = new Date('2031-03-01T00:00:00Z');
      const at = (ms: number) => fixedClock(new Date(t0.getTime() + ms));
      // The agent as the route's caller carries it.
      const [key] = await queryRows<{ id: number }>(db, sql`SELECT id FROM agent_keys WHERE clinic_id = ${c.clinic.id}`);
      const caller = { kind: 'agent' as const, clinicId: c.clinic.id, agentKeyId: key!.id };
      const made = await holdSlot(db, caller, {
        practitioner_id: c.practitioner.id,
        appointment_type_id: buffered.id,
        date: WED,
        start_time: '10:00',
        clock: at(0),
      });
      expect(made.expires_at).toBe(new Date(t0.getTime() + 5 * 60_000).toISOString());
      const settings = await getClinicSettings(db, c.clinic.id);
      const type = await findAppointmentType(db, c.clinic.id, buffered.id);
      const startsAt = async (ms: number) =>
        (await slotsByPractitioner(db, { clinic: settings, practitionerIds: [c.practitioner.id], type, from: WED, to: WED, clock: at(ms) }))
          .get(c.practitioner.id)![0]!
          .available_slots.map((s) => s.start_time);
      const whileHeld = await startsAt(5 * 60_000 - 1);
      // 10:00-11:00 held; with 15 minutes either side of a 60-minute visit, 09:00 to 11:00 cannot start.
      for (const s of ['09:00', '09:30', '10:00', '10:30', '11:00']) expect(whileHeld).not.toContain(s);
      expect(whileHeld).toContain('11:30');
      const lapsed = await startsAt(5 * 60_000);
      for (const s of ['09:00', '10:00', '11:00']) expect(lapsed).toContain(s);
      const verdict = await checkSlot(db, {
        clinic: settings,
        practitionerId: c.practitioner.id,
        type,
        date: WED,
        startTime: '10:00',
        clock: at(5 * 60_000),
        otherPractitionerIds: [],
      });
      expect(verdict).toEqual({ available: true, alternatives: [] });
      // Booking with the lapsed hold is refused (404); without it, the time is free.
      const withHold = {
        practitioner_id: c.practitioner.id,
        patient_id: c.patient.id,
        appointment_type_id: buffered.id,
        date: WED,
        start_time: '10:00',
      };
      await expect(bookAppointment(db, caller, { ...withHold, hold_id: made.hold_id, clock: at(6 * 60_000) })).rejects.toMatchObject({
        code: 'not_found',
      });
      // The next hold of the practitioner deletes the expired one.
      await holdSlot(db, caller, {
        practitioner_id: c.practitioner.id,
        appointment_type_id: buffered.id,
        date: THU,
        start_time: '10:00',
        clock: at(6 * 60_000),
      });
      expect((await holdRows(c)).map((h) => h.date)).toEqual([THU]);
      const booked = await bookAppointment(db, caller, { ...withHold, clock: at(6 * 60_000) });
      expect(booked.start_time).toBe('10:00');
    });

    it('booking with hold_id uses the hold up: once, only for what it holds, only in its clinic', async () => {
      const c = await clinic();
      const other = await clinic();
      const held = (await holdAt(c, WED, '14:00')).body;
      // Another slot than the hold's: 409 conflict, nothing booked, the hold stays.
      const wrong = await bookAt(c, WED, '15:00', { hold_id: held.hold_id });
      expect(wrong).toMatchObject({ status: 409, body: { error: 'conflict' } });
      // Another clinic's agent cannot use it (404), nor release it.
      const foreign = await callRoute(book, {
        method: 'POST',
        path: '/api/clinic/appointments',
        body: {
          practitioner_id: other.practitioner.id,
          patient_id: other.patient.id,
          appointment_type_id: other.type.id,
          date: WED,
          start_time: '14:00',
          hold_id: held.hold_id,
        },
        agentKey: other.agent,
      });
      expect(foreign).toMatchObject({ status: 404, body: { error: 'not_found' } });
      expect((await releaseHold(held.hold_id, { agentKey: other.agent })).status).toBe(404);

      const booked = await bookAt(c, WED, '14:00', { hold_id: held.hold_id });
      expect(booked).toMatchObject({ status: 201, body: { date: WED, start_time: '14:00', end_time: '15:00', status: 'confirmed' } });
      const [row] = await holdRows(c);
      expect(row!.consumedAt).not.toBeNull();
      expect(row!.calendarEventId).toBe(booked.body.calendar_event_id);
      const [audit] = await db
        .select({ details: auditLog.details })
        .from(auditLog)
        .where(and(eq(auditLog.action, 'appointment.booked'), eq(auditLog.entityId, String(booked.body.calendar_event_id))));
      expect(audit!.details).toMatchObject({ hold_id: held.hold_id });
      // Used: a second use and a release are 404; the time is booked now.
      expect((await bookAt(c, WED, '14:00', { hold_id: held.hold_id })).status).toBe(404);
      expect((await releaseHold(held.hold_id, { agentKey: c.agent })).status).toBe(404);
      expect((await check(c, WED, '14:00')).body).toMatchObject({ available: false, reason: 'booked' });
    });

    it('POST /holds honours Idempotency-Key: a repeat answers the same hold and makes no second', async () => {
      const c = await clinic();
      const first = await holdAt(c, WED, '11:00', { agentKey: c.agent, key: 'hold-once' });
      const again = await holdAt(c, WED, '11:00', { agentKey: c.agent, key: 'hold-once' });
      expect(first.status).toBe(201);
      expect(again).toEqual(first);
      expect(await holdRows(c)).toHaveLength(1);
    });

    describe('every refusal says why, the same in the check route as in a booking', () => {
      let c: Cast;
      beforeAll(async () => {
        // Wednesdays of the practitioner: 09:00-12:00 and 14:00-18:00; an exception 15:00-16:00, an appointment 16:00-17:00, a hold 17:00-18:00.
        c = await clinic({
          ...WEEKDAYS,
          3: [
            ['09:00', '12:00'],
            ['14:00', '18:00'],
          ],
        });
        await makeException(db, { userId: c.practitioner.id, date: WED, startTime: '15:00', endTime: '16:00' });
        await makeAppointment(db, {
          userId: c.practitioner.id,
          patientId: c.patient.id,
          appointmentTypeId: c.type.id,
          date: WED,
          startTime: '16:00',
          endTime: '17:00',
        });
        expect((await holdAt(c, WED, '17:00', { cookie: c.cookies.admin })).status).toBe(201);
      });

      it.each([
        ['past', '2020-01-01', '09:00'],
        ['outside_hours', WED, '12:00'],
        ['outside_hours', WED, '08:00'],
        ['not_on_grid', WED, '09:30'],
        ['exception', WED, '15:00'],
        ['booked', WED, '16:00'],
        ['held', WED, '17:00'],
      ])('%s (%s %s)', async (reason, date, start) => {
        const verdict = await check(c, date, start);
        expect(verdict.status).toBe(200);
        expect(verdict.body).toMatchObject({ available: false, reason });
        const refused = await bookAt(c, date, start);
        expect(refused.status).toBe(409);
        expect(refused.body).toMatchObject({ error: 'slot_unavailable', message: expect.any(String) });
        expect(refused.body.details).toEqual({ date, start_time: start, reason, alternatives: verdict.body.alternatives });
        expect(slotUnavailableDetails.safeParse(refused.body.details).error ?? null).toBeNull();
        expect(slotCheckSchema.safeParse(verdict.body).error ?? null).toBeNull();
        const hold = await holdAt(c, date, start);
        expect(hold.body.details).toEqual({ date, start_time: start, reason, alternatives: verdict.body.alternatives });
      });

      it('too_soon: inside the clinic’s minimum notice', async () => {
        const soon = await clinic();
        // Twenty years of notice: every 2031 start is too soon, none is past.
        await db
          .update(clinics)
          .set({ minNoticeMinutes: 20 * 366 * 24 * 60 })
          .where(eq(clinics.id, soon.clinic.id));
        const verdict = await check(soon, WED, '10:00');
        expect(verdict.body).toEqual({ available: false, reason: 'too_soon', alternatives: [] });
        expect((await bookAt(soon, WED, '10:00')).body.details).toEqual({ date: WED, start_time: '10:00', reason: 'too_soon', alternatives: [] });
      });

      it('a free start is available, and the booking the check promises succeeds', async () => {
        expect((await check(c, WED, '10:00')).body).toEqual({ available: true, alternatives: [] });
        expect((await bookAt(c, WED, '10:00')).status).toBe(201);
      });
    });

    it('alternatives: nearest first, at most five, the colleague free at the asked time among them, each really free (each one books)', async () => {
      const c = await clinic();
      // The practitioner's Wednesday is taken from 09:00 to 15:00; the colleague is free at 11:00.
      for (const [s, e] of [
        ['09:00', '10:00'],
        ['10:00', '11:00'],
        ['11:00', '12:00'],
        ['12:00', '13:00'],
        ['13:00', '14:00'],
        ['14:00', '15:00'],
      ])
        await makeAppointment(db, {
          userId: c.practitioner.id,
          patientId: c.patient.id,
          appointmentTypeId: c.type.id,
          date: WED,
          startTime: s!,
          endTime: e!,
        });
      const refused = await bookAt(c, WED, '11:00');
      expect(refused.body.details.reason).toBe('booked');
      const alternatives: Array<{ practitioner_id: number; date: string; start_time: string; end_time: string }> = refused.body.details.alternatives;
      expect(alternatives.length).toBe(5);
      const distance = (a: (typeof alternatives)[number]) => daysBetween(WED, a.date) * 1440 + Math.abs(minutes(a.start_time) - minutes('11:00'));
      for (let i = 1; i < alternatives.length; i++) expect(distance(alternatives[i]!)).toBeGreaterThanOrEqual(distance(alternatives[i - 1]!));
      expect(alternatives[0]).toEqual({ practitioner_id: c.colleague.id, date: WED, start_time: '11:00', end_time: '12:00' });
      // Then the practitioner's: 15:00, 16:00 and 17:00 that day (4, 5 and 6 hours away), then Thursday's 11:00 (a day away).
      expect(alternatives.slice(1)).toEqual([
        { practitioner_id: c.practitioner.id, date: WED, start_time: '15:00', end_time: '16:00' },
        { practitioner_id: c.practitioner.id, date: WED, start_time: '16:00', end_time: '17:00' },
        { practitioner_id: c.practitioner.id, date: WED, start_time: '17:00', end_time: '18:00' },
        { practitioner_id: c.practitioner.id, date: THU, start_time: '11:00', end_time: '12:00' },
      ]);
      for (const alt of alternatives) {
        const ok = await callRoute(book, {
          method: 'POST',
          path: '/api/clinic/appointments',
          body: {
            practitioner_id: alt.practitioner_id,
            patient_id: c.patient.id,
            appointment_type_id: c.type.id,
            date: alt.date,
            start_time: alt.start_time,
          },
          agentKey: c.agent,
        });
        expect(ok.status, JSON.stringify(alt)).toBe(201);
      }
    });

    it('a refused reschedule says why and offers alternatives; the first one moves it', async () => {
      const c = await clinic();
      const moving = await makeAppointment(db, {
        userId: c.practitioner.id,
        patientId: c.patient.id,
        appointmentTypeId: c.type.id,
        date: THU,
        startTime: '09:00',
        endTime: '10:00',
      });
      await makeAppointment(db, {
        userId: c.practitioner.id,
        patientId: c.patient.id,
        appointmentTypeId: c.type.id,
        date: THU,
        startTime: '13:00',
        endTime: '14:00',
      });
      const move = (body: Record<string, unknown>) =>
        callRoute(reschedule, {
          method: 'POST',
          path: `/api/clinic/appointments/${moving.id}/reschedule`,
          params: { calendar_event_id: String(moving.id) },
          body,
          agentKey: c.agent,
        });
      const refused = await move({ date: THU, start_time: '13:00' });
      expect(refused.status).toBe(409);
      expect(refused.body.details).toMatchObject({ date: THU, start_time: '13:00', reason: 'booked' });
      const [first] = refused.body.details.alternatives;
      expect(first).toEqual({ practitioner_id: c.colleague.id, date: THU, start_time: '13:00', end_time: '14:00' });
      // Then the practitioner's own, nearest first (12:00 and 14:00 are an hour away).
      expect(refused.body.details.alternatives[1]).toEqual({ practitioner_id: c.practitioner.id, date: THU, start_time: '12:00', end_time: '13:00' });
      const moved = await move({ date: first.date, start_time: first.start_time, practitioner_id: first.practitioner_id });
      expect(moved).toMatchObject({ status: 200, body: { practitioner_id: c.colleague.id, start_time: '13:00' } });
      // A held time is refused to a move too.
      expect((await holdAt(c, THU, '16:00', { agentKey: c.agent }, c.colleague.id)).status).toBe(201);
      expect((await move({ date: THU, start_time: '16:00' })).body.details.reason).toBe('held');
    });

    it('a hold type of another clinic, or a practitioner the caller may not manage, holds nothing', async () => {
      const c = await clinic();
      const other = await clinic();
      const foreignType = await callRoute(hold, {
        method: 'POST',
        path: '/api/clinic/holds',
        body: { practitioner_id: c.practitioner.id, appointment_type_id: other.type.id, date: WED, start_time: '10:00' },
        agentKey: c.agent,
      });
      expect(foreignType.status).toBe(404);
      expect((await holdAt(c, WED, '10:00', { cookie: c.cookies.colleague })).status).toBe(403);
      expect((await holdAt(c, WED, '10:00', { agentKey: other.agent })).status).toBe(404);
      expect(await holdRows(c)).toHaveLength(0);
      const [type] = await db.select({ id: appointmentTypes.id }).from(appointmentTypes).where(eq(appointmentTypes.clinicId, c.clinic.id));
      expect(type!.id).toBe(c.type.id);
    });
  });
