import { and, eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GET as dayView } from '@/app/api/clinic/practitioners/[user_id]/availability/calendar/route';
import { POST } from '@/app/api/clinic/practitioners/[user_id]/availability/exceptions/route';
import { DELETE, PUT } from '@/app/api/clinic/practitioners/[user_id]/availability/exceptions/[exception_id]/route';
import { POST as clear } from '@/app/api/clinic/practitioners/[user_id]/availability/exceptions/clear/route';
import { GET as slots } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/route';
import { GET as slotCheck } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/check/route';
import { userCaller } from '@/lib/auth/caller';
import { auditLog, availabilityExceptions, calendarEvents } from '@/lib/db/schema';
import { AppWarning } from '@/lib/errors';
import { createException } from '@/lib/services/availability-exceptions';
import { fixedClock } from '@/lib/time/clock';
import { useTestDatabase } from '../support/db';
import { makeAppointment, makeClinicWithStaff, setWeek } from '../support/factories';
import { callRoute, staffCookies } from '../support/http';

// Recurring exceptions through the contract's routes (issue 16): every Wednesday 14:00–18:00 from
// Wednesday 2031-03-05; one occurrence changed or deleted leaves the others; following ends the
// series; all deletes it with its edited occurrence; day views and slots follow every occurrence.
const START = '2031-03-05';
const WEEKLY = 'FREQ=WEEKLY;BYDAY=WE;UNTIL=20311231';

