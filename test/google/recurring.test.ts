import { and, eq } from 'drizzle-orm';
import { NextRequest } from 'next/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as slots } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/route';
import { POST as webhook } from '@/app/api/webhooks/google-calendar/route';
import { settleAfterResponseWork } from '@/lib/api/after-response';
import { auditLog, availabilityExceptions, calendarEvents, outboxJobs } from '@/lib/db/schema';
import { googleEventIdFor } from '@/lib/integrations/google/event-body';
import { syncConnection } from '@/lib/integrations/google/sync';
import { userCaller } from '@/lib/auth/caller';
import type { UpdateExceptionInput } from '@/lib/schemas/exceptions';
import { createAgentKey } from '@/lib/services/agent-keys';
import { createException, deleteException, updateException } from '@/lib/services/availability-exceptions';
import { queueFuturePushes } from '@/lib/services/google-connection';
import { recurrenceOccurrences } from '../fakes/google-calendar';
import { useTestDatabase } from '../support/db';
import { makeClinicWithStaff, setWeek } from '../support/factories';
import { callRoute } from '../support/http';
import { connectPractitioner, drainOutbox, useFakeGoogle } from './support';

// "Now" for the sync (its full list and the instances it asks for start a day before it): the
// Thursday before the series, so the test never depends on the day it runs.
const NOW = new Date('2031-07-31T04:00:00Z');
// Every Wednesday 14:00-18:00 from 2031-08-06 to 2031-09-24 (eight occurrences).
const WEDNESDAYS = ['2031-08-06', '2031-08-13', '2031-08-20', '2031-08-27', '2031-09-03', '2031-09-10', '2031-09-17', '2031-09-24'];

