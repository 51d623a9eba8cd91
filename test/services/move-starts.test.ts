import { beforeAll, describe, expect, it } from 'vitest';
import { userCaller, type Caller } from '@/lib/auth/caller';
import { AppError } from '@/lib/errors';
import { offeredMoveStarts } from '@/lib/queries/move-slots';
import { fixedClock } from '@/lib/time/clock';
import { useTestDatabase } from '../support/db';
import { makeAppointment, makeClinicWithStaff, setWeek } from '../support/factories';

// The starts the calendar's Move step offers (lib/queries/move-slots.ts, behind offeredMoveStartsAction).
// 2031-10-15 is a Wednesday; the clinic is in Asia/Taipei; the type lasts 60 minutes, no slot step set.
const DAY = '2031-10-15';
const clock = fixedClock('2031-10-01T08:00:00+08:00');

describe('offered starts of a move', () => {
  const t = useTestDatabase();
  let c: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let other: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let own: Caller;
  let colleague: Caller;
  let admin: Caller;
  let outsider: Caller;
  let moving: number;

  beforeAll(async () => {
    c = await makeClinicWithStaff(t.db());
    other = await makeClinicWithStaff(t.db());
    own = (await userCaller(c.practitioner.id))!;
    colleague = (await userCaller(c.colleague.id))!;
    admin = (await userCaller(c.admin.id))!;
    outsider = (await userCaller(other.admin.id))!;
    await setWeek(t.db(), c.practitioner.id, { 3: [['09:00', '13:00']] });
    await setWeek(t.db(), c.colleague.id, { 3: [['14:00', '16:00']] });
    const book = (userId: number, startTime: string, endTime: string) =>
      makeAppointment(t.db(), { userId, patientId: c.patient.id, appointmentTypeId: c.type.id, date: DAY, startTime, endTime });
    moving = (await book(c.practitioner.id, '10:00', '11:00')).id;
    await book(c.practitioner.id, '12:00', '13:00');
    await book(c.colleague.id, '15:00', '16:00');
  });

  const starts = async (caller: Caller, practitionerId: number, date = DAY) =>
    (await offeredMoveStarts(t.db(), caller, { calendarEventId: moving, practitionerId, date, clock })).slots.map((s) => s.start_time);
  const refusal = (run: Promise<unknown>) =>
    run.then(
      () => null,
      (e: unknown) => (e instanceof AppError ? e.code : e),
    );

  it("the engine's starts without the appointment itself, its own start left out", async () => {
    // 09:00 and 11:00 are free once the appointment is not counted; 12:00 is taken; 10:00 is where it is.
    expect(await starts(own, c.practitioner.id)).toEqual(['09:00', '11:00']);
  });

  it("an admin may look into another practitioner's calendar; a colleague's own appointments count there", async () => {
    expect(await starts(admin, c.colleague.id)).toEqual(['14:00']);
  });

  it("a practitioner may not move into a colleague's calendar, nor look at a colleague's appointment", async () => {
    expect(await refusal(starts(own, c.colleague.id))).toBe('forbidden');
    expect(await refusal(starts(colleague, c.practitioner.id))).toBe('forbidden');
    expect(await refusal(starts(colleague, c.colleague.id))).toBe('forbidden');
  });

  it("another clinic's appointment is not found", async () => {
    expect(await refusal(starts(outsider, other.practitioner.id))).toBe('not_found');
  });

  it('a day without working hours offers nothing', async () => {
    expect(await starts(own, c.practitioner.id, '2031-10-16')).toEqual([]);
  });
});
