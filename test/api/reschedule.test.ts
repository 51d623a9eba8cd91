import { and, asc, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { POST as reschedule } from '@/app/api/clinic/appointments/[calendar_event_id]/reschedule/route';
import { getDb, type Db } from '@/lib/db/client';
import { auditLog, calendarEvents, clinics, googleConnections, outboxJobs } from '@/lib/db/schema';
import { createAgentKey } from '@/lib/services/agent-keys';
import { dbFingerprint } from '../support/db-fingerprint';
import { useDriver } from '../support/drivers';
import { makeAppointment, makeClinicWithStaff, makeException, setWeek } from '../support/factories';
import { callRoute, staffCookies } from '../support/http';

const WED = '2031-03-05';
const THU = '2031-03-06';
const WEEKDAYS = {
  1: [['09:00', '18:00']],
  2: [['09:00', '18:00']],
  3: [['09:00', '18:00']],
  4: [['09:00', '18:00']],
  5: [['09:00', '18:00']],
} as Record<number, Array<[string, string]>>;

for (const driver of ['postgres', 'pglite'] as const)
  describe(`POST /appointments/{calendar_event_id}/reschedule on ${driver}`, () => {
    useDriver(driver);
    let db: Db | undefined;
    const t = { db: () => db! };
    let a: Awaited<ReturnType<typeof makeClinicWithStaff>>;
    let b: Awaited<ReturnType<typeof makeClinicWithStaff>>;
    let cookies: Awaited<ReturnType<typeof staffCookies>>;
    let agentA: string;
    let agentB: string;

    beforeAll(async () => {
      db = await getDb();
      a = await makeClinicWithStaff(t.db());
      b = await makeClinicWithStaff(t.db());
      // A 30-minute grid, so a 60-minute appointment can move half an hour, into its own old time.
      await t.db().update(clinics).set({ slotStepMinutes: 30 }).where(eq(clinics.id, a.clinic.id));
      await setWeek(t.db(), a.practitioner.id, WEEKDAYS);
      await setWeek(t.db(), a.colleague.id, WEEKDAYS);
      await t
        .db()
        .insert(googleConnections)
        .values([
          { userId: a.practitioner.id, clinicId: a.clinic.id, state: 'connected' },
          { userId: a.colleague.id, clinicId: a.clinic.id, state: 'connected' },
        ]);
      cookies = await staffCookies(a);
      agentA = (await createAgentKey(t.db(), { clinicSlug: a.clinic.slug, name: 'agent A' })).key;
      agentB = (await createAgentKey(t.db(), { clinicSlug: b.clinic.slug, name: 'agent B' })).key;
    });

    const book = (date: string, startTime: string, endTime: string, userId = a.practitioner.id) =>
      makeAppointment(t.db(), { userId, patientId: a.patient.id, appointmentTypeId: a.type.id, date, startTime, endTime });
    const move = (id: number, body: Record<string, unknown>, auth: { cookie?: string; agentKey?: string; key?: string } = {}) =>
      callRoute(reschedule, {
        method: 'POST',
        path: `/api/clinic/appointments/${id}/reschedule`,
        params: { calendar_event_id: String(id) },
        body,
        cookie: auth.agentKey ? undefined : (auth.cookie ?? cookies.own),
        agentKey: auth.agentKey,
        headers: auth.key ? { 'idempotency-key': auth.key } : undefined,
      });
    const eventOf = async (id: number) =>
      (
        await t
          .db()
          .select({
            userId: calendarEvents.userId,
            date: calendarEvents.date,
            start: calendarEvents.startTime,
            end: calendarEvents.endTime,
            gcal: calendarEvents.gcalEventId,
          })
          .from(calendarEvents)
          .where(eq(calendarEvents.id, id))
      )[0]!;
    const jobsFor = (id: number) =>
      t
        .db()
        .select({ kind: outboxJobs.kind, payload: outboxJobs.payload })
        .from(outboxJobs)
        .where(sql`${outboxJobs.payload}->>'calendar_event_id' = ${String(id)}`)
        .orderBy(asc(outboxJobs.id));
    const auditsFor = (id: number) =>
      t
        .db()
        .select({ action: auditLog.action, details: auditLog.details, practitionerId: auditLog.practitionerId, patientId: auditLog.patientId })
        .from(auditLog)
        .where(and(eq(auditLog.entityType, 'appointment'), eq(auditLog.entityId, String(id))));

    it('moves an appointment within its day: one audit entry, one LINE change notice, one Google update', async () => {
      const event = await book(WED, '10:00', '11:00');
      const res = await move(event.id, { date: WED, start_time: '14:00' });
      expect(res).toEqual({
        status: 200,
        body: {
          calendar_event_id: event.id,
          practitioner_id: a.practitioner.id,
          patient_id: a.patient.id,
          appointment_type_id: a.type.id,
          date: WED,
          start_time: '14:00',
          end_time: '15:00',
          status: 'confirmed',
        },
      });
      expect(await eventOf(event.id)).toMatchObject({ userId: a.practitioner.id, date: WED, start: '14:00:00', end: '15:00:00' });
      const jobs = await jobsFor(event.id);
      expect(jobs.map((j) => j.kind).sort()).toEqual(['google.upsert_event', 'line.push']);
      const line = jobs.find((j) => j.kind === 'line.push')!.payload as { reason: string; to: string; messages: Array<{ text: string }> };
      expect(line.reason).toBe('appointment_moved');
      expect(line.to).toBe(a.patient.lineUserId);
      expect(line.messages[0]!.text).toContain('預約時間變更通知');
      expect(line.messages[0]!.text).toContain('10:00-11:00');
      expect(line.messages[0]!.text).toContain('14:00-15:00');
      expect(jobs.find((j) => j.kind === 'google.upsert_event')!.payload).toMatchObject({ practitioner_id: a.practitioner.id });
      const audits = await auditsFor(event.id);
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({
        action: 'appointment.rescheduled',
        practitionerId: a.practitioner.id,
        patientId: a.patient.id,
        details: {
          before: { practitioner_id: a.practitioner.id, date: WED, time: '10:00-11:00' },
          after: { practitioner_id: a.practitioner.id, date: WED, time: '14:00-15:00' },
        },
      });
    });

    it('moves an appointment to another day, for the agent of its clinic', async () => {
      const event = await book(WED, '11:00', '12:00');
      const res = await move(event.id, { date: THU, start_time: '09:00' }, { agentKey: agentA });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ date: THU, start_time: '09:00', end_time: '10:00' });
      expect(await eventOf(event.id)).toMatchObject({ date: THU, start: '09:00:00', end: '10:00:00' });
      expect((await jobsFor(event.id)).map((j) => j.kind).sort()).toEqual(['google.upsert_event', 'line.push']);
    });

    it('moves half an hour later, into its own old time', async () => {
      const event = await book(WED, '15:00', '16:00');
      const res = await move(event.id, { date: WED, start_time: '15:30' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(await eventOf(event.id)).toMatchObject({ start: '15:30:00', end: '16:30:00' });
    });

    it("an admin moves it into another practitioner's calendar: Google copy deleted there, made in the other's", async () => {
      const event = await book(THU, '13:00', '14:00');
      await t.db().update(calendarEvents).set({ gcalEventId: 'oldgoogleid1', gcalSyncStatus: 'synced' }).where(eq(calendarEvents.id, event.id));
      const res = await move(event.id, { date: THU, start_time: '13:00', practitioner_id: a.colleague.id }, { cookie: cookies.admin });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ practitioner_id: a.colleague.id, date: THU, start_time: '13:00' });
      expect(await eventOf(event.id)).toMatchObject({ userId: a.colleague.id, gcal: null });
      const jobs = await jobsFor(event.id);
      expect(jobs.map((j) => j.kind).sort()).toEqual(['google.delete_event', 'google.upsert_event', 'line.push']);
      expect(jobs.find((j) => j.kind === 'google.delete_event')!.payload).toMatchObject({
        practitioner_id: a.practitioner.id,
        gcal_event_id: 'oldgoogleid1',
      });
      expect(jobs.find((j) => j.kind === 'google.upsert_event')!.payload).toMatchObject({ practitioner_id: a.colleague.id });
      const text = (jobs.find((j) => j.kind === 'line.push')!.payload as { messages: Array<{ text: string }> }).messages[0]!.text;
      expect(text).toContain(`治療師：${a.colleague.name}`);
      expect((await auditsFor(event.id))[0]).toMatchObject({ action: 'appointment.rescheduled', practitionerId: a.colleague.id });
    });

    describe('refused moves keep the old time and change nothing', () => {
      let event: { id: number };
      beforeAll(async () => {
        event = await book(THU, '15:00', '16:00');
        await book(THU, '16:00', '17:00');
        await makeException(t.db(), { userId: a.practitioner.id, date: THU, startTime: '11:00', endTime: '12:00' });
      });

      it.each([
        ['onto another confirmed appointment', { date: THU, start_time: '16:00' }, undefined, 409, 'slot_unavailable'],
        ['half over another appointment', { date: THU, start_time: '15:30' }, undefined, 409, 'slot_unavailable'],
        ['into an exception', { date: THU, start_time: '11:00' }, undefined, 409, 'slot_unavailable'],
        ['outside working hours', { date: THU, start_time: '20:00' }, undefined, 409, 'slot_unavailable'],
        ['on a day off', { date: '2031-03-08', start_time: '10:00' }, undefined, 409, 'slot_unavailable'],
        ['a practitioner into a colleague’s calendar', { date: THU, start_time: '09:00', practitioner_id: 'colleague' }, 'own', 403, 'forbidden'],
        ['a colleague moving it', { date: THU, start_time: '09:00' }, 'colleague', 403, 'forbidden'],
        ["another clinic's agent", { date: THU, start_time: '09:00' }, 'agentB', 404, 'not_found'],
        ["another clinic's admin practitioner id", { date: THU, start_time: '09:00', practitioner_id: 'b' }, 'admin', 404, 'not_found'],
      ] as const)('%s', async (_name, body, who, status, error) => {
        const practitionerId = 'practitioner_id' in body ? (body.practitioner_id === 'colleague' ? a.colleague.id : b.practitioner.id) : undefined;
        const auth =
          who === 'agentB'
            ? { agentKey: agentB }
            : { cookie: who === 'colleague' ? cookies.colleague : who === 'admin' ? cookies.admin : cookies.own };
        const before = await dbFingerprint(t.db());
        const res = await move(
          event.id,
          { date: body.date, start_time: body.start_time, ...(practitionerId ? { practitioner_id: practitionerId } : {}) },
          auth,
        );
        expect(res.status, JSON.stringify(res.body)).toBe(status);
        expect(res.body.error).toBe(error);
        expect(await dbFingerprint(t.db())).toEqual(before);
        expect(await eventOf(event.id)).toMatchObject({ userId: a.practitioner.id, date: THU, start: '15:00:00', end: '16:00:00' });
      });

      it('a canceled appointment is not moved (409)', async () => {
        const canceled = await makeAppointment(t.db(), {
          userId: a.practitioner.id,
          patientId: a.patient.id,
          appointmentTypeId: a.type.id,
          date: THU,
          startTime: '09:00',
          endTime: '10:00',
          status: 'canceled_by_clinic',
        });
        const before = await dbFingerprint(t.db());
        const res = await move(canceled.id, { date: THU, start_time: '10:00' });
        expect(res.status).toBe(409);
        expect(res.body.message).toMatch(/confirmed/);
        expect(await dbFingerprint(t.db())).toEqual(before);
      });
    });

    it('a retry with the same Idempotency-Key answers the same and moves (and notifies) once', async () => {
      const event = await book('2031-03-07', '09:00', '10:00');
      const first = await move(event.id, { date: '2031-03-07', start_time: '12:00' }, { agentKey: agentA, key: 'chat-1-turn-3' });
      const again = await move(event.id, { date: '2031-03-07', start_time: '12:00' }, { agentKey: agentA, key: 'chat-1-turn-3' });
      expect(first.status).toBe(200);
      expect(again).toEqual(first);
      expect((await jobsFor(event.id)).filter((j) => j.kind === 'line.push')).toHaveLength(1);
      expect(await auditsFor(event.id)).toHaveLength(1);
    });

    it('of 50 concurrent moves of 50 appointments into one free slot exactly one succeeds; the others keep their times', async () => {
      const c = await makeClinicWithStaff(t.db());
      await setWeek(t.db(), c.practitioner.id, {
        1: [['06:00', '22:00']],
        2: [['06:00', '22:00']],
        3: [['06:00', '22:00']],
        4: [['06:00', '22:00']],
        5: [['09:00', '12:00']],
      });
      const key = (await createAgentKey(t.db(), { clinicSlug: c.clinic.slug, name: 'race' })).key;
      // 16 one-hour appointments a day, Monday to Thursday (64 ≥ 50), and a free Friday.
      const days = ['2031-03-10', '2031-03-11', '2031-03-12', '2031-03-13'];
      const events = await Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          const h = 6 + (i % 16);
          return makeAppointment(t.db(), {
            userId: c.practitioner.id,
            patientId: c.patient.id,
            appointmentTypeId: c.type.id,
            date: days[Math.floor(i / 16)]!,
            startTime: `${String(h).padStart(2, '0')}:00`,
            endTime: `${String(h + 1).padStart(2, '0')}:00`,
          });
        }),
      );
      const before = new Map(await Promise.all(events.map(async (e) => [e.id, await eventOf(e.id)] as const)));
      const results = await Promise.all(events.map((e) => move(e.id, { date: '2031-03-14', start_time: '10:00' }, { agentKey: key })));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status === 409 && r.body.error === 'slot_unavailable')).toHaveLength(49);
      const winner = events[results.findIndex((r) => r.status === 200)]!;
      for (const e of events) {
        if (e.id === winner.id) expect(await eventOf(e.id)).toMatchObject({ date: '2031-03-14', start: '10:00:00', end: '11:00:00' });
        else expect(await eventOf(e.id)).toEqual(before.get(e.id));
      }
      const [n] = await t
        .db()
        .select({ n: sql<number>`count(*)::int` })
        .from(outboxJobs)
        .where(and(eq(outboxJobs.clinicId, c.clinic.id), eq(outboxJobs.kind, 'line.push')));
      expect(n!.n).toBe(1);
    });
  });
