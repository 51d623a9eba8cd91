import { readFileSync } from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as activityRoute } from '@/app/api/clinic/admin/activity/route';
import { DELETE as deleteDay, PUT as putDay } from '@/app/api/clinic/admin/calendar-days/[day]/route';
import { POST as importRoute } from '@/app/api/clinic/admin/calendar-days/import/route';
import { GET as listDays, POST as addDay } from '@/app/api/clinic/admin/calendar-days/route';
import { GET as calendarRoute } from '@/app/api/clinic/practitioners/[user_id]/availability/calendar/route';
import { PUT as putWeek } from '@/app/api/clinic/practitioners/[user_id]/availability/default/route';
import { GET as slotCheck } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/check/route';
import { GET as practitionerSlots } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/route';
import { getDb, type Db } from '@/lib/db/client';
import { auditLog, clinicCalendarDays, users } from '@/lib/db/schema';
import { getClinicSettings } from '@/lib/queries/clinic';
import { findAppointmentType, slotsByPractitioner } from '@/lib/queries/slots';
import { createAgentKey } from '@/lib/services/agent-keys';
import { setObservesClinicCalendar } from '@/lib/services/clinic-calendar';
import { dbFingerprint } from '../support/db-fingerprint';
import { useDriver } from '../support/drivers';
import { makeAppointment, makeClinicWithStaff, setWeek } from '../support/factories';
import { callRoute, staffCookies } from '../support/http';

// Issue 16 item 2: the clinic calendar of holidays and make-up workdays through the real routes
// (admins), the government's office calendar imported from its CSV, and what the engine makes of
// both: a closed day is the clinic's whole local day, a make-up Saturday works with the chosen
// weekday's hours, an opted-out practitioner works as usual. Dates are in 2031: nothing ships there.

const SATURDAY = '2031-03-08';
const MONDAY = '2031-03-10';
const WEDNESDAY = '2031-03-12';
const THURSDAY = '2031-03-13';
const fixture = (name: string) => readFileSync(path.join(__dirname, '../fixtures', name));

