import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '@/lib/auth/caller';
import { getDb, onQuery, type Db } from '@/lib/db/client';
import { appointments, googleBusyTimes } from '@/lib/db/schema';
import { getDayView } from '@/lib/queries/calendar';
import { getTeamDay, getWeekView, mondayOf, weekPageRange } from '@/lib/queries/week';
import { addDays } from '@/lib/time/dates';
import { useDriver } from '../support/drivers';
import { makeAppointment, makeClinicWithStaff, makeException, makeUser, setWeek } from '../support/factories';

// Issue 14 items 3 and 4: the week view is seven day views from one bulk load, and the team day's
// number of queries does not grow with the number of practitioners.

const staffOf = (clinicId: number, user: { id: number; name: string }, role: 'practitioner' | 'admin' = 'practitioner'): Caller => ({
  kind: 'user',
  clinicId,
  userId: user.id,
  role,
  isPractitioner: role === 'practitioner',
  name: user.name,
});

/** The queries a call sends to the database. */
async function queriesOf(run: () => Promise<unknown>): Promise<number> {
  let n = 0;
  const off = onQuery(() => {
    n += 1;
  });
  try {
    await run();
  } finally {
    off();
  }
  return n;
}

// 2030-06-03 is a Monday.
const MONDAY = '2030-06-03';

