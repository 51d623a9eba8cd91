import { and, desc, eq, gt } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { userCaller, type Caller } from '@/lib/auth/caller';
import { auditLog, availabilityExceptions, calendarEvents } from '@/lib/db/schema';
import { AppWarning } from '@/lib/errors';
import { listRepeatSuggestions } from '@/lib/queries/exception-suggestions';
import { repeatExceptionsWeekly } from '@/lib/services/exception-repeat';
import { fixedClock } from '@/lib/time/clock';
import { dbFingerprint } from '../support/db-fingerprint';
import { useTestDatabase } from '../support/db';
import { makeAppointment, makeClinicWithStaff, makeException } from '../support/factories';

// "You blocked Wednesdays 14:00–18:00 3 times. Make it repeat every week?" (issue 16 item 4), on
// PostgreSQL: what the settings page suggests, and "Repeat every week".
// Today is Monday 2031-03-03 (Asia/Taipei); 2031-03-05 is a Wednesday.
const clock = fixedClock('2031-03-03T09:00:00+08:00');
const WEDNESDAYS = ['2031-03-05', '2031-03-12', '2031-03-26'];
const HABIT = { weekday: 'wednesday', start_time: '14:00', end_time: '18:00' } as const;

describe('repeat suggestions', () => {
  const t = useTestDatabase();
  let c: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let own: Caller;
  let colleague: Caller;
  let admin: Caller;
  let agent: Caller;
  let ids: number[];

  beforeAll(async () => {
    c = await makeClinicWithStaff(t.db());
    own = (await userCaller(c.practitioner.id))!;
    colleague = (await userCaller(c.colleague.id))!;
    admin = (await userCaller(c.admin.id))!;
    agent = { kind: 'agent', clinicId: c.clinic.id, agentKeyId: 1 };
  });

  beforeEach(async () => {
    await t.db().delete(calendarEvents).where(eq(calendarEvents.userId, c.practitioner.id));
    ids = [];
    for (const date of WEDNESDAYS)
      ids.push((await makeException(t.db(), { userId: c.practitioner.id, date, startTime: '14:00', endTime: '18:00' })).exception.id);
    // Not part of the habit: other hours on a Wednesday, and only two Fridays.
    await makeException(t.db(), { userId: c.practitioner.id, date: '2031-03-19', startTime: '14:00', endTime: '17:00' });
    for (const date of ['2031-03-07', '2031-03-14']) await makeException(t.db(), { userId: c.practitioner.id, date });
  });

  const exceptionsOf = async () =>
    t
      .db()
      .select({ date: calendarEvents.date, start: calendarEvents.startTime, end: calendarEvents.endTime, rrule: availabilityExceptions.rrule })
      .from(availabilityExceptions)
      .innerJoin(calendarEvents, eq(calendarEvents.id, availabilityExceptions.calendarEventId))
      .where(eq(calendarEvents.userId, c.practitioner.id))
      .orderBy(calendarEvents.date, calendarEvents.startTime);

  it('lists the habit with the exceptions it would replace, to the practitioner and colleagues; not to the agent', async () => {
    const expected = [{ weekday: 'wednesday', start: '14:00', end: '18:00', dates: WEDNESDAYS, exceptionIds: ids }];
    expect(await listRepeatSuggestions(t.db(), own, c.practitioner.id, clock)).toEqual(expected);
    expect(await listRepeatSuggestions(t.db(), colleague, c.practitioner.id, clock)).toEqual(expected);
    await expect(listRepeatSuggestions(t.db(), agent, c.practitioner.id, clock)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('does not count a weekly series or an occurrence edited out of one', async () => {
    const { exception: series } = await makeException(t.db(), {
      userId: c.practitioner.id,
      date: '2031-03-19',
      startTime: '14:00',
      endTime: '18:00',
    });
    await t.db().update(availabilityExceptions).set({ rrule: 'FREQ=WEEKLY;BYDAY=WE' }).where(eq(availabilityExceptions.id, series.id));
    await t
      .db()
      .delete(calendarEvents)
      .where(and(eq(calendarEvents.userId, c.practitioner.id), eq(calendarEvents.date, '2031-03-26')));
    expect(await listRepeatSuggestions(t.db(), own, c.practitioner.id, clock)).toEqual([]);
  });

  it('"Repeat every week" makes one weekly series from the first date and deletes the single exceptions it replaces', async () => {
    const [{ id: mark } = { id: 0 }] = await t.db().select({ id: auditLog.id }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    const result = await repeatExceptionsWeekly(t.db(), own, { practitionerId: c.practitioner.id, habit: HABIT, confirm: false, clock });
    expect(result).toMatchObject({ replaced: 3, exception: { date: '2031-03-05', start_time: '14:00', end_time: '18:00' } });
    expect(await exceptionsOf()).toEqual([
      { date: '2031-03-05', start: '14:00:00', end: '18:00:00', rrule: 'FREQ=WEEKLY;BYDAY=WE' },
      { date: '2031-03-07', start: null, end: null, rrule: null },
      { date: '2031-03-14', start: null, end: null, rrule: null },
      { date: '2031-03-19', start: '14:00:00', end: '17:00:00', rrule: null },
    ]);
    const actions = (await t.db().select({ action: auditLog.action }).from(auditLog).where(gt(auditLog.id, mark))).map((r) => r.action);
    expect(actions.filter((a) => a === 'availability_exception.deleted')).toHaveLength(3);
    expect(actions).toContain('availability_exception.created');
    expect(await listRepeatSuggestions(t.db(), own, c.practitioner.id, clock)).toEqual([]);
  });

  it('starts the series on the first date even when it is weeks ago (the habit began in the past)', async () => {
    const later = fixedClock('2031-03-27T09:00:00+08:00');
    // A past appointment under the series never warns (warnings concern the future).
    await makeAppointment(t.db(), {
      userId: c.practitioner.id,
      patientId: c.patient.id,
      appointmentTypeId: c.type.id,
      date: '2031-03-19',
      startTime: '15:00',
      endTime: '16:00',
    });
    const result = await repeatExceptionsWeekly(t.db(), own, { practitionerId: c.practitioner.id, habit: HABIT, confirm: false, clock: later });
    expect(result).toMatchObject({ replaced: 3, exception: { date: '2031-03-05' } });
    expect((await exceptionsOf()).filter((e) => e.rrule)).toEqual([
      { date: '2031-03-05', start: '14:00:00', end: '18:00:00', rrule: 'FREQ=WEEKLY;BYDAY=WE' },
    ]);
  });

  it('asks first about appointments the series would cover (nothing changes), and makes it on confirm', async () => {
    // 2031-03-19 is a Wednesday the singles did not block.
    const appointment = await makeAppointment(t.db(), {
      userId: c.practitioner.id,
      patientId: c.patient.id,
      appointmentTypeId: c.type.id,
      date: '2031-03-19',
      startTime: '15:00',
      endTime: '16:00',
    });
    const before = await dbFingerprint(t.db());
    const err = await repeatExceptionsWeekly(t.db(), admin, { practitionerId: c.practitioner.id, habit: HABIT, confirm: false, clock }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppWarning);
    expect(err).toMatchObject({ code: 'appointment_conflicts' });
    expect(JSON.stringify((err as AppWarning).details)).toContain(String(appointment.id));
    expect(await dbFingerprint(t.db())).toEqual(before);
    expect((await repeatExceptionsWeekly(t.db(), admin, { practitionerId: c.practitioner.id, habit: HABIT, confirm: true, clock })).replaced).toBe(3);
  });

  it('refuses a colleague (403) and the agent (403), and a habit that is not there (409 conflict), changing nothing', async () => {
    const before = await dbFingerprint(t.db());
    const repeat = (caller: Caller, habit: typeof HABIT | { weekday: 'friday'; start_time: null; end_time: null }) =>
      repeatExceptionsWeekly(t.db(), caller, { practitionerId: c.practitioner.id, habit, confirm: true, clock });
    await expect(repeat(colleague, HABIT)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(repeat(agent, HABIT)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(repeat(own, { weekday: 'friday', start_time: null, end_time: null })).rejects.toMatchObject({ code: 'conflict' });
    expect(await dbFingerprint(t.db())).toEqual(before);
  });
});
