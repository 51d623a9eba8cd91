import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { PATCH as patchType } from '@/app/api/clinic/admin/appointment-types/[appointment_type_id]/route';
import { POST as createType } from '@/app/api/clinic/admin/appointment-types/route';
import { GET as getSettings, PATCH as patchSettings } from '@/app/api/clinic/admin/settings/route';
import { POST as cancelRoute } from '@/app/api/clinic/appointments/[calendar_event_id]/cancel/route';
import { POST as bookRoute } from '@/app/api/clinic/appointments/route';
import { DELETE as deleteRoute } from '@/app/api/clinic/practitioners/[user_id]/appointments/[calendar_event_id]/route';
import { GET as slotCheck } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/check/route';
import { GET as practitionerSlots } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/route';
import { getDb, type Db } from '@/lib/db/client';
import { appointments, clinics } from '@/lib/db/schema';
import { slotUnavailableDetails } from '@/lib/schemas/responses';
import { createAgentKey } from '@/lib/services/agent-keys';
import { clinicNow } from '@/lib/time/clinic-clock';
import { addDays } from '@/lib/time/dates';
import { useDriver } from '../support/drivers';
import { makeAppointment, makeAppointmentType, makeClinicWithStaff, setWeek } from '../support/factories';
import { callRoute, staffCookies } from '../support/http';

// Issue 16 item 3: booking rules per clinic (booking window and minimum notice overridable per
// appointment type), enforced for the agent through the real routes, warned about to staff. The
// routes run on the real clock: dates are counted from the clinic's today (Asia/Taipei).

const EVERY_DAY = Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [d, [['09:00', '18:00']]])) as Record<number, Array<[string, string]>>;

