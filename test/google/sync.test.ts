import { and, eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { POST as book } from '@/app/api/clinic/appointments/route';
import { GET as slots } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/route';
import { userCaller } from '@/lib/auth/caller';
import { appointments, auditLog, calendarEvents, googleBusyTimes, googleConnections, outboxJobs } from '@/lib/db/schema';
import { googleEventIdFor } from '@/lib/integrations/google/event-body';
import { syncConnection } from '@/lib/integrations/google/sync';
import { getDayView } from '@/lib/queries/calendar';
import { createAgentKey } from '@/lib/services/agent-keys';
import { setCountBusy } from '@/lib/services/google-connection';
import { useTestDatabase } from '../support/db';
import { makeClinicWithStaff, setWeek } from '../support/factories';
import { callRoute } from '../support/http';
import { connectPractitioner, drainOutbox, useFakeGoogle } from './support';

// Wednesdays far enough ahead that "now" never matters.
const DAYS = ['2031-09-03', '2031-09-10', '2031-09-17', '2031-09-24', '2031-10-01', '2031-10-08', '2031-10-15', '2031-10-22'];

describe("Google to our side: the practitioner's changes in Google flow back", () => {
  const t = useTestDatabase();
  const google = useFakeGoogle();
  let c: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let key: string;
  let email: string;
  let connectionId: number;
  let day: string;

  beforeAll(async () => {
    c = await makeClinicWithStaff(t.db());
    await setWeek(t.db(), c.practitioner.id, { 3: [['09:00', '18:00']] });
    key = (await createAgentKey(t.db(), { clinicSlug: c.clinic.slug, name: 'LINE agent' })).key;
    email = c.practitioner.email;
    connectionId = (await connectPractitioner(t.db(), google(), { id: c.practitioner.id, clinicId: c.clinic.id, email })).connection.id;
    // The first (full) sync learns the calendar and its sync token.
    expect(await syncConnection(t.db(), connectionId)).toMatchObject({ state: 'synced', full: true });
  });
  let next = 0;
  beforeEach(() => {
    day = DAYS[next++]!;
  });

  /** Books through the agent's route and lets the outbox put it in Google. */
  async function bookedInGoogle(start: string) {
    const res = await callRoute(book, {
      method: 'POST',
      path: '/api/clinic/appointments',
      agentKey: key,
      body: { practitioner_id: c.practitioner.id, patient_id: c.patient.id, appointment_type_id: c.type.id, date: day, start_time: start },
    });
    expect(res.status).toBe(201);
    await drainOutbox(t.db());
    return { id: res.body.calendar_event_id as number, gcalId: googleEventIdFor(res.body.calendar_event_id) };
  }
  const sync = () => syncConnection(t.db(), connectionId);
  const statusOf = async (id: number) =>
    (await t.db().select({ s: appointments.status }).from(appointments).where(eq(appointments.calendarEventId, id)))[0]!.s;
  const timesOf = async (id: number) => {
    const [r] = await t
      .db()
      .select({ date: calendarEvents.date, start: calendarEvents.startTime, end: calendarEvents.endTime })
      .from(calendarEvents)
      .where(eq(calendarEvents.id, id));
    return `${r!.date} ${r!.start!.slice(0, 5)}-${r!.end!.slice(0, 5)}`;
  };
  const lineJobsFor = async (id: number) =>
    (await t.db().select().from(outboxJobs).where(eq(outboxJobs.kind, 'line.push'))).filter((j) => j.payload.calendar_event_id === id);
  const auditsFor = async (id: number) =>
    (
      await t
        .db()
        .select({ action: auditLog.action, actor: auditLog.actorType, details: auditLog.details })
        .from(auditLog)
        .where(and(eq(auditLog.entityType, 'appointment'), eq(auditLog.entityId, String(id))))
    ).filter((a) => a.action !== 'appointment.booked');

  it('our own writes coming back (echoes) change nothing and send nothing', async () => {
    const { id } = await bookedInGoogle('09:00');
    expect(await sync()).toMatchObject({ state: 'synced', changes: 0 });
    expect(await statusOf(id)).toBe('confirmed');
    expect(await lineJobsFor(id)).toHaveLength(0);
    expect(await auditsFor(id)).toHaveLength(0);
  });

  it('deleted in Google: canceled_by_clinic, one LINE message, audited gcal_deletion, once however often Google repeats it', async () => {
    const { id, gcalId } = await bookedInGoogle('10:00');
    google().userDelete(email, gcalId);
    await Promise.all([sync(), sync()]);
    await sync();
    expect(await statusOf(id)).toBe('canceled_by_clinic');
    const jobs = await lineJobsFor(id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.payload).toMatchObject({ reason: 'appointment_canceled', to: c.patient.lineUserId });
    expect(String((jobs[0]!.payload.messages as Array<{ text: string }>)[0]!.text)).toContain('預約取消通知');
    const audits = await auditsFor(id);
    expect(audits).toEqual([
      { action: 'appointment.canceled_by_clinic', actor: 'google', details: expect.objectContaining({ source: 'gcal_deletion' }) },
    ]);
    // Nothing is sent back to Google for a deletion Google made.
    expect(
      (await t.db().select().from(outboxJobs).where(eq(outboxJobs.kind, 'google.delete_event'))).filter((j) => j.payload.calendar_event_id === id),
    ).toHaveLength(0);
  });

  it('moved in Google: the appointment takes the new time and the patient gets one change notice', async () => {
    const { id, gcalId } = await bookedInGoogle('11:00');
    google().userMove(email, gcalId, { start: { dateTime: `${day}T15:00:00+08:00` }, end: { dateTime: `${day}T16:00:00+08:00` } });
    await sync();
    await sync();
    expect(await timesOf(id)).toBe(`${day} 15:00-16:00`);
    const jobs = await lineJobsFor(id);
    expect(jobs).toHaveLength(1);
    const text = (jobs[0]!.payload.messages as Array<{ text: string }>)[0]!.text;
    expect(text).toContain('預約時間變更通知');
    expect(text).toContain('15:00');
    expect((await auditsFor(id)).map((a) => [a.action, a.actor])).toEqual([['appointment.moved', 'google']]);
    // The move's slot is taken, the old one is free again.
    const free = (
      await callRoute(slots, {
        path: `/api/clinic/practitioners/${c.practitioner.id}/availability/slots?date=${day}&appointment_type_id=${c.type.id}`,
        params: { user_id: String(c.practitioner.id) },
        agentKey: key,
      })
    ).body.available_slots.map((s: { start_time: string }) => s.start_time);
    expect(free).toContain('11:00');
    expect(free).not.toContain('15:00');
  });

  it('a move onto another confirmed appointment is refused: our time is written back to Google, the practitioner sees why', async () => {
    const a = await bookedInGoogle('09:00');
    const b = await bookedInGoogle('13:00');
    google().userMove(email, b.gcalId, { start: { dateTime: `${day}T09:30:00+08:00` }, end: { dateTime: `${day}T10:30:00+08:00` } });
    await sync();
    expect(await timesOf(b.id)).toBe(`${day} 13:00-14:00`);
    expect(await lineJobsFor(b.id)).toHaveLength(0);
    const [refusal] = await auditsFor(b.id);
    expect(refusal).toMatchObject({
      action: 'appointment.google_move_refused',
      details: expect.objectContaining({ reason: 'overlaps_confirmed_appointment', conflicting_calendar_event_id: a.id }),
    });
    await drainOutbox(t.db());
    expect(google().event(email, b.gcalId)?.start).toMatchObject({ dateTime: `${day}T13:00:00` });
    // Writing ours back is itself an echo: the next sync changes nothing.
    expect(await sync()).toMatchObject({ changes: 0 });
  });

  it('a notification lost to an expired sync token (410): the full resync still applies the deletion and the move made meanwhile', async () => {
    const gone = await bookedInGoogle('09:00');
    const moved = await bookedInGoogle('11:00');
    google().userDelete(email, gone.gcalId);
    google().userMove(email, moved.gcalId, { start: { dateTime: `${day}T16:00:00+08:00` }, end: { dateTime: `${day}T17:00:00+08:00` } });
    google().invalidateSyncTokens();
    expect(await sync()).toMatchObject({ state: 'synced', full: true });
    expect(await statusOf(gone.id)).toBe('canceled_by_clinic');
    expect(await timesOf(moved.id)).toBe(`${day} 16:00-17:00`);
    expect(await lineJobsFor(gone.id)).toHaveLength(1);
    expect(await lineJobsFor(moved.id)).toHaveLength(1);
    // The new token works: nothing more happens.
    expect(await sync()).toMatchObject({ full: false, changes: 0 });
  });

  it('an exception deleted or moved in Google follows', async () => {
    const { createException } = await import('@/lib/services/availability-exceptions');
    const caller = (await userCaller(c.practitioner.id))!;
    const kept = await createException(t.db(), caller, {
      practitionerId: c.practitioner.id,
      body: { date: day, start_time: '12:00', end_time: '13:00' },
      confirm: false,
    });
    const dropped = await createException(t.db(), caller, { practitionerId: c.practitioner.id, body: { date: day }, confirm: false });
    await drainOutbox(t.db());
    google().userMove(email, googleEventIdFor(kept.calendar_event_id), {
      start: { dateTime: `${day}T17:00:00+08:00` },
      end: { dateTime: `${day}T18:00:00+08:00` },
    });
    google().userDelete(email, googleEventIdFor(dropped.calendar_event_id));
    await sync();
    const rows = await t.db().select().from(calendarEvents).where(eq(calendarEvents.eventType, 'availability_exception'));
    expect(rows.find((r) => r.id === dropped.calendar_event_id)).toBeUndefined();
    expect(rows.find((r) => r.id === kept.calendar_event_id)).toMatchObject({ startTime: '17:00:00', endTime: '18:00:00' });
  });

  it('the practitioner\'s own Google events take slots only when "Count my other Google events as busy" is on', async () => {
    const caller = (await userCaller(c.practitioner.id))!;
    google().userCreate(email, {
      summary: 'Dentist (private)',
      start: { dateTime: `${day}T10:00:00+08:00` },
      end: { dateTime: `${day}T12:00:00+08:00` },
    });
    google().userCreate(email, {
      summary: 'Free lunch',
      transparency: 'transparent',
      start: { dateTime: `${day}T14:00:00+08:00` },
      end: { dateTime: `${day}T15:00:00+08:00` },
    });
    google().userCreate(email, {
      summary: 'Declined',
      attendees: [{ email, self: true, responseStatus: 'declined' }],
      start: { dateTime: `${day}T16:00:00+08:00` },
      end: { dateTime: `${day}T17:00:00+08:00` },
    });
    const starts = async () =>
      (
        await callRoute(slots, {
          path: `/api/clinic/practitioners/${c.practitioner.id}/availability/slots?date=${day}&appointment_type_id=${c.type.id}`,
          params: { user_id: String(c.practitioner.id) },
          agentKey: key,
        })
      ).body.available_slots.map((s: { start_time: string }) => s.start_time);
    await sync();
    expect(await starts()).toEqual(['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00', '17:00']);

    await setCountBusy(t.db(), caller, c.practitioner.id, true);
    await sync(); // turning it on makes this a full sync, which learns the existing events
    expect(await starts()).toEqual(['09:00', '12:00', '13:00', '14:00', '15:00', '16:00', '17:00']);
    const view = await getDayView(t.db(), caller, { practitionerId: c.practitioner.id, date: day });
    expect(view.busy).toEqual([{ start_time: '10:00', end_time: '12:00' }]);
    expect(JSON.stringify(view)).not.toContain('Dentist');
    expect(JSON.stringify(await t.db().select().from(googleBusyTimes))).not.toContain('Dentist');

    await setCountBusy(t.db(), caller, c.practitioner.id, false);
    expect(await starts()).toHaveLength(9);
    const [connection] = await t.db().select().from(googleConnections).where(eq(googleConnections.id, connectionId));
    expect(connection!.countBusy).toBe(false);
  });
});
