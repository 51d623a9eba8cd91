import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { POST as cancelForPatient } from '@/app/api/clinic/appointments/[calendar_event_id]/cancel/route';
import { DELETE as deleteByClinic } from '@/app/api/clinic/practitioners/[user_id]/appointments/[calendar_event_id]/route';
import { appointments, auditLog, calendarEvents, googleConnections, outboxJobs } from '@/lib/db/schema';
import { createAgentKey } from '@/lib/services/agent-keys';
import { useTestDatabase } from '../support/db';
import { makeAppointment, makeClinicWithStaff } from '../support/factories';
import { callRoute, staffCookies } from '../support/http';

describe('cancellations race safely: exactly one transition, whatever the interleaving', () => {
  const t = useTestDatabase();
  let c: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let key: string;
  let cookies: Awaited<ReturnType<typeof staffCookies>>;

  beforeAll(async () => {
    c = await makeClinicWithStaff(t.db());
    key = (await createAgentKey(t.db(), { clinicSlug: c.clinic.slug, name: 'LINE agent' })).key;
    cookies = await staffCookies(c);
    await t.db().insert(googleConnections).values({ userId: c.practitioner.id, clinicId: c.clinic.id, state: 'connected' });
  });

  let day = 0;
  /** A confirmed appointment with a Google copy, so every cancellation also queues its removal. */
  const appointment = async () => {
    const event = await makeAppointment(t.db(), {
      userId: c.practitioner.id,
      patientId: c.patient.id,
      appointmentTypeId: c.type.id,
      date: `2031-07-${String(++day).padStart(2, '0')}`,
      startTime: '10:00',
      endTime: '11:00',
    });
    await t
      .db()
      .update(calendarEvents)
      .set({ gcalEventId: `gcal${event.id}`, gcalSyncStatus: 'synced' })
      .where(eq(calendarEvents.id, event.id));
    return event;
  };
  const byAgent = (id: number) =>
    callRoute(cancelForPatient, {
      method: 'POST',
      path: `/api/clinic/appointments/${id}/cancel`,
      params: { calendar_event_id: String(id) },
      agentKey: key,
    });
  const byClinic = (id: number, cookie: string) =>
    callRoute(deleteByClinic, {
      method: 'DELETE',
      path: `/api/clinic/practitioners/${c.practitioner.id}/appointments/${id}`,
      params: { user_id: String(c.practitioner.id), calendar_event_id: String(id) },
      cookie,
    });

  async function effects(id: number) {
    const [row] = await t.db().select({ status: appointments.status }).from(appointments).where(eq(appointments.calendarEventId, id));
    const audits = await t
      .db()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'appointment'), eq(auditLog.entityId, String(id))));
    const jobs = await t
      .db()
      .select({ kind: outboxJobs.kind })
      .from(outboxJobs)
      .where(sql`(${outboxJobs.payload}->>'calendar_event_id')::int = ${id}`);
    return { status: row!.status, audits: audits.map((a) => a.action), jobs: jobs.map((j) => j.kind).sort() };
  }

  it('ten concurrent agent cancels: one transition, one audit entry, one Google removal; the others answer "already"', async () => {
    const appt = await appointment();
    const answers = await Promise.all(Array.from({ length: 10 }, () => byAgent(appt.id)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(answers.filter((a) => a.body.already_canceled === false)).toHaveLength(1);
    expect(answers.every((a) => a.body.status === 'canceled_by_patient')).toBe(true);
    expect(await effects(appt.id)).toEqual({
      status: 'canceled_by_patient',
      audits: ['appointment.canceled_by_patient'],
      jobs: ['google.delete_event'],
    });
  });

  it('agent cancels racing practitioner and admin deletes: the first wins, the rest change and send nothing', async () => {
    for (let round = 0; round < 6; round += 1) {
      const appt = await appointment();
      const calls = [
        ...Array.from({ length: 4 }, () => () => byAgent(appt.id)),
        () => byClinic(appt.id, cookies.own),
        () => byClinic(appt.id, cookies.admin),
        () => byClinic(appt.id, cookies.own),
      ];
      // A different order each round, so both kinds get to go first.
      const order = round % 2 === 0 ? calls : [...calls].reverse();
      const answers = await Promise.all(order.map((call) => call()));
      expect(answers.map((a) => a.status)).toEqual(Array(order.length).fill(200));
      const e = await effects(appt.id);
      expect(e.audits).toEqual([`appointment.${e.status}`]);
      // A clinic cancellation messages the patient; the agent's does not (the patient is in the chat).
      expect(e.jobs).toEqual(e.status === 'canceled_by_clinic' ? ['google.delete_event', 'line.push'] : ['google.delete_event']);
      // Every answer names the status that won, never a second transition.
      expect(answers.every((a) => a.body.status === e.status)).toBe(true);
    }
  });

  it('a cancel after the clinic deleted the appointment keeps canceled_by_clinic', async () => {
    const appt = await appointment();
    expect((await byClinic(appt.id, cookies.own)).body.status).toBe('canceled_by_clinic');
    const late = await byAgent(appt.id);
    expect(late.body).toMatchObject({ status: 'canceled_by_clinic', already_canceled: true });
    expect(await effects(appt.id)).toEqual({
      status: 'canceled_by_clinic',
      audits: ['appointment.canceled_by_clinic'],
      jobs: ['google.delete_event', 'line.push'],
    });
  });
});