for (const driver of ['postgres', 'pglite'] as const)
  describe(`booking rules on ${driver}`, () => {
    useDriver(driver);
    let db: Db;
    beforeAll(async () => {
      db = await getDb();
    }, 60_000);
    const today = () => clinicNow('Asia/Taipei', new Date()).date;
    const day = (n: number) => addDays(today(), n);

    async function cast(rules: Partial<typeof clinics.$inferInsert> = {}) {
      const c = await makeClinicWithStaff(db);
      await setWeek(db, c.practitioner.id, EVERY_DAY);
      if (Object.keys(rules).length > 0) await db.update(clinics).set(rules).where(eq(clinics.id, c.clinic.id));
      const agent = (await createAgentKey(db, { clinicSlug: c.clinic.slug, name: 'agent' })).key;
      return { ...c, agent, cookies: await staffCookies(c) };
    }
    type Cast = Awaited<ReturnType<typeof cast>>;
    const slotsOf = async (c: Cast, from: string, to: string, typeId = c.type.id) => {
      const res = await callRoute(practitionerSlots, {
        path: `/api/clinic/practitioners/${c.practitioner.id}/availability/slots?from=${from}&to=${to}&appointment_type_id=${typeId}`,
        params: { user_id: String(c.practitioner.id) },
        agentKey: c.agent,
      });
      expect(res.status).toBe(200);
      return new Map((res.body.days as Array<{ date: string; available_slots: unknown[] }>).map((d) => [d.date, d.available_slots.length]));
    };
    const check = async (c: Cast, date: string, start: string, typeId = c.type.id) => {
      const res = await callRoute(slotCheck, {
        path: `/api/clinic/practitioners/${c.practitioner.id}/availability/slots/check?date=${date}&start_time=${start}&appointment_type_id=${typeId}`,
        params: { user_id: String(c.practitioner.id) },
        agentKey: c.agent,
      });
      expect(res.status).toBe(200);
      return res.body as { available: boolean; reason?: string };
    };
    const book = (c: Cast, date: string, start: string, auth: { staff?: boolean; confirm?: boolean; typeId?: number } = {}) =>
      callRoute(bookRoute, {
        method: 'POST',
        path: `/api/clinic/appointments${auth.confirm ? '?confirm=true' : ''}`,
        body: {
          practitioner_id: c.practitioner.id,
          patient_id: c.patient.id,
          appointment_type_id: auth.typeId ?? c.type.id,
          date,
          start_time: start,
        },
        cookie: auth.staff ? c.cookies.own : undefined,
        agentKey: auth.staff ? undefined : c.agent,
      });
    const appointmentAt = (c: Cast, date: string, start: string, end: string) =>
      makeAppointment(db, { userId: c.practitioner.id, patientId: c.patient.id, appointmentTypeId: c.type.id, date, startTime: start, endTime: end });

    it('booking window: no slot after today + N days, slots on today + N; the check and the 409 name it; staff are warned and may confirm', async () => {
      const c = await cast({ bookingWindowDays: 5 });
      const counts = await slotsOf(c, day(4), day(7));
      expect(counts.get(day(4))).toBeGreaterThan(0);
      expect(counts.get(day(5))).toBeGreaterThan(0);
      expect(counts.get(day(6))).toBe(0);
      expect(counts.get(day(7))).toBe(0);
      expect(await check(c, day(5), '10:00')).toMatchObject({ available: true });
      expect(await check(c, day(6), '10:00')).toMatchObject({ available: false, reason: 'beyond_booking_window' });

      const refused = await book(c, day(6), '10:00');
      expect(refused.status).toBe(409);
      expect(refused.body.error).toBe('slot_unavailable');
      expect(slotUnavailableDetails.parse(refused.body.details).reason).toBe('beyond_booking_window');
      // The alternatives are bookable: inside the window.
      for (const alt of refused.body.details.alternatives as Array<{ date: string }>) expect(alt.date <= day(5)).toBe(true);

      const warned = await book(c, day(6), '10:00', { staff: true });
      expect(warned.status).toBe(409);
      expect(warned.body).toMatchObject({ warning: 'outside_hours', details: { reasons: ['beyond_booking_window'] } });
      expect((await book(c, day(6), '10:00', { staff: true, confirm: true })).status).toBe(201);
      expect((await book(c, day(5), '10:00')).status).toBe(201);
    });

    it('booking window: the type’s own wins over the clinic’s either way; null everywhere is no limit', async () => {
      const c = await cast({ bookingWindowDays: 5 });
      const longer = await makeAppointmentType(db, { clinicId: c.clinic.id, name: 'Long window', bookingWindowDays: 10 });
      const shorter = await makeAppointmentType(db, { clinicId: c.clinic.id, name: 'Short window', bookingWindowDays: 2 });
      const l = await slotsOf(c, day(10), day(11), longer.id);
      expect([l.get(day(10))! > 0, l.get(day(11))]).toEqual([true, 0]);
      const s = await slotsOf(c, day(2), day(3), shorter.id);
      expect([s.get(day(2))! > 0, s.get(day(3))]).toEqual([true, 0]);
      expect(await check(c, day(3), '10:00', shorter.id)).toMatchObject({ available: false, reason: 'beyond_booking_window' });
      expect((await book(c, day(8), '10:00', { typeId: longer.id })).status).toBe(201);

      const open = await cast();
      expect((await slotsOf(open, day(400), day(400))).get(day(400))).toBeGreaterThan(0);
    });

    it('maximum per day: a full day has no slot and is day_full; one below the maximum books; staff are warned and may confirm', async () => {
      const c = await cast({ maxAppointmentsPerDay: 2 });
      const d = day(3);
      await appointmentAt(c, d, '09:00', '10:00');
      expect((await slotsOf(c, d, d)).get(d)).toBeGreaterThan(0);
      // One below the maximum: the agent books, and that fills the day.
      expect((await book(c, d, '11:00')).status).toBe(201);
      const counts = await slotsOf(c, d, addDays(d, 1));
      expect(counts.get(d)).toBe(0);
      expect(counts.get(addDays(d, 1))).toBeGreaterThan(0);
      expect(await check(c, d, '14:00')).toMatchObject({ available: false, reason: 'day_full' });
      const refused = await book(c, d, '14:00');
      expect(refused.status).toBe(409);
      expect(refused.body.details.reason).toBe('day_full');
      // A canceled appointment frees its place in the day.
      await db
        .update(appointments)
        .set({ status: 'canceled_by_clinic' })
        .where(and(eq(appointments.patientId, c.patient.id)));
      expect(await check(c, d, '14:00')).toMatchObject({ available: true });

      const s = await cast({ maxAppointmentsPerDay: 1 });
      await appointmentAt(s, d, '09:00', '10:00');
      const warned = await book(s, d, '14:00', { staff: true });
      expect(warned.status).toBe(409);
      expect(warned.body.details.reasons).toContain('day_full');
      expect((await book(s, d, '14:00', { staff: true, confirm: true })).status).toBe(201);
    });

    it('minimum notice per type: the type’s notice wins over the clinic’s, larger or smaller', async () => {
      const c = await cast({ minNoticeMinutes: 0 });
      const slow = await makeAppointmentType(db, { clinicId: c.clinic.id, name: 'Three days notice', minNoticeMinutes: 4 * 24 * 60 });
      expect(await check(c, day(2), '10:00')).toMatchObject({ available: true });
      expect(await check(c, day(2), '10:00', slow.id)).toMatchObject({ available: false, reason: 'too_soon' });
      expect((await slotsOf(c, day(2), day(2), slow.id)).get(day(2))).toBe(0);
      expect(await check(c, day(5), '10:00', slow.id)).toMatchObject({ available: true });
      const refused = await book(c, day(2), '10:00', { typeId: slow.id });
      expect([refused.status, refused.body.details?.reason]).toEqual([409, 'too_soon']);

      const strict = await cast({ minNoticeMinutes: 4 * 24 * 60 });
      const quick = await makeAppointmentType(db, { clinicId: strict.clinic.id, name: 'No notice', minNoticeMinutes: 0 });
      expect(await check(strict, day(2), '10:00')).toMatchObject({ available: false, reason: 'too_soon' });
      expect(await check(strict, day(2), '10:00', quick.id)).toMatchObject({ available: true });
    });

    it('maximum upcoming per patient: the agent is refused at the maximum (409 patient_limit_reached), one below books; staff are warned and may confirm', async () => {
      const c = await cast({ maxUpcomingPerPatient: 2 });
      // A past and a canceled appointment do not count.
      await appointmentAt(c, day(-3), '10:00', '11:00');
      const canceled = await appointmentAt(c, day(4), '10:00', '11:00');
      await db.update(appointments).set({ status: 'canceled_by_patient' }).where(eq(appointments.calendarEventId, canceled.id));
      await appointmentAt(c, day(2), '10:00', '11:00');
      expect((await book(c, day(3), '10:00')).status).toBe(201);
      const refused = await book(c, day(3), '14:00');
      expect(refused.status).toBe(409);
      expect(refused.body.error).toBe('patient_limit_reached');
      const warned = await book(c, day(3), '14:00', { staff: true });
      expect(warned.status).toBe(409);
      expect(warned.body).toMatchObject({ warning: 'outside_hours', details: { reasons: ['patient_limit'] } });
      expect((await book(c, day(3), '14:00', { staff: true, confirm: true })).status).toBe(201);
    });

    it('cancellation deadline: the agent is refused inside it (409 cancellation_window_passed) and not outside it; staff still cancel; null is no deadline', async () => {
      const c = await cast({ cancellationDeadlineHours: 72 });
      // From the clinic's now, day 2 at 10:00 is 34 to 58 hours away; day 4 at 10:00, 82 to 106.
      const near = await appointmentAt(c, day(2), '10:00', '11:00');
      const far = await appointmentAt(c, day(4), '10:00', '11:00');
      const cancel = (id: number, agent = c.agent) =>
        callRoute(cancelRoute, {
          method: 'POST',
          path: `/api/clinic/appointments/${id}/cancel`,
          params: { calendar_event_id: String(id) },
          agentKey: agent,
        });
      const refused = await cancel(near.id);
      expect(refused.status).toBe(409);
      expect(refused.body.error).toBe('cancellation_window_passed');
      const [still] = await db.select({ status: appointments.status }).from(appointments).where(eq(appointments.calendarEventId, near.id));
      expect(still!.status).toBe('confirmed');
      expect((await cancel(far.id)).status).toBe(200);
      const byStaff = await callRoute(deleteRoute, {
        method: 'DELETE',
        path: `/api/clinic/practitioners/${c.practitioner.id}/appointments/${near.id}`,
        params: { user_id: String(c.practitioner.id), calendar_event_id: String(near.id) },
        cookie: c.cookies.own,
      });
      expect(byStaff.status).toBe(200);
      // Repeating a cancellation already made answers as before, deadline or not.
      expect((await cancel(far.id)).status).toBe(200);

      const open = await cast();
      const soon = await makeAppointment(db, {
        userId: open.practitioner.id,
        patientId: open.patient.id,
        appointmentTypeId: open.type.id,
        date: day(1),
        startTime: '10:00',
        endTime: '11:00',
      });
      expect((await cancel(soon.id, open.agent)).status).toBe(200);
    });
    it('admin: the settings and the appointment types take the rules (versioned, null clears), and slots follow at once', async () => {
      const c = await cast();
      const settings = () => callRoute(getSettings, { path: '/api/clinic/admin/settings', cookie: c.cookies.admin });
      const patch = (body: Record<string, unknown>) =>
        callRoute(patchSettings, { method: 'PATCH', path: '/api/clinic/admin/settings', body, cookie: c.cookies.admin });
      const first = await settings();
      expect(first.body).toMatchObject({
        booking_window_days: null,
        max_appointments_per_day: null,
        max_upcoming_per_patient: null,
        cancellation_deadline_hours: null,
      });
      expect((await slotsOf(c, day(9), day(9))).get(day(9))).toBeGreaterThan(0);
      expect((await patch({ version: first.body.version, booking_window_days: -1 })).status).toBe(400);
      expect((await patch({ version: first.body.version, max_appointments_per_day: 0 })).status).toBe(400);
      const saved = await patch({
        version: first.body.version,
        booking_window_days: 7,
        max_appointments_per_day: 8,
        max_upcoming_per_patient: 3,
        cancellation_deadline_hours: 24,
      });
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({
        booking_window_days: 7,
        max_appointments_per_day: 8,
        max_upcoming_per_patient: 3,
        cancellation_deadline_hours: 24,
      });
      expect(saved.body.version).toBe(first.body.version + 1);
      // The agent's next answer follows (the clinic cache moved with the row).
      expect((await slotsOf(c, day(7), day(8))).get(day(8))).toBe(0);
      expect((await patch({ version: first.body.version, booking_window_days: 3 })).status).toBe(409);
      // Fields left out keep their values; null clears.
      const cleared = await patch({ version: saved.body.version, booking_window_days: null });
      expect(cleared.body).toMatchObject({ booking_window_days: null, max_appointments_per_day: 8 });
      expect((await slotsOf(c, day(8), day(8))).get(day(8))).toBeGreaterThan(0);

      const created = await callRoute(createType, {
        method: 'POST',
        path: '/api/clinic/admin/appointment-types',
        body: { name: 'Assessment', duration_minutes: 30, booking_window_days: 2, min_notice_minutes: 60 },
        cookie: c.cookies.admin,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ booking_window_days: 2, min_notice_minutes: 60 });
      expect((await slotsOf(c, day(3), day(3), created.body.id)).get(day(3))).toBe(0);
      const edited = await callRoute(patchType, {
        method: 'PATCH',
        path: `/api/clinic/admin/appointment-types/${created.body.id}`,
        params: { appointment_type_id: String(created.body.id) },
        body: { version: created.body.version, booking_window_days: null },
        cookie: c.cookies.admin,
      });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ booking_window_days: null, min_notice_minutes: 60, version: created.body.version + 1 });
      expect((await slotsOf(c, day(3), day(3), created.body.id)).get(day(3))).toBeGreaterThan(0);
    });
  });
