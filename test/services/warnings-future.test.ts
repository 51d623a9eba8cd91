import { beforeAll, describe, expect, it } from 'vitest';
import { userCaller, type Caller } from '@/lib/auth/caller';
import { AppWarning } from '@/lib/errors';
import { createException } from '@/lib/services/availability-exceptions';
import { replaceWeeklySchedule } from '@/lib/services/weekly-schedule';
import { fixedClock, type Clock } from '@/lib/time/clock';
import { useTestDatabase } from '../support/db';
import { makeAppointment, makeClinicWithStaff, setWeek } from '../support/factories';

// 2031-10-15 is a Wednesday; the clinic is in Asia/Taipei (UTC+8).
const DAY = '2031-10-15';
const at = (hhmm: string) => fixedClock(`${DAY}T${hhmm}:00+08:00`);

describe('warnings concern the future: appointments already over never warn', () => {
  const t = useTestDatabase();
  let c: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let caller: Caller;

  beforeAll(async () => {
    c = await makeClinicWithStaff(t.db());
    caller = (await userCaller(c.practitioner.id))!;
    await setWeek(t.db(), c.practitioner.id, { 3: [['09:00', '18:00']] });
    for (const [startTime, endTime] of [
      ['09:00', '10:00'],
      ['11:00', '12:00'],
      ['15:00', '16:00'],
    ]) {
      await makeAppointment(t.db(), {
        userId: c.practitioner.id,
        patientId: c.patient.id,
        appointmentTypeId: c.type.id,
        date: DAY,
        startTime: startTime!,
        endTime: endTime!,
      });
    }
  });

  const warningOf = async (run: () => Promise<unknown>) => {
    const err = await run().then(
      () => null,
      (e: unknown) => e,
    );
    return err instanceof AppWarning ? err : null;
  };
  const exceptionAt =
    (clock: Clock, body: { start_time?: string; end_time?: string } = {}) =>
    () =>
      createException(t.db(), caller, { practitionerId: c.practitioner.id, body: { date: DAY, ...body }, confirm: false, clock });

  // First: the exception tests below create exceptions that put this day's appointments outside hours.
  it('new weekly hours warn about the rest of today and later, not about what is over', async () => {
    const w = await warningOf(() =>
      replaceWeeklySchedule(t.db(), caller, {
        practitionerId: c.practitioner.id,
        schedule: { wednesday: [{ start_time: '13:00', end_time: '14:00' }] },
        confirm: false,
        clock: at('11:30'),
      }),
    );
    expect(w?.code).toBe('appointments_outside_hours');
    expect((w!.details.affected_appointments as Array<{ time: string }>).map((a) => a.time)).toEqual(['11:00-12:00', '15:00-16:00']);
  });

  it('an all-day exception at 11:30 lists the appointment in progress and the later one, not the one that ended at 10:00', async () => {
    const w = await warningOf(exceptionAt(at('11:30')));
    expect(w?.code).toBe('appointment_conflicts');
    expect((w!.details.conflicting_appointments as Array<{ start_time: string }>).map((a) => a.start_time)).toEqual(['11:00', '15:00']);
  });

  it('an exception over only appointments that are over is created without a warning', async () => {
    const created = await createException(t.db(), caller, {
      practitionerId: c.practitioner.id,
      body: { date: DAY, start_time: '08:00', end_time: '10:30' },
      confirm: false,
      clock: at('10:00'),
    });
    expect(created).toMatchObject({ date: DAY, start_time: '08:00', end_time: '10:30' });
  });

  it('the boundary: an appointment ending exactly now is over; one minute earlier it still warns', async () => {
    expect(await warningOf(exceptionAt(at('11:59'), { start_time: '11:00', end_time: '12:00' }))).not.toBeNull();
    expect(await warningOf(exceptionAt(at('12:00'), { start_time: '11:00', end_time: '12:00' }))).toBeNull();
  });

  it('a past date never warns', async () => {
    // On a colleague's calendar (by the admin), so that this day's appointments stay inside hours for the next test.
    await makeAppointment(t.db(), {
      userId: c.colleague.id,
      patientId: c.patient.id,
      appointmentTypeId: c.type.id,
      date: DAY,
      startTime: '10:00',
      endTime: '11:00',
    });
    const admin = (await userCaller(c.admin.id))!;
    const run = (clock: Clock) => () =>
      createException(t.db(), admin, { practitionerId: c.colleague.id, body: { date: DAY }, confirm: false, clock });
    expect(await warningOf(run(at('09:00')))).not.toBeNull();
    expect(await warningOf(run(fixedClock('2031-10-16T09:00:00+08:00')))).toBeNull();
  });
});