for (const driver of ['postgres', 'pglite'] as const) {
  describe(`week and team views on ${driver}`, () => {
    useDriver(driver);
    let db: Db;
    let a: Awaited<ReturnType<typeof makeClinicWithStaff>>;

    beforeAll(async () => {
      db = await getDb();
      a = await makeClinicWithStaff(db);
      const chen = a.practitioner.id;
      // Mondays and Wednesdays 09:00-12:00 and 13:00-17:00, Saturdays 06:30-10:00; nothing else.
      await setWeek(db, chen, {
        1: [
          ['09:00', '12:00'],
          ['13:00', '17:00'],
        ],
        3: [['09:00', '17:00']],
        6: [['06:30', '10:00']],
      });
      const appt = (date: string, startTime: string, endTime: string) =>
        makeAppointment(db, { userId: chen, patientId: a.patient.id, appointmentTypeId: a.type.id, date, startTime, endTime });
      await appt(MONDAY, '09:00', '10:00');
      // Outside hours (Tuesday has none).
      await appt(addDays(MONDAY, 1), '10:00', '11:00');
      const arrived = await appt(addDays(MONDAY, 2), '14:00', '15:00');
      await db.update(appointments).set({ attendance: 'no_show' }).where(eq(appointments.calendarEventId, arrived.id));
      await appt(addDays(MONDAY, 5), '06:30', '07:30');
      // Canceled: in no view.
      await makeAppointment(db, {
        userId: chen,
        patientId: a.patient.id,
        appointmentTypeId: a.type.id,
        date: addDays(MONDAY, 2),
        startTime: '09:00',
        endTime: '10:00',
        status: 'canceled_by_patient',
      });
      await makeException(db, { userId: chen, date: addDays(MONDAY, 2), startTime: '12:00', endTime: '13:00' });
      await makeException(db, { userId: chen, date: addDays(MONDAY, 4) });
      await db.insert(googleBusyTimes).values([
        { userId: chen, gcalEventId: 'busy-1', date: addDays(MONDAY, 3), startTime: '15:00', endTime: '16:00' },
        { userId: chen, gcalEventId: 'busy-2', date: addDays(MONDAY, 6), startTime: null, endTime: null },
      ]);
      // The colleague's appointment stays out of Dr. Chen's week.
      await makeAppointment(db, {
        userId: a.colleague.id,
        patientId: a.patient.id,
        appointmentTypeId: a.type.id,
        date: MONDAY,
        startTime: '11:00',
        endTime: '12:00',
      });
    });

    it("a week's data equals its seven day views, from one bulk load", async () => {
      const caller = staffOf(a.clinic.id, a.practitioner);
      const week = await getWeekView(db, caller, { practitionerId: a.practitioner.id, from: MONDAY, to: addDays(MONDAY, 6) });
      const days = [];
      for (let i = 0; i < 7; i++) days.push(await getDayView(db, caller, { practitionerId: a.practitioner.id, date: addDays(MONDAY, i) }));
      expect(week.days).toEqual(days);
      // What the week shows, spelled out: the outside-hours flag, the attendance, the exceptions and busy time.
      expect(week.days.map((d) => d.events.length)).toEqual([1, 1, 2, 0, 1, 1, 0]);
      expect(week.days[1]!.events[0]).toMatchObject({ type: 'appointment', outside_hours: true });
      expect(week.days[2]!.events.map((e) => e.type)).toEqual(['availability_exception', 'appointment']);
      expect(week.days[2]!.events[1]).toMatchObject({ attendance: 'no_show', outside_hours: false });
      expect(week.days[4]!.events[0]).toMatchObject({ type: 'availability_exception', start_time: null });
      expect(week.days[3]!.busy).toEqual([{ start_time: '15:00', end_time: '16:00' }]);
      expect(week.days[6]!.busy).toEqual([{ start_time: null, end_time: null }]);
      expect(week.days[5]!.default_schedule).toEqual([{ start_time: '06:30', end_time: '10:00' }]);

      // Warm (the clinic's cached snapshot): one bulk load of three queries, as a single day costs.
      const weekQueries = await queriesOf(() => getWeekView(db, caller, { practitionerId: a.practitioner.id, from: MONDAY, to: addDays(MONDAY, 6) }));
      const dayQueries = await queriesOf(() => getDayView(db, caller, { practitionerId: a.practitioner.id, date: MONDAY }));
      expect(weekQueries).toBe(dayQueries);
    });

    it('the page range covers the desktop week and the phone three days', () => {
      expect(mondayOf('2030-06-09')).toBe(MONDAY);
      expect(mondayOf(MONDAY)).toBe(MONDAY);
      expect(weekPageRange('2030-06-05')).toEqual({ from: MONDAY, to: '2030-06-09' });
      // Saturday: its three days run to Monday of the next week.
      expect(weekPageRange('2030-06-08')).toEqual({ from: MONDAY, to: '2030-06-10' });
    });

    it("refuses another clinic's practitioner and a range over 14 days", async () => {
      const b = await makeClinicWithStaff(db);
      const caller = staffOf(a.clinic.id, a.practitioner);
      await expect(getWeekView(db, caller, { practitionerId: b.practitioner.id, from: MONDAY, to: addDays(MONDAY, 6) })).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(getWeekView(db, caller, { practitionerId: a.practitioner.id, from: MONDAY, to: addDays(MONDAY, 14) })).rejects.toThrow(RangeError);
    });

    it("the team day shows every active practitioner's day view, each column's own", async () => {
      const admin = staffOf(a.clinic.id, a.admin, 'admin');
      const team = await getTeamDay(db, admin, { date: MONDAY });
      expect(team.columns.map((c) => c.practitioner.name)).toEqual(['Dr. Chen', 'Dr. Lin']);
      for (const c of team.columns) {
        expect(c.day).toEqual(await getDayView(db, admin, { practitionerId: c.practitioner.id, date: MONDAY }));
        expect(c.can_manage).toBe(true);
      }
      expect(team.columns[1]!.day.events.map((e) => e.start_time)).toEqual(['11:00']);
      // A practitioner manages their own column only.
      const chen = await getTeamDay(db, staffOf(a.clinic.id, a.practitioner), { date: MONDAY });
      expect(chen.columns.map((c) => c.can_manage)).toEqual([true, false]);
    });

    it('the team day costs the same queries for 2 practitioners and for 50', async () => {
      const small = await makeClinicWithStaff(db);
      const large = await makeClinicWithStaff(db);
      for (let i = 0; i < 48; i++) {
        const user = await makeUser(db, { clinicId: large.clinic.id, name: `Dr. ${String(i).padStart(2, '0')}` });
        await setWeek(db, user.id, { 1: [['09:00', '17:00']] });
        await makeAppointment(db, {
          userId: user.id,
          patientId: large.patient.id,
          appointmentTypeId: large.type.id,
          date: MONDAY,
          startTime: '10:00',
          endTime: '11:00',
        });
        if (i % 5 === 0) await makeException(db, { userId: user.id, date: MONDAY, startTime: '15:00', endTime: '16:00' });
      }
      await makeAppointment(db, {
        userId: small.practitioner.id,
        patientId: small.patient.id,
        appointmentTypeId: small.type.id,
        date: MONDAY,
        startTime: '10:00',
        endTime: '11:00',
      });
      const smallCaller = staffOf(small.clinic.id, small.admin, 'admin');
      const largeCaller = staffOf(large.clinic.id, large.admin, 'admin');
      // Cold and warm (the clinic snapshot cached), each the same for both.
      const cold = [
        await queriesOf(() => getTeamDay(db, smallCaller, { date: MONDAY })),
        await queriesOf(() => getTeamDay(db, largeCaller, { date: MONDAY })),
      ];
      const warm = [
        await queriesOf(() => getTeamDay(db, smallCaller, { date: MONDAY })),
        await queriesOf(() => getTeamDay(db, largeCaller, { date: MONDAY })),
      ];
      expect(cold[0]).toBe(cold[1]);
      expect(warm[0]).toBe(warm[1]);
      // loadCalendars' five statements (weekly hours, events, busy times, clinic calendar days, exception series), run together
      expect(warm[0]).toBeLessThanOrEqual(6);

      const team = await getTeamDay(db, largeCaller, { date: MONDAY });
      expect(team.columns).toHaveLength(50);
      expect(team.columns.filter((c) => c.day.events.some((e) => e.type === 'appointment'))).toHaveLength(48);
      expect(team.columns.filter((c) => c.day.events.some((e) => e.type === 'availability_exception'))).toHaveLength(10);
    });
  });
}