describe('recurring exceptions', () => {
  const t = useTestDatabase();
  let a: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let own: string;

  beforeAll(async () => {
    a = await makeClinicWithStaff(t.db());
    ({ own } = await staffCookies(a));
    await setWeek(t.db(), a.practitioner.id, { 3: [['09:00', '18:00']] });
  });
  beforeEach(async () => {
    await t.db().delete(calendarEvents).where(eq(calendarEvents.userId, a.practitioner.id));
  });

  const base = `/api/clinic/practitioners/{id}/availability/exceptions`;
  const path = () => base.replace('{id}', String(a.practitioner.id));
  const params = (exceptionId?: number) => ({ user_id: String(a.practitioner.id), ...(exceptionId ? { exception_id: String(exceptionId) } : {}) });
  const post = (body: unknown, query = '') => callRoute(POST, { method: 'POST', path: path() + query, params: params(), body, cookie: own });
  const put = (id: number, body: unknown, query = '') =>
    callRoute(PUT, { method: 'PUT', path: `${path()}/${id}${query}`, params: params(id), body, cookie: own });
  const del = (id: number, query = '') => callRoute(DELETE, { method: 'DELETE', path: `${path()}/${id}${query}`, params: params(id), cookie: own });
  const day = async (date: string) => {
    const res = await callRoute(dayView, {
      path: `/api/clinic/practitioners/${a.practitioner.id}/availability/calendar?date=${date}`,
      params: params(),
      cookie: own,
    });
    expect(res.status).toBe(200);
    return (res.body.events as Array<Record<string, unknown>>).filter((e) => e.type === 'availability_exception');
  };
  const spans = async (date: string) => (await day(date)).map((e) => `${e.start_time}-${e.end_time}`);
  const starts = async (date: string) => {
    const res = await callRoute(slots, {
      path: `/api/clinic/practitioners/${a.practitioner.id}/availability/slots?date=${date}&appointment_type_id=${a.type.id}`,
      params: params(),
      cookie: own,
    });
    expect(res.status).toBe(200);
    return (res.body.available_slots as Array<{ start_time: string }>).map((s) => s.start_time);
  };
  const createWeekly = async (rule = WEEKLY) => {
    const res = await post({ date: START, start_time: '14:00', end_time: '18:00', recurrence: rule });
    expect(res.status).toBe(201);
    return res.body as { exception_id: number; calendar_event_id: number };
  };

  it('creates a series: the answer carries its rule, and every occurrence shows in the day view and takes its slots', async () => {
    const res = await post({ date: START, start_time: '14:00', end_time: '18:00', recurrence: 'freq=weekly;byday=we;until=20311231' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      date: START,
      start_time: '14:00',
      end_time: '18:00',
      recurrence: WEEKLY,
      exdates: [],
      series_until: '2031-12-31',
    });
    for (const date of [START, '2031-03-12', '2031-12-31']) {
      expect(await day(date)).toEqual([
        expect.objectContaining({ exception_id: res.body.exception_id, start_time: '14:00', recurrence: WEEKLY, occurrence_date: date }),
      ]);
      expect(await starts(date)).toEqual(['09:00', '10:00', '11:00', '12:00', '13:00']);
    }
    expect(await day('2031-03-11')).toEqual([]);
    // The slot check names the exception as the reason on an occurrence.
    const check = async (date: string) =>
      (
        await callRoute(slotCheck, {
          path: `/api/clinic/practitioners/${a.practitioner.id}/availability/slots/check?date=${date}&start_time=15:00&appointment_type_id=${a.type.id}`,
          params: params(),
          cookie: own,
        })
      ).body;
    expect(await check('2031-03-19')).toMatchObject({ available: false, reason: 'exception' });
    const month = await callRoute(dayView, {
      path: `/api/clinic/practitioners/${a.practitioner.id}/availability/calendar?month=2031-03`,
      params: params(),
      cookie: own,
    });
    const marked = (month.body.days as Array<{ date: string; exception_count: number }>).filter((d) => d.exception_count > 0).map((d) => d.date);
    expect(marked).toEqual(['2031-03-05', '2031-03-12', '2031-03-19', '2031-03-26']);
    expect(await day('2032-01-07')).toEqual([]);
    expect(await starts('2032-01-07')).toContain('15:00');
  });

  it('a series starting on a day its rule skips starts on its first date; bad rules are 400 with the reason', async () => {
    const res = await post({ date: '2031-03-03', recurrence: 'FREQ=WEEKLY;BYDAY=WE;COUNT=2' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ date: START, start_time: null, recurrence: 'FREQ=WEEKLY;BYDAY=WE;COUNT=2', series_until: '2031-03-12' });
    for (const recurrence of ['FREQ=HOURLY', 'FREQ=WEEKLY;BYSETPOS=1', 'FREQ=MONTHLY;BYDAY=WE,2WE', 'RRULE:DTSTART=2031', 42]) {
      const bad = await post({ date: START, recurrence });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toBe('validation_error');
    }
  });

  it('warns with the appointments of every future occurrence within the horizon, each with its date; confirm saves (the service, clock pinned)', async () => {
    // The service with the clock pinned: today is Monday 2031-03-03, the horizon a year on.
    const caller = (await userCaller(a.practitioner.id))!;
    const clock = fixedClock('2031-03-03T09:00:00+08:00');
    const appt = (date: string, startTime: string, endTime: string) =>
      makeAppointment(t.db(), { userId: a.practitioner.id, patientId: a.patient.id, appointmentTypeId: a.type.id, date, startTime, endTime });
    await appt('2031-03-19', '15:00', '16:00');
    await appt('2031-06-04', '10:00', '11:00');
    await appt('2031-11-26', '16:00', '17:00');
    await appt('2032-03-31', '14:00', '15:00');
    const body = { date: START, start_time: '14:00', end_time: '18:00', recurrence: 'FREQ=WEEKLY;BYDAY=WE' };
    const warning = await createException(t.db(), caller, { practitionerId: a.practitioner.id, body, confirm: false, clock }).catch(
      (e: unknown) => e,
    );
    expect(warning).toBeInstanceOf(AppWarning);
    const listed = (warning as AppWarning).details as { conflicting_appointments: Array<{ date: string; start_time: string }> };
    expect(listed.conflicting_appointments.map((c) => `${c.date} ${c.start_time}`)).toEqual(['2031-03-19 15:00', '2031-11-26 16:00']);
    const saved = await createException(t.db(), caller, { practitionerId: a.practitioner.id, body, confirm: true, clock });
    expect(saved.recurrence).toBe('FREQ=WEEKLY;BYDAY=WE');
  });

  it('this occurrence: a changed one becomes its own exception and the others stay; a deleted one goes alone', async () => {
    const series = await createWeekly();
    const changed = await put(series.exception_id, { start_time: '16:00', end_time: '17:00' }, '?scope=this&occurrence_date=2031-03-12');
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      date: '2031-03-12',
      start_time: '16:00',
      recurrence: null,
      recurring_exception_id: series.exception_id,
      original_date: '2031-03-12',
    });
    expect(await spans('2031-03-12')).toEqual(['16:00-17:00']);
    expect(await spans('2031-03-19')).toEqual(['14:00-18:00']);
    expect(await starts('2031-03-12')).toContain('14:00');

    expect((await del(series.exception_id, '?scope=this&occurrence_date=2031-03-26')).status).toBe(200);
    expect(await spans('2031-03-26')).toEqual([]);
    expect(await starts('2031-03-26')).toContain('15:00');
    expect(await spans('2031-04-02')).toEqual(['14:00-18:00']);
    const [row] = await t.db().select().from(availabilityExceptions).where(eq(availabilityExceptions.id, series.exception_id));
    expect(row!.exdates).toEqual(['2031-03-12', '2031-03-26']);
  });

  it('this and following: the series ends the day before; a change starts a new series there', async () => {
    const series = await createWeekly();
    const res = await put(series.exception_id, { start_time: '15:00' }, '?scope=following&occurrence_date=2031-04-02');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ date: '2031-04-02', start_time: '15:00', end_time: '18:00', recurrence: WEEKLY, series_until: '2031-12-31' });
    expect(res.body.exception_id).not.toBe(series.exception_id);
    expect(await spans('2031-03-26')).toEqual(['14:00-18:00']);
    expect(await spans('2031-04-02')).toEqual(['15:00-18:00']);
    expect(await spans('2031-12-31')).toEqual(['15:00-18:00']);
    const [old] = await t.db().select().from(availabilityExceptions).where(eq(availabilityExceptions.id, series.exception_id));
    expect(old).toMatchObject({ rrule: 'FREQ=WEEKLY;BYDAY=WE;UNTIL=20310401', seriesUntil: '2031-03-26' });

    expect((await del(res.body.exception_id, '?scope=following&occurrence_date=2031-05-07')).status).toBe(200);
    expect(await spans('2031-04-30')).toEqual(['15:00-18:00']);
    expect(await spans('2031-05-07')).toEqual([]);
  });

  it('this and following with "does not repeat": the series ends the day before, the occurrence stays on its own', async () => {
    const series = await createWeekly();
    const res = await put(series.exception_id, { recurrence: null }, '?scope=following&occurrence_date=2031-03-19');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ date: '2031-03-19', start_time: '14:00', recurrence: null });
    expect(await spans('2031-03-12')).toEqual(['14:00-18:00']);
    expect((await day('2031-03-19')).map((e) => e.recurrence)).toEqual([null]);
    expect(await spans('2031-03-26')).toEqual([]);
  });

  it('a COUNT series cut by following keeps its count right', async () => {
    const series = await createWeekly('FREQ=WEEKLY;BYDAY=WE;COUNT=10');
    expect((await del(series.exception_id, '?scope=following&occurrence_date=2031-03-19')).status).toBe(200);
    const [row] = await t.db().select().from(availabilityExceptions).where(eq(availabilityExceptions.id, series.exception_id));
    expect(row).toMatchObject({ rrule: 'FREQ=WEEKLY;BYDAY=WE;COUNT=2', seriesUntil: '2031-03-12' });
  });

  it('all: a change moves every occurrence; deleting deletes the series with its edited occurrences', async () => {
    const series = await createWeekly();
    await put(series.exception_id, { start_time: '09:00', end_time: '10:00' }, '?scope=this&occurrence_date=2031-03-12');
    const moved = await put(series.exception_id, { start_time: '13:00' }, '?scope=all&occurrence_date=2031-03-19');
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ date: START, start_time: '13:00', recurrence: WEEKLY, exdates: ['2031-03-12'] });
    expect(await spans('2031-03-19')).toEqual(['13:00-18:00']);
    expect(await spans('2031-03-12')).toEqual(['09:00-10:00']);

    expect((await del(series.exception_id)).status).toBe(200);
    expect(await spans('2031-03-12')).toEqual([]);
    expect(await spans('2031-03-19')).toEqual([]);
    const left = await t.db().select().from(calendarEvents).where(eq(calendarEvents.userId, a.practitioner.id));
    expect(left).toEqual([]);
    const entries = await t
      .db()
      .select({ details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'availability_exception.deleted'), eq(auditLog.entityId, String(series.exception_id))));
    expect(entries.at(-1)!.details).toMatchObject({ recurrence: WEEKLY, scope: 'all' });
  });

  it('scope this or following needs an occurrence: 400 otherwise', async () => {
    const series = await createWeekly();
    expect((await del(series.exception_id, '?scope=this')).status).toBe(400);
    expect((await del(series.exception_id, '?scope=this&occurrence_date=2031-03-11')).status).toBe(400);
    expect((await put(series.exception_id, { start_time: '15:00' }, '?scope=following&occurrence_date=2032-01-07')).status).toBe(400);
    expect((await del(series.exception_id, '?scope=sometimes&occurrence_date=2031-03-12')).status).toBe(400);
    const single = await post({ date: START, start_time: '09:00', end_time: '10:00' });
    expect(single.body.recurrence).toBeNull();
    expect((await del(single.body.exception_id, `?scope=this&occurrence_date=${START}`)).status).toBe(400);
    expect((await del(single.body.exception_id)).status).toBe(200);
  });

  it('clearing a range removes the occurrences in it (a series wholly inside goes)', async () => {
    const series = await createWeekly();
    const short = await post({ date: '2031-03-20', recurrence: 'FREQ=DAILY;COUNT=3' });
    const res = await callRoute(clear, {
      method: 'POST',
      path: `${path()}/clear`,
      params: params(),
      body: { from: '2031-03-10', to: '2031-03-24' },
      cookie: own,
    });
    expect(res.status).toBe(200);
    expect(res.body.deleted).toBe(5);
    expect(await spans('2031-03-12')).toEqual([]);
    expect(await spans('2031-03-19')).toEqual([]);
    expect(await spans('2031-03-26')).toEqual(['14:00-18:00']);
    expect(await day('2031-03-21')).toEqual([]);
    const rows = await t.db().select({ id: availabilityExceptions.id }).from(availabilityExceptions);
    expect(rows.map((r) => r.id)).toEqual([series.exception_id]);
    expect(short.status).toBe(201);
  });
});
