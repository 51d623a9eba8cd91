import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { DELETE } from '@/app/api/clinic/practitioners/[user_id]/appointments/[calendar_event_id]/route';
import { GET as calendar } from '@/app/api/clinic/practitioners/[user_id]/availability/calendar/route';
import { appointments, auditLog, calendarEvents, outboxJobs } from '@/lib/db/schema';
import { createAgentKey } from '@/lib/services/agent-keys';
import { useTestDatabase } from '../support/db';
import { makeAppointment, makeClinicWithStaff, makePatient } from '../support/factories';
import { callRoute, sessionCookie } from '../support/http';

const DAY = '2031-03-05'; // a Wednesday

describe('DELETE /practitioners/{id}/appointments/{calendar_event_id}', () => {
  const t = useTestDatabase();
  let a: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let b: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let own: string;

  beforeAll(async () => {
    a = await makeClinicWithStaff(t.db());
    b = await makeClinicWithStaff(t.db());
    own = await sessionCookie({ id: a.practitioner.id, clinicId: a.clinic.id, role: 'practitioner' });
  });

  const book = (startTime: string, endTime: string, patientId = a.patient.id, userId = a.practitioner.id) =>
    makeAppointment(t.db(), { userId, patientId, appointmentTypeId: a.type.id, date: DAY, startTime, endTime });
  const del = (eventId: number, o: { cookie?: string; id?: number; agentKey?: string } = {}) => {
    const id = o.id ?? a.practitioner.id;
    return callRoute(DELETE, {
      method: 'DELETE',
      path: `/api/clinic/practitioners/${id}/appointments/${eventId}`,
      params: { user_id: String(id), calendar_event_id: String(eventId) },
      cookie: o.agentKey ? undefined : (o.cookie ?? own),
      agentKey: o.agentKey,
    });
  };
  const statusOf = async (id: number) =>
    (await t.db().select({ s: appointments.status }).from(appointments).where(eq(appointments.calendarEventId, id)))[0]!.s;
  const jobsFor = (id: number) =>
    t
      .db()
      .select()
      .from(outboxJobs)
      .where(sql`${outboxJobs.payload}->>'calendar_event_id' = ${String(id)}`);
  const dayEvents = async () =>
    (
      await callRoute(calendar, {
        path: `/api/clinic/practitioners/${a.practitioner.id}/availability/calendar?date=${DAY}`,
        params: { user_id: String(a.practitioner.id) },
        cookie: own,
      })
    ).body.events;
  const monthCount = async () =>
    (
      await callRoute(calendar, {
        path: `/api/clinic/practitioners/${a.practitioner.id}/availability/calendar?month=2031-03`,
        params: { user_id: String(a.practitioner.id) },
        cookie: own,
      })
    ).body.days[4].appointment_count;

  it('cancels by clinic, queues one LINE message and one Google removal, audits, and drops it from the views', async () => {
    const appt = await book('10:00', '11:00');
    await t
      .db()
      .update(calendarEvents)
      .set({ gcalEventId: `g-${appt.id}`, gcalSyncStatus: 'synced' })
      .where(eq(calendarEvents.id, appt.id));
    const before = await monthCount();
    const res = await del(appt.id);
    expect(res).toEqual({ status: 200, body: { message: expect.any(String), calendar_event_id: appt.id, status: 'canceled_by_clinic' } });
    expect(await statusOf(appt.id)).toBe('canceled_by_clinic');

    const jobs = await jobsFor(appt.id);
    expect(jobs.map((j) => j.kind).sort()).toEqual(['google.delete_event', 'line.push']);
    const line = jobs.find((j) => j.kind === 'line.push')!;
    expect(line.status).toBe('pending');
    expect(line.payload).toMatchObject({ to: a.patient.lineUserId, reason: 'appointment_canceled', patient_id: a.patient.id });
    const text = (line.payload.messages as Array<{ type: string; text: string }>)[0]!;
    expect(text.type).toBe('text');
    expect(text.text).toContain('預約取消通知');
    expect(text.text).toContain('• 時間：2031年3月5日（三） 10:00-11:00');
    expect(text.text).toContain('• 治療師：Dr. Chen');
    expect(text.text).toContain(`• 項目：${a.type.name}`);
    expect(text.text).toContain('重新預約');
    expect(jobs.find((j) => j.kind === 'google.delete_event')!.payload).toMatchObject({ gcal_event_id: `g-${appt.id}` });

    const [audit] = await t
      .db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'appointment'), and(eq(auditLog.entityType, 'appointment'), eq(auditLog.entityId, String(appt.id)))));
    expect(audit).toMatchObject({ action: 'appointment.canceled_by_clinic', actorType: 'user', actorUserId: a.practitioner.id });
    expect(audit!.details).toMatchObject({ source: 'manual_deletion', line_notification: { outbox_job_id: line.id } });

    expect((await dayEvents()).map((e: { calendar_event_id: number }) => e.calendar_event_id)).not.toContain(appt.id);
    expect(await monthCount()).toBe(before - 1);
  });

  it('repeating the delete changes nothing and sends nothing twice', async () => {
    const appt = await book('12:00', '13:00');
    expect((await del(appt.id)).status).toBe(200);
    const again = await del(appt.id);
    expect(again.body).toMatchObject({ calendar_event_id: appt.id, status: 'canceled_by_clinic' });
    expect(await jobsFor(appt.id)).toHaveLength(1);
  });

  it('records that a patient without LINE gets no message', async () => {
    const offline = await makePatient(t.db(), { clinicId: a.clinic.id, fullName: '林先生' });
    const appt = await book('15:00', '16:00', offline.id);
    expect((await del(appt.id)).status).toBe(200);
    expect(await jobsFor(appt.id)).toHaveLength(0);
    const [audit] = await t
      .db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'appointment'), eq(auditLog.entityId, String(appt.id))));
    expect(audit!.details).toMatchObject({ line_notification: 'patient has no LINE user id' });
  });

  it('is one transaction: when the outbox cannot be written, the appointment stays confirmed and nothing is audited', async () => {
    const appt = await book('16:00', '17:00');
    await t.db().execute(
      sql.raw(`
      CREATE FUNCTION refuse_outbox() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'outbox down'; END $$;
      CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox_jobs FOR EACH ROW EXECUTE FUNCTION refuse_outbox();`),
    );
    try {
      const res = await del(appt.id);
      expect(res).toEqual({ status: 500, body: { error: 'internal_error', message: 'Something went wrong' } });
    } finally {
      await t.db().execute(sql.raw('DROP TRIGGER refuse_outbox ON outbox_jobs; DROP FUNCTION refuse_outbox();'));
    }
    expect(await statusOf(appt.id)).toBe('confirmed');
    expect(
      await t
        .db()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityType, 'appointment'), eq(auditLog.entityId, String(appt.id)))),
    ).toHaveLength(0);
    expect((await del(appt.id)).status).toBe(200);
  });

  it('lets an admin delete; a colleague and the agent get 403; wrong practitioner, other clinic and unknown ids 404', async () => {
    const appt = await book('09:00', '10:00');
    const colleague = await sessionCookie({ id: a.colleague.id, clinicId: a.clinic.id, role: 'practitioner' });
    expect((await del(appt.id, { cookie: colleague })).status).toBe(403);
    const { key } = await createAgentKey(t.db(), { clinicSlug: a.clinic.slug, name: 'agent' });
    expect((await del(appt.id, { agentKey: key })).status).toBe(403);
    const foreign = await sessionCookie({ id: b.admin.id, clinicId: b.clinic.id, role: 'admin' });
    expect((await del(appt.id, { cookie: foreign })).status).toBe(404);
    const admin = await sessionCookie({ id: a.admin.id, clinicId: a.clinic.id, role: 'admin' });
    expect((await del(appt.id, { cookie: admin, id: a.colleague.id })).status).toBe(404);
    expect((await del(99999999)).status).toBe(404);
    expect(await statusOf(appt.id)).toBe('confirmed');
    expect((await del(appt.id, { cookie: admin })).body.status).toBe('canceled_by_clinic');
  });
});