describe('a recurring exception is one recurring Google event; an occurrence deleted in Google is deleted here', () => {
  const t = useTestDatabase();
  const google = useFakeGoogle();
  let c: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let key: string;
  let email: string;
  let connectionId: number;

  beforeAll(async () => {
    c = await makeClinicWithStaff(t.db());
    await setWeek(t.db(), c.practitioner.id, { 3: [['09:00', '18:00']] });
    key = (await createAgentKey(t.db(), { clinicSlug: c.clinic.slug, name: 'LINE agent' })).key;
    email = c.practitioner.email;
    connectionId = (await connectPractitioner(t.db(), google(), { id: c.practitioner.id, clinicId: c.clinic.id, email })).connection.id;
    expect(await sync()).toMatchObject({ state: 'synced', full: true });
  });

  const sync = () => syncConnection(t.db(), connectionId, { now: () => NOW });

  const practitioner = async () => (await userCaller(c.practitioner.id))!;
  const ids = (dto: { calendar_event_id: number; exception_id: number }) => ({
    calendarEventId: dto.calendar_event_id,
    exceptionId: dto.exception_id,
    gcalId: googleEventIdFor(dto.calendar_event_id),
  });
  /** A repeating exception made by the practitioner (the exception service), then the outbox puts it in Google. */
  async function seriesInGoogle(v: { date: string; start: string | null; end: string | null; rrule: string }) {
    const dto = await createException(t.db(), await practitioner(), {
      practitionerId: c.practitioner.id,
      body: { date: v.date, start_time: v.start, end_time: v.end, recurrence: v.rrule },
      confirm: true,
      clock: () => NOW,
    });
    await drainOutbox(t.db());
    return ids(dto);
  }
  /** A series written straight into the database, with no Google job (as before connecting). */
  async function seriesHere(v: { date: string; start: string | null; end: string | null; rrule: string; until: string | null }) {
    const [event] = await t
      .db()
      .insert(calendarEvents)
      .values({ userId: c.practitioner.id, eventType: 'availability_exception', date: v.date, startTime: v.start, endTime: v.end })
      .returning();
    const [exception] = await t
      .db()
      .insert(availabilityExceptions)
      .values({ calendarEventId: event!.id, rrule: v.rrule, seriesUntil: v.until })
      .returning();
    return { calendarEventId: event!.id, exceptionId: exception!.id, gcalId: googleEventIdFor(event!.id) };
  }
  /** "Delete this occurrence" here (the exception service), then the outbox. */
  async function deleteOccurrenceHere(s: { exceptionId: number }, date: string) {
    await deleteException(t.db(), await practitioner(), {
      practitionerId: c.practitioner.id,
      exceptionId: s.exceptionId,
      scope: 'this',
      occurrenceDate: date,
    });
    await drainOutbox(t.db());
  }
  const exdatesOf = async (exceptionId: number) =>
    (
      await t.db().select({ exdates: availabilityExceptions.exdates }).from(availabilityExceptions).where(eq(availabilityExceptions.id, exceptionId))
    )[0]?.exdates
      .slice()
      .sort();
  const occurrencesOf = async (exceptionId: number) =>
    t
      .db()
      .select({
        id: availabilityExceptions.id,
        originalDate: availabilityExceptions.originalDate,
        date: calendarEvents.date,
        start: calendarEvents.startTime,
        end: calendarEvents.endTime,
        gcalEventId: calendarEvents.gcalEventId,
      })
      .from(availabilityExceptions)
      .innerJoin(calendarEvents, eq(calendarEvents.id, availabilityExceptions.calendarEventId))
      .where(eq(availabilityExceptions.recurringParentId, exceptionId));
  /** What the sync wrote to the activity log about an exception (the practitioner's own entries left out). */
  const auditsOf = async (exceptionId: number) =>
    t
      .db()
      .select({ action: auditLog.action, actor: auditLog.actorType, details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'availability_exception'), eq(auditLog.entityId, String(exceptionId)), eq(auditLog.actorType, 'google')));
  const starts = async (date: string) =>
    (
      await callRoute(slots, {
        path: `/api/clinic/practitioners/${c.practitioner.id}/availability/slots?date=${date}&appointment_type_id=${c.type.id}`,
        params: { user_id: String(c.practitioner.id) },
        agentKey: key,
      })
    ).body.available_slots.map((s: { start_time: string }) => s.start_time);
  const instanceDates = (gcalId: string) =>
    recurrenceOccurrences(google().event(email, gcalId)!, 'Asia/Taipei', Date.parse('2031-07-01T00:00:00Z'), Date.parse('2032-07-01T00:00:00Z')).map(
      (o) => o.originalStartTime.dateTime?.slice(0, 10) ?? o.originalStartTime.date,
    );

  it('a weekly timed series is pushed as ONE Google event with its RRULE, its first occurrence in the clinic zone, UNTIL in UTC', async () => {
    const s = await seriesInGoogle({
      date: WEDNESDAYS[0]!,
      start: '14:00',
      end: '18:00',
      rrule: 'FREQ=WEEKLY;BYDAY=WE;UNTIL=20310924',
    });
    const inserts = google().requestsFor('events.insert');
    expect(inserts).toHaveLength(1);
    const event = google().event(email, s.gcalId)!;
    expect(event).toMatchObject({
      summary: 'Unavailable',
      start: { dateTime: '2031-08-06T14:00:00', timeZone: 'Asia/Taipei' },
      end: { dateTime: '2031-08-06T18:00:00', timeZone: 'Asia/Taipei' },
      // 2031-09-24 23:59:59 in Taipei
      recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=WE;UNTIL=20310924T155959Z'],
      extendedProperties: { private: { clinicBotEventId: String(s.calendarEventId) } },
    });
    expect(instanceDates(s.gcalId)).toEqual(WEDNESDAYS);
    const [row] = await t.db().select().from(calendarEvents).where(eq(calendarEvents.id, s.calendarEventId));
    expect(row).toMatchObject({ gcalEventId: s.gcalId, gcalSyncStatus: 'synced', gcalEtag: event.etag });
    // Our own write coming back changes nothing.
    expect(await sync()).toMatchObject({ changes: 0 });
    expect(await exdatesOf(s.exceptionId)).toEqual([]);
  });

  it('an all-day series is a {date} event ending the next day, UNTIL and EXDATE as dates', async () => {
    const s = await seriesInGoogle({
      date: '2031-08-04',
      start: null,
      end: null,
      rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;COUNT=4',
    });
    expect(google().event(email, s.gcalId)).toMatchObject({
      start: { date: '2031-08-04' },
      end: { date: '2031-08-05' },
      recurrence: ['RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;COUNT=4'],
    });
    await deleteOccurrenceHere(s, '2031-08-18');
    expect(google().event(email, s.gcalId)!.recurrence).toEqual(['RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;COUNT=4', 'EXDATE;VALUE=DATE:20310818']);
    expect(instanceDates(s.gcalId)).toEqual(['2031-08-04', '2031-09-01', '2031-09-15']);
    expect(await sync()).toMatchObject({ changes: 0 });
  });

  it('deleting an occurrence here updates the same Google event with an EXDATE at the local start (no second event)', async () => {
    const s = await seriesInGoogle({
      date: WEDNESDAYS[0]!,
      start: '09:00',
      end: '10:00',
      rrule: 'FREQ=WEEKLY;BYDAY=WE;COUNT=8',
    });
    const before = google().events(email).length;
    await deleteOccurrenceHere(s, '2031-08-13');
    await deleteOccurrenceHere(s, '2031-09-03');
    expect(google().events(email)).toHaveLength(before);
    const patches = google()
      .requestsFor('events.patch')
      .filter((r) => r.eventId === s.gcalId);
    expect(patches).toHaveLength(2);
    expect((patches[1]!.body as { recurrence: string[] }).recurrence).toEqual([
      'RRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=8',
      'EXDATE;TZID=Asia/Taipei:20310813T090000',
      'EXDATE;TZID=Asia/Taipei:20310903T090000',
    ]);
    expect(instanceDates(s.gcalId)).toEqual(WEDNESDAYS.filter((d) => d !== '2031-08-13' && d !== '2031-09-03'));
    expect(await sync()).toMatchObject({ changes: 0 });
  });

  it('editing the series (times, rule) patches the same event; an occurrence edited here is a single event of its own and an EXDATE of the series', async () => {
    const s = await seriesInGoogle({ date: '2031-12-03', start: '09:00', end: '10:00', rrule: 'FREQ=WEEKLY;BYDAY=WE;COUNT=4' });
    const update = async (body: UpdateExceptionInput, scope: 'all' | 'this', occurrenceDate?: string) => {
      const dto = await updateException(t.db(), await practitioner(), {
        practitionerId: c.practitioner.id,
        exceptionId: s.exceptionId,
        body,
        confirm: true,
        scope,
        occurrenceDate: occurrenceDate ?? null,
        clock: () => NOW,
      });
      await drainOutbox(t.db());
      return dto;
    };
    await update({ start_time: '15:00', end_time: '17:30', recurrence: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;UNTIL=20320128' }, 'all');
    expect(
      google()
        .events(email)
        .filter((e) => e.id === s.gcalId),
    ).toHaveLength(1);
    expect(google().event(email, s.gcalId)).toMatchObject({
      start: { dateTime: '2031-12-03T15:00:00', timeZone: 'Asia/Taipei' },
      end: { dateTime: '2031-12-03T17:30:00', timeZone: 'Asia/Taipei' },
      recurrence: ['RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;UNTIL=20320128T155959Z'],
    });
    expect(instanceDates(s.gcalId)).toEqual(['2031-12-03', '2031-12-17', '2031-12-31', '2032-01-14', '2032-01-28']);

    // "This occurrence" of 12-17 moved to 08:00-09:00.
    const edited = await update({ start_time: '08:00', end_time: '09:00' }, 'this', '2031-12-17');
    expect(edited).toMatchObject({ recurring_exception_id: s.exceptionId, original_date: '2031-12-17' });
    const single = google().event(email, googleEventIdFor(edited.calendar_event_id))!;
    expect(single).toMatchObject({ start: { dateTime: '2031-12-17T08:00:00', timeZone: 'Asia/Taipei' }, end: { dateTime: '2031-12-17T09:00:00' } });
    expect(single.recurrence).toBeUndefined();
    expect(google().event(email, s.gcalId)!.recurrence).toEqual([
      'RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;UNTIL=20320128T155959Z',
      'EXDATE;TZID=Asia/Taipei:20311217T150000',
    ]);
    expect(instanceDates(s.gcalId)).toEqual(['2031-12-03', '2031-12-31', '2032-01-14', '2032-01-28']);
    expect(await sync()).toMatchObject({ changes: 0 });
  });

  it('"this and following" deleted here ends the same Google event the day before; its echo changes nothing', async () => {
    const s = await seriesInGoogle({ date: '2032-01-07', start: '09:00', end: '10:00', rrule: 'FREQ=WEEKLY;BYDAY=WE;UNTIL=20320211' });
    await deleteException(t.db(), await practitioner(), {
      practitionerId: c.practitioner.id,
      exceptionId: s.exceptionId,
      scope: 'following',
      occurrenceDate: '2032-01-21',
    });
    await drainOutbox(t.db());
    expect(google().event(email, s.gcalId)).toMatchObject({
      status: 'confirmed',
      recurrence: [expect.stringMatching(/^RRULE:FREQ=WEEKLY;BYDAY=WE;/)],
    });
    expect(instanceDates(s.gcalId)).toEqual(['2032-01-07', '2032-01-14']);
    expect(await sync()).toMatchObject({ changes: 0 });
    expect(await exdatesOf(s.exceptionId)).toEqual([]);
  });

  it('an instance deleted in Google: that date is free here, the other occurrences stay, audited once however often Google repeats it', async () => {
    // October: no other test's series is on these Wednesdays.
    const s = await seriesInGoogle({
      date: '2031-10-01',
      start: '16:00',
      end: '18:00',
      rrule: 'FREQ=WEEKLY;BYDAY=WE;UNTIL=20311029',
    });
    expect(await starts('2031-10-15')).toEqual(['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00']);
    const cancelled = google().userCancelInstance(email, s.gcalId, '2031-10-15');
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      recurringEventId: s.gcalId,
      originalStartTime: { dateTime: '2031-10-15T16:00:00+08:00' },
    });
    expect(await sync()).toMatchObject({ changes: 1 });
    await Promise.all([sync(), sync()]);
    expect(await exdatesOf(s.exceptionId)).toEqual(['2031-10-15']);
    expect(await starts('2031-10-15')).toEqual(['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00', '17:00']);
    expect(await starts('2031-10-22')).toEqual(['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00']);
    expect(await starts('2031-10-08')).toEqual(['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00']);
    expect(await auditsOf(s.exceptionId)).toEqual([
      {
        action: 'availability_exception.deleted',
        actor: 'google',
        details: expect.objectContaining({ source: 'gcal_deletion', series_id: s.exceptionId, date: '2031-10-15', start: '16:00', end: '18:00' }),
      },
    ]);
    // Nothing is written back to Google for a deletion Google made.
    expect(
      google()
        .requestsFor('events.patch')
        .filter((r) => r.eventId === s.gcalId),
    ).toHaveLength(0);
    // Our next write of the series carries that date as an EXDATE, and its echo changes nothing.
    await deleteOccurrenceHere(s, '2031-10-22');
    expect(google().event(email, s.gcalId)!.recurrence).toEqual([
      'RRULE:FREQ=WEEKLY;BYDAY=WE;UNTIL=20311029T155959Z',
      'EXDATE;TZID=Asia/Taipei:20311015T160000',
      'EXDATE;TZID=Asia/Taipei:20311022T160000',
    ]);
    expect(await sync()).toMatchObject({ changes: 0 });
    expect(await exdatesOf(s.exceptionId)).toEqual(['2031-10-15', '2031-10-22']);
  });

  it('an instance moved in Google becomes an occurrence edited on its own, which follows later moves and a deletion there', async () => {
    const s = await seriesInGoogle({
      date: WEDNESDAYS[0]!,
      start: '12:00',
      end: '13:00',
      rrule: 'FREQ=WEEKLY;BYDAY=WE;UNTIL=20310924',
    });
    google().userMoveInstance(email, s.gcalId, '2031-08-27', {
      start: { dateTime: '2031-08-28T10:00:00+08:00' },
      end: { dateTime: '2031-08-28T11:30:00+08:00' },
    });
    expect(await sync()).toMatchObject({ changes: 1 });
    expect(await sync()).toMatchObject({ changes: 0 });
    expect(await exdatesOf(s.exceptionId)).toEqual(['2031-08-27']);
    const [occurrence, ...more] = await occurrencesOf(s.exceptionId);
    expect(more).toEqual([]);
    expect(occurrence).toMatchObject({ originalDate: '2031-08-27', date: '2031-08-28', start: '10:00:00', end: '11:30:00' });
    expect(occurrence!.gcalEventId).toMatch(new RegExp(`^${s.gcalId}_20310827T040000Z$`));
    expect(await starts('2031-08-27')).toContain('12:00');
    // The series' next write leaves the moved instance's date out of EXDATE: Google keeps the instance where the practitioner put it.
    await deleteOccurrenceHere(s, '2031-09-17');
    expect(google().event(email, s.gcalId)!.recurrence).toEqual([
      'RRULE:FREQ=WEEKLY;BYDAY=WE;UNTIL=20310924T155959Z',
      'EXDATE;TZID=Asia/Taipei:20310917T120000',
    ]);
    expect(google().event(email, occurrence!.gcalEventId!)).toMatchObject({ status: 'confirmed', start: { dateTime: '2031-08-28T10:00:00+08:00' } });
    expect(await sync()).toMatchObject({ changes: 0 });

    google().userMove(email, occurrence!.gcalEventId!, {
      start: { dateTime: '2031-08-28T15:00:00+08:00' },
      end: { dateTime: '2031-08-28T16:00:00+08:00' },
    });
    await sync();
    expect((await occurrencesOf(s.exceptionId))[0]).toMatchObject({ date: '2031-08-28', start: '15:00:00', end: '16:00:00' });
    google().userDelete(email, occurrence!.gcalEventId!);
    await sync();
    expect(await occurrencesOf(s.exceptionId)).toEqual([]);
    expect(await exdatesOf(s.exceptionId)).toEqual(['2031-08-27', '2031-09-17']);
  });

  it('after a 410 the full resync still finds an instance deleted meanwhile, keeps the series, and a series deleted in Google goes with its occurrences', async () => {
    const s = await seriesInGoogle({
      date: WEDNESDAYS[0]!,
      start: '10:00',
      end: '11:00',
      rrule: 'FREQ=WEEKLY;BYDAY=WE;UNTIL=20310924',
    });
    google().userCancelInstance(email, s.gcalId, '2031-09-03');
    google().userMoveInstance(email, s.gcalId, '2031-09-10', {
      start: { dateTime: '2031-09-10T17:00:00+08:00' },
      end: { dateTime: '2031-09-10T18:00:00+08:00' },
    });
    google().invalidateSyncTokens();
    expect(await sync()).toMatchObject({ state: 'synced', full: true });
    expect(await exdatesOf(s.exceptionId)).toEqual(['2031-09-03', '2031-09-10']);
    expect(await occurrencesOf(s.exceptionId)).toEqual([
      expect.objectContaining({ originalDate: '2031-09-10', date: '2031-09-10', start: '17:00:00' }),
    ]);
    expect(google().requestsFor('events.instances').at(-1)?.query).toMatchObject({ showDeleted: 'true' });
    expect((await t.db().select().from(calendarEvents).where(eq(calendarEvents.id, s.calendarEventId))).length).toBe(1);
    // Nothing more on the new token, nor on another full sync.
    expect(await sync()).toMatchObject({ full: false, changes: 0 });
    google().invalidateSyncTokens();
    expect(await sync()).toMatchObject({ full: true, changes: 0 });

    google().userDelete(email, s.gcalId);
    google().invalidateSyncTokens();
    await sync();
    expect(await t.db().select().from(calendarEvents).where(eq(calendarEvents.id, s.calendarEventId))).toEqual([]);
    expect(await occurrencesOf(s.exceptionId)).toEqual([]);
    // The series' own deletion (one occurrence's carries series_id).
    const seriesAudits = (await auditsOf(s.exceptionId)).filter((a) => a.details.series_id === undefined);
    expect(seriesAudits.map((a) => [a.action, a.details.source])).toEqual([['availability_exception.deleted', 'gcal_deletion']]);
  });

  it('connecting pushes a series that began before today and still runs, not one that has ended', async () => {
    const running = await seriesHere({ date: '2031-07-02', start: '09:00', end: '09:30', rrule: 'FREQ=WEEKLY;BYDAY=WE', until: null });
    const ended = await seriesHere({ date: '2031-07-01', start: null, end: null, rrule: 'FREQ=DAILY;COUNT=3', until: '2031-07-03' });
    await queueFuturePushes(t.db(), { clinicId: c.clinic.id, userId: c.practitioner.id, timezone: 'Asia/Taipei', now: NOW });
    await drainOutbox(t.db());
    expect(google().event(email, running.gcalId)).toMatchObject({
      start: { dateTime: '2031-07-02T09:00:00', timeZone: 'Asia/Taipei' },
      recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=WE'],
    });
    expect(google().event(email, ended.gcalId)).toBeUndefined();
    expect(await sync()).toMatchObject({ changes: 0 });
  });

  it('a series deleted in Google (incremental): deleted here with its occurrences, once', async () => {
    const s = await seriesInGoogle({
      date: WEDNESDAYS[0]!,
      start: '13:00',
      end: '14:00',
      rrule: 'FREQ=WEEKLY;BYDAY=WE;COUNT=3',
    });
    google().userMoveInstance(email, s.gcalId, '2031-08-13', {
      start: { dateTime: '2031-08-13T15:00:00+08:00' },
      end: { dateTime: '2031-08-13T16:00:00+08:00' },
    });
    await sync();
    expect(await occurrencesOf(s.exceptionId)).toHaveLength(1);
    google().userDelete(email, s.gcalId);
    expect(await sync()).toMatchObject({ changes: 1 });
    expect(await sync()).toMatchObject({ changes: 0 });
    expect(await t.db().select().from(calendarEvents).where(eq(calendarEvents.id, s.calendarEventId))).toEqual([]);
    expect(await occurrencesOf(s.exceptionId)).toEqual([]);
    expect(await starts('2031-08-06')).toContain('13:00');
  });

  it("through Google's notification: the webhook's sync removes the cancelled instance, twice delivered or not", async () => {
    const s = await seriesInGoogle({ date: '2031-11-05', start: '10:00', end: '12:00', rrule: 'FREQ=WEEKLY;BYDAY=WE;COUNT=4' });
    // What signing in does: the connect job opens the channel (and pushes and syncs again, changing nothing).
    await t
      .db()
      .insert(outboxJobs)
      .values({ clinicId: c.clinic.id, kind: 'google.connect', payload: { practitioner_id: c.practitioner.id } });
    await drainOutbox(t.db());
    google().userCancelInstance(email, s.gcalId, '2031-11-12');
    const [channel] = google().liveChannels(email);
    const headers = {
      'x-goog-channel-id': channel!.id,
      'x-goog-channel-token': channel!.token!,
      'x-goog-resource-id': channel!.resourceId,
      'x-goog-resource-state': 'exists',
      'x-goog-message-number': '2',
    };
    const notify = () => webhook(new NextRequest('http://localhost:3000/api/webhooks/google-calendar', { method: 'POST', headers }));
    expect((await Promise.all([notify(), notify()])).map((r) => r.status)).toEqual([200, 200]);
    await settleAfterResponseWork();
    expect(await exdatesOf(s.exceptionId)).toEqual(['2031-11-12']);
    expect(await starts('2031-11-12')).toEqual(expect.arrayContaining(['10:00', '11:00']));
    expect(await starts('2031-11-19')).not.toContain('10:00');
    expect((await auditsOf(s.exceptionId)).filter((a) => a.details.series_id === s.exceptionId)).toHaveLength(1);
  });
});