for (const driver of ['postgres', 'pglite'] as const)
  describe(`clinic calendar on ${driver}`, () => {
    useDriver(driver);
    let db: Db;
    beforeAll(async () => {
      db = await getDb();
    }, 60_000);

    async function cast(
      week: Record<number, Array<[string, string]>> = { 1: [['09:00', '12:00']], 3: [['14:00', '17:00']], 5: [['10:00', '11:00']] },
    ) {
      const c = await makeClinicWithStaff(db);
      await setWeek(db, c.practitioner.id, week);
      await setWeek(db, c.colleague.id, week);
      const agent = (await createAgentKey(db, { clinicSlug: c.clinic.slug, name: 'agent' })).key;
      return { ...c, agent, cookies: await staffCookies(c) };
    }
    type Cast = Awaited<ReturnType<typeof cast>>;
    const admin = (c: Cast) => ({ cookie: c.cookies.admin });
    const slotsOn = async (c: Cast, date: string, practitionerId = c.practitioner.id) => {
      const res = await callRoute(practitionerSlots, {
        path: `/api/clinic/practitioners/${practitionerId}/availability/slots?date=${date}&appointment_type_id=${c.type.id}`,
        params: { user_id: String(practitionerId) },
        agentKey: c.agent,
      });
      expect(res.status).toBe(200);
      return (res.body.available_slots as Array<{ start_time: string }>).map((s) => s.start_time);
    };
    const add = (c: Cast, body: Record<string, unknown>, query = '') =>
      callRoute(addDay, { method: 'POST', path: `/api/clinic/admin/calendar-days${query}`, body, ...admin(c) });
    const importCsv = (c: Cast, body: Record<string, unknown>, dryRun: boolean) =>
      callRoute(importRoute, { method: 'POST', path: `/api/clinic/admin/calendar-days/import?dry_run=${dryRun}`, body, ...admin(c) });

    it('a make-up Saturday has slots with the chosen weekday’s hours; an opted-out practitioner keeps their own Saturday (none)', async () => {
      const c = await cast({ 1: [['09:00', '12:00']], 3: [['14:00', '17:00']] });
      expect(await slotsOn(c, SATURDAY)).toEqual([]);
      const res = await add(c, { date: SATURDAY, kind: 'workday', name: '補行上班', hours_of_weekday: 3 });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ date: SATURDAY, kind: 'workday', name: '補行上班', hours_of_weekday: 3, source: 'manual' });
      expect(await slotsOn(c, SATURDAY)).toEqual(['14:00', '15:00', '16:00']);
      const check = await callRoute(slotCheck, {
        path: `/api/clinic/practitioners/${c.practitioner.id}/availability/slots/check?date=${SATURDAY}&start_time=14:00&appointment_type_id=${c.type.id}`,
        params: { user_id: String(c.practitioner.id) },
        agentKey: c.agent,
      });
      expect(check.body).toMatchObject({ available: true });
      // The weekday's hours change: the make-up day follows (it borrows, it does not copy).
      await setObservesClinicCalendar(
        db,
        { kind: 'user', clinicId: c.clinic.id, userId: c.colleague.id, role: 'practitioner', isPractitioner: true, name: 'Dr. Lin' },
        {
          practitionerId: c.colleague.id,
          observes: false,
        },
      );
      expect(await slotsOn(c, SATURDAY, c.colleague.id)).toEqual([]);
      // Changed to Monday's hours by PUT (by date).
      const put = await callRoute(putDay, {
        method: 'PUT',
        path: `/api/clinic/admin/calendar-days/${SATURDAY}`,
        params: { day: SATURDAY },
        body: { kind: 'workday', name: '補行上班', hours_of_weekday: 1 },
        ...admin(c),
      });
      expect(put.status).toBe(200);
      expect(await slotsOn(c, SATURDAY)).toEqual(['09:00', '10:00', '11:00']);
      const day = await callRoute(calendarRoute, {
        path: `/api/clinic/practitioners/${c.practitioner.id}/availability/calendar?date=${SATURDAY}`,
        params: { user_id: String(c.practitioner.id) },
        cookie: c.cookies.own,
      });
      expect(day.body.default_schedule).toEqual([{ start_time: '09:00', end_time: '12:00' }]);
      expect(day.body.clinic_day).toEqual({ kind: 'workday', name: '補行上班', hours_of_weekday: 1, observed: true });
    });

    it('a holiday in Asia/Taipei blocks 00:00–24:00 local: slots, slot check (exception) and the day view, with the clock near midnight UTC; an opted-out practitioner keeps theirs', async () => {
      const allDay: Array<[string, string]> = [
        ['00:00', '08:00'],
        ['16:00', '24:00'],
      ];
      const c = await cast({ 2: allDay, 3: allDay, 4: allDay });
      const res = await add(c, { date: WEDNESDAY, kind: 'closed', name: '中秋節' });
      expect(res.status).toBe(201);
      await setObservesClinicCalendar(
        db,
        { kind: 'user', clinicId: c.clinic.id, userId: c.admin.id, role: 'admin', isPractitioner: false, name: 'Admin' },
        {
          practitionerId: c.colleague.id,
          observes: false,
        },
      );
      // 15:50 UTC on Tuesday is 23:50 in Taipei: the holiday starts in ten minutes, local time.
      const clinic = await getClinicSettings(db, c.clinic.id);
      const type = await findAppointmentType(db, c.clinic.id, c.type.id);
      const clock = () => new Date('2031-03-11T15:50:00Z');
      const slots = await slotsByPractitioner(db, {
        clinic,
        type,
        practitionerIds: [c.practitioner.id, c.colleague.id],
        from: '2031-03-11',
        to: THURSDAY,
        clock,
      });
      const starts = (id: number) => Object.fromEntries(slots.get(id)!.map((d) => [d.date, d.available_slots.map((s) => s.start_time)]));
      const hours = [
        '00:00',
        '01:00',
        '02:00',
        '03:00',
        '04:00',
        '05:00',
        '06:00',
        '07:00',
        '16:00',
        '17:00',
        '18:00',
        '19:00',
        '20:00',
        '21:00',
        '22:00',
        '23:00',
      ];
      expect(starts(c.practitioner.id)).toEqual({ '2031-03-11': [], [WEDNESDAY]: [], [THURSDAY]: hours });
      expect(starts(c.colleague.id)).toEqual({ '2031-03-11': [], [WEDNESDAY]: hours, [THURSDAY]: hours });
      for (const start of ['00:00', '23:00']) {
        const check = await callRoute(slotCheck, {
          path: `/api/clinic/practitioners/${c.practitioner.id}/availability/slots/check?date=${WEDNESDAY}&start_time=${start}&appointment_type_id=${c.type.id}`,
          params: { user_id: String(c.practitioner.id) },
          agentKey: c.agent,
        });
        expect(check.body).toMatchObject({ available: false, reason: 'exception' });
      }
      const day = await callRoute(calendarRoute, {
        path: `/api/clinic/practitioners/${c.practitioner.id}/availability/calendar?date=${WEDNESDAY}`,
        params: { user_id: String(c.practitioner.id) },
        cookie: c.cookies.own,
      });
      expect(day.body).toMatchObject({
        default_schedule: [],
        clinic_day: { kind: 'closed', name: '中秋節', hours_of_weekday: null, observed: true },
      });
      const colleagueDay = await callRoute(calendarRoute, {
        path: `/api/clinic/practitioners/${c.colleague.id}/availability/calendar?date=${WEDNESDAY}`,
        params: { user_id: String(c.colleague.id) },
        cookie: c.cookies.own,
      });
      expect(colleagueDay.body.default_schedule).toHaveLength(2);
      expect(colleagueDay.body.clinic_day).toMatchObject({ observed: false });
      // The month marks the holiday as a day with unavailable time, for those who observe it only.
      const month = async (id: number) => {
        const res = await callRoute(calendarRoute, {
          path: `/api/clinic/practitioners/${id}/availability/calendar?month=${WEDNESDAY.slice(0, 7)}`,
          params: { user_id: String(id) },
          cookie: c.cookies.own,
        });
        return (res.body.days as Array<{ date: string; exception_count: number }>).filter((d) => d.exception_count > 0).map((d) => d.date);
      };
      expect(await month(c.practitioner.id)).toEqual([WEDNESDAY]);
      expect(await month(c.colleague.id)).toEqual([]);
    });

    it('closing a day with a confirmed appointment warns (appointment_conflicts) and saves with confirm; the day is listed, changed, removed, each audited', async () => {
      const c = await cast();
      await makeAppointment(db, {
        userId: c.practitioner.id,
        patientId: c.patient.id,
        appointmentTypeId: c.type.id,
        date: MONDAY,
        startTime: '09:00',
        endTime: '10:00',
      });
      const before = await dbFingerprint(db);
      const warned = await add(c, { date: MONDAY, kind: 'closed', name: '颱風假' });
      expect(warned.status).toBe(409);
      expect(warned.body).toMatchObject({
        warning: 'appointment_conflicts',
        details: { affected_appointments: [{ date: MONDAY, time: '09:00-10:00', practitioner_id: c.practitioner.id, patient: c.patient.fullName }] },
      });
      expect(await dbFingerprint(db)).toEqual(before);
      expect((await add(c, { date: MONDAY, kind: 'closed', name: '颱風假' }, '?confirm=true')).status).toBe(201);
      expect((await add(c, { date: MONDAY, kind: 'closed', name: '颱風假' }, '?confirm=true')).body).toMatchObject({ error: 'conflict' });
      const list = await callRoute(listDays, { path: '/api/clinic/admin/calendar-days?year=2031', ...admin(c) });
      expect(list.body).toEqual({
        year: 2031,
        days: [expect.objectContaining({ date: MONDAY, kind: 'closed', name: '颱風假', hours_of_weekday: null })],
      });
      const id = String(list.body.days[0].id);
      const renamed = await callRoute(putDay, {
        method: 'PUT',
        path: `/api/clinic/admin/calendar-days/${id}`,
        params: { day: id },
        body: { kind: 'closed', name: '停診' },
        ...admin(c),
      });
      expect(renamed.body).toMatchObject({ date: MONDAY, name: '停診' });
      const removed = await callRoute(deleteDay, {
        method: 'DELETE',
        path: `/api/clinic/admin/calendar-days/${MONDAY}`,
        params: { day: MONDAY },
        ...admin(c),
      });
      expect(removed.body).toEqual({ message: expect.any(String), date: MONDAY });
      expect(await slotsOn(c, MONDAY)).toEqual(['10:00', '11:00']);
      const actions = await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.clinicId, c.clinic.id));
      expect(actions.map((a) => a.action).filter((a) => a.startsWith('clinic.calendar'))).toEqual([
        'clinic.calendar_day_added',
        'clinic.calendar_day_updated',
        'clinic.calendar_day_removed',
      ]);
    });

    it('imports a Taiwan year from the government CSV (Big5): the preview changes nothing and lists the appointments on newly closed days; apply is idempotent', async () => {
      const c = await cast({ 1: [['09:00', '12:00']], 5: [['10:00', '11:00']] });
      // A confirmed appointment on 中秋節 2025 would be in the past: the preview's list concerns the future only.
      const csv_base64 = fixture('office-calendar-2025.big5.csv').toString('base64');
      const before = await dbFingerprint(db);
      const preview = await importCsv(c, { csv_base64 }, true);
      expect(preview.status).toBe(200);
      expect(preview.body).toMatchObject({ year: 2025, dry_run: true, changed: [], removed: [], unchanged: 0, affected_appointments: [] });
      expect(preview.body.added).toHaveLength(14);
      expect(preview.body.added.find((d: { date: string }) => d.date === '2025-02-08')).toEqual({
        date: '2025-02-08',
        kind: 'workday',
        name: '補行上班',
        hours_of_weekday: 5,
      });
      expect(await dbFingerprint(db)).toEqual(before);

      const applied = await importCsv(c, { csv_base64, workday_hours_of_weekday: 1 }, false);
      expect(applied.body).toMatchObject({ year: 2025, dry_run: false });
      const rows = await db.select().from(clinicCalendarDays).where(eq(clinicCalendarDays.clinicId, c.clinic.id));
      expect(rows).toHaveLength(14);
      expect(rows.find((r) => r.date === '2025-02-08')).toMatchObject({ kind: 'workday', hoursOfWeekday: 1, source: 'import' });
      expect(rows.find((r) => r.date === '2025-10-06')).toMatchObject({ kind: 'closed', name: '中秋節', source: 'import' });
      const audits = () =>
        db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.clinicId, c.clinic.id), eq(auditLog.action, 'clinic.calendar_imported')));
      expect(await audits()).toHaveLength(1);

      const again = await importCsv(c, { csv_base64, workday_hours_of_weekday: 1 }, false);
      expect(again.body).toMatchObject({ added: [], changed: [], removed: [], unchanged: 14 });
      expect(await audits()).toHaveLength(1);
      // The activity log reads it in the admin's language and links to that year's page.
      for (const [locale, summary] of [
        ['en', 'Imported the office calendar of 2025: 14 days added, 0 changed, 0 removed'],
        ['zh-TW', '匯入了 2025 年的辦公日曆表：新增 14 天、修改 0 天、移除 0 天'],
      ] as const) {
        const log = await callRoute(activityRoute, {
          path: '/api/clinic/admin/activity?kind=settings',
          ...admin(c),
          headers: { 'accept-language': locale },
        });
        expect(log.body.entries[0]).toMatchObject({ action: 'clinic.calendar_imported', summary, link: '/settings/clinic/holidays?year=2025' });
      }
    });

    it('a later file for the same year previews what it adds, changes and removes (days set by hand kept) and the future appointments it closes over', async () => {
      const c = await cast();
      const head = '西元日期,星期,是否放假,備註\n';
      expect((await importCsv(c, { csv: `${head}20310310,一,2,春節\n20310312,三,2,補假\n` }, false)).status).toBe(200);
      expect((await add(c, { date: THURSDAY, kind: 'closed', name: '院慶' })).status).toBe(201);
      await makeAppointment(db, {
        userId: c.practitioner.id,
        patientId: c.patient.id,
        appointmentTypeId: c.type.id,
        date: '2031-03-14',
        startTime: '10:00',
        endTime: '11:00',
      });
      const csv = `\uFEFF${head}20310310,一,2,開國紀念日\n20310312,三,0,\n20310313,四,0,\n20310314,五,2,補假\n20310308,六,0,補行上班\n`;
      const preview = await importCsv(c, { csv }, true);
      expect(preview.body).toMatchObject({
        added: [
          { date: SATURDAY, kind: 'workday', name: '補行上班', hours_of_weekday: 5 },
          { date: '2031-03-14', kind: 'closed', name: '補假', hours_of_weekday: null },
        ],
        changed: [{ date: MONDAY, before: { name: '春節' }, after: { name: '開國紀念日' } }],
        removed: [{ date: WEDNESDAY, name: '補假' }],
        unchanged: 0,
        affected_appointments: [{ date: '2031-03-14', time: '10:00-11:00', practitioner_name: 'Dr. Chen' }],
      });
      await importCsv(c, { csv }, false);
      const rows = await db
        .select({ date: clinicCalendarDays.date, name: clinicCalendarDays.name })
        .from(clinicCalendarDays)
        .where(eq(clinicCalendarDays.clinicId, c.clinic.id));
      expect(rows.sort((a, b) => a.date.localeCompare(b.date))).toEqual([
        { date: SATURDAY, name: '補行上班' },
        { date: MONDAY, name: '開國紀念日' },
        { date: THURSDAY, name: '院慶' },
        { date: '2031-03-14', name: '補假' },
      ]);
    });

    it('loads a shipped Taiwan year; refuses a year that does not ship', async () => {
      const c = await cast();
      const res = await importCsv(c, { taiwan_year: 2027 }, false);
      expect(res.status).toBe(200);
      expect(res.body.added).toHaveLength(24);
      expect(res.body.added[0]).toEqual({ date: '2027-01-01', kind: 'closed', name: '開國紀念日', hours_of_weekday: null });
      expect((await importCsv(c, { taiwan_year: 2031 }, true)).body).toMatchObject({ error: 'validation_error' });
    });

    it('admins only; bad input is 400 in the contract’s shape and changes nothing; an unknown day is 404', async () => {
      const c = await cast();
      const before = await dbFingerprint(db);
      const body = { date: MONDAY, kind: 'closed', name: '中秋節' };
      for (const who of [{ cookie: c.cookies.own }, { agentKey: c.agent }]) {
        expect((await callRoute(addDay, { method: 'POST', path: '/api/clinic/admin/calendar-days', body, ...who })).status).toBe(403);
        expect((await callRoute(listDays, { path: '/api/clinic/admin/calendar-days?year=2031', ...who })).status).toBe(403);
        expect(
          (await callRoute(importRoute, { method: 'POST', path: '/api/clinic/admin/calendar-days/import', body: { taiwan_year: 2026 }, ...who }))
            .status,
        ).toBe(403);
      }
      expect((await callRoute(addDay, { method: 'POST', path: '/api/clinic/admin/calendar-days', body })).status).toBe(401);
      for (const bad of [
        { date: MONDAY, kind: 'workday', name: '補行上班' },
        { date: MONDAY, kind: 'closed', name: '中秋節', hours_of_weekday: 1 },
        { date: MONDAY, kind: 'workday', name: '補行上班', hours_of_weekday: 7 },
        { date: '2031-02-30', kind: 'closed', name: '中秋節' },
        { date: MONDAY, kind: 'holiday', name: '中秋節' },
        { date: MONDAY, kind: 'closed', name: '' },
        { date: MONDAY, kind: 'closed', name: '中秋節', extra: true },
      ]) {
        const res = await add(c, bad);
        expect(res, JSON.stringify(bad)).toMatchObject({ status: 400, body: { error: 'validation_error', message: expect.any(String) } });
      }
      for (const bad of [
        {},
        { csv: 'a,b\n1,2\n', taiwan_year: 2026 },
        { csv: 'date,holiday\n20310101,2\n' },
        { csv_base64: 'not base64!' },
        { csv_base64: Buffer.from([0xff, 0xfe, 0xff, 0x80]).toString('base64') },
      ]) {
        const res = await importCsv(c, bad, false);
        expect(res, JSON.stringify(bad)).toMatchObject({ status: 400, body: { error: 'validation_error' } });
      }
      const line = await importCsv(c, { csv: '西元日期,星期,是否放假,備註\n20310101,三,2,開國紀念日\n20310102,四,1,\n' }, false);
      expect(line.body.details).toMatchObject({ line: 3 });
      expect(await dbFingerprint(db)).toEqual(before);
      for (const day of ['2031-02-30', 'tomorrow', '0', '2147483648']) {
        const res = await callRoute(deleteDay, { method: 'DELETE', path: `/api/clinic/admin/calendar-days/${day}`, params: { day }, ...admin(c) });
        expect(res.status, day).toBe(404);
      }
      expect(
        (await callRoute(deleteDay, { method: 'DELETE', path: `/api/clinic/admin/calendar-days/${MONDAY}`, params: { day: MONDAY }, ...admin(c) }))
          .status,
      ).toBe(404);
    });

    it('a weekly-hours change warns about an appointment on a make-up day that borrows the changed weekday, not about one on a closed day', async () => {
      const c = await cast({ 1: [['09:00', '12:00']] });
      await add(c, { date: SATURDAY, kind: 'workday', name: '補行上班', hours_of_weekday: 1 });
      await add(c, { date: MONDAY, kind: 'closed', name: '颱風假' });
      const made = await makeAppointment(db, {
        userId: c.practitioner.id,
        patientId: c.patient.id,
        appointmentTypeId: c.type.id,
        date: SATURDAY,
        startTime: '10:00',
        endTime: '11:00',
      });
      await makeAppointment(db, {
        userId: c.practitioner.id,
        patientId: c.patient.id,
        appointmentTypeId: c.type.id,
        date: MONDAY,
        startTime: '09:00',
        endTime: '10:00',
      });
      const days = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
      const week = Object.fromEntries(days.map((d) => [d, d === 'monday' ? [{ start_time: '14:00', end_time: '17:00' }] : []]));
      const res = await callRoute(putWeek, {
        method: 'PUT',
        path: `/api/clinic/practitioners/${c.practitioner.id}/availability/default`,
        params: { user_id: String(c.practitioner.id) },
        body: week,
        cookie: c.cookies.own,
      });
      expect(res.status).toBe(409);
      expect(res.body.details.affected_appointments).toEqual([
        { calendar_event_id: made.id, date: SATURDAY, time: '10:00-11:00', patient: c.patient.fullName },
      ]);
    });

    it('opting out is the practitioner’s or an admin’s, audited; a colleague may not', async () => {
      const c = await cast();
      const self = {
        kind: 'user' as const,
        clinicId: c.clinic.id,
        userId: c.practitioner.id,
        role: 'practitioner' as const,
        isPractitioner: true,
        name: 'Dr. Chen',
      };
      const colleague = { ...self, userId: c.colleague.id, name: 'Dr. Lin' };
      await expect(setObservesClinicCalendar(db, colleague, { practitionerId: c.practitioner.id, observes: false })).rejects.toMatchObject({
        code: 'forbidden',
      });
      expect(await setObservesClinicCalendar(db, self, { practitionerId: c.practitioner.id, observes: false })).toEqual({
        practitioner_id: c.practitioner.id,
        observes_clinic_calendar: false,
      });
      const [row] = await db.select({ observes: users.observesClinicCalendar }).from(users).where(eq(users.id, c.practitioner.id));
      expect(row!.observes).toBe(false);
      const [entry] = await db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.clinicId, c.clinic.id), eq(auditLog.action, 'member.clinic_calendar_changed')));
      expect(entry).toMatchObject({
        entityType: 'user',
        entityId: String(c.practitioner.id),
        details: { practitioner_id: c.practitioner.id, observes: false },
      });
    });
  });
