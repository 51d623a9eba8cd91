import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { userCaller, type Caller } from '@/lib/auth/caller';
import { calendarEvents, googleChannels, googleConnections, outboxJobs } from '@/lib/db/schema';
import { googleEventIdFor } from '@/lib/integrations/google/event-body';
import { getGoogleCalendarSettings } from '@/lib/queries/google';
import { disconnectGoogleCalendar, setCountBusy } from '@/lib/services/google-connection';
import { createAgentKey } from '@/lib/services/agent-keys';
import { presentAgentKey } from '@/lib/auth/agent-keys';
import { useTestDatabase } from '../support/db';
import { makeAppointment, makeClinicWithStaff, makeException } from '../support/factories';
import { connectPractitioner, drainOutbox, useFakeGoogle } from './support';

describe('connecting and disconnecting Google Calendar', () => {
  const t = useTestDatabase();
  const google = useFakeGoogle();
  let c: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let own: Caller;
  let colleague: Caller;
  let agent: Caller;
  let email: string;

  beforeAll(async () => {
    c = await makeClinicWithStaff(t.db());
    own = (await userCaller(c.practitioner.id))!;
    colleague = (await userCaller(c.colleague.id))!;
    const key = (await createAgentKey(t.db(), { clinicSlug: c.clinic.slug, name: 'agent' })).key;
    const found = (await presentAgentKey(t.db(), key))!;
    agent = { kind: 'agent', clinicId: c.clinic.id, agentKeyId: found.id };
    email = c.practitioner.email;
  });

  it('connecting pushes every future appointment and exception once, opens one channel and syncs; the past stays out', async () => {
    const future = await makeAppointment(t.db(), {
      userId: c.practitioner.id,
      patientId: c.patient.id,
      appointmentTypeId: c.type.id,
      date: '2031-12-03',
      startTime: '10:00',
      endTime: '11:00',
    });
    const past = await makeAppointment(t.db(), {
      userId: c.practitioner.id,
      patientId: c.patient.id,
      appointmentTypeId: c.type.id,
      date: '2020-12-02',
      startTime: '10:00',
      endTime: '11:00',
    });
    const off = await makeException(t.db(), { userId: c.practitioner.id, date: '2031-12-04' });
    await connectPractitioner(t.db(), google(), { id: c.practitioner.id, clinicId: c.clinic.id, email });
    await t
      .db()
      .insert(outboxJobs)
      .values({ clinicId: c.clinic.id, kind: 'google.connect', payload: { practitioner_id: c.practitioner.id } });
    await drainOutbox(t.db());
    expect(google().event(email, googleEventIdFor(future.id))?.status).toBe('confirmed');
    expect(google().event(email, googleEventIdFor(off.event.id))?.summary).toBe('Unavailable');
    expect(google().event(email, googleEventIdFor(past.id))).toBeUndefined();
    expect(google().liveChannels(email)).toHaveLength(1);
    expect(google().requestsFor('events.insert')).toHaveLength(2);
    const settings = await getGoogleCalendarSettings(t.db(), own, c.practitioner.id, new Date());
    expect(settings).toMatchObject({
      state: 'connected',
      google_email: email,
      failed_events: 0,
      count_busy: false,
      last_synced_at: expect.any(String),
      channel_expires_at: expect.any(String),
    });
  });

  it('a colleague or the agent may not disconnect or change the busy switch', async () => {
    for (const caller of [colleague, agent]) {
      await expect(disconnectGoogleCalendar(t.db(), caller, c.practitioner.id)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(setCountBusy(t.db(), caller, c.practitioner.id, true)).rejects.toMatchObject({ code: 'forbidden' });
    }
    await expect(getGoogleCalendarSettings(t.db(), agent, c.practitioner.id, new Date())).rejects.toMatchObject({ code: 'forbidden' });
    const [row] = await t.db().select().from(googleConnections).where(eq(googleConnections.userId, c.practitioner.id));
    expect(row).toMatchObject({ state: 'connected', countBusy: false });
  });

  it('disconnecting stops the channel and syncing, and leaves the events in Google', async () => {
    await disconnectGoogleCalendar(t.db(), own, c.practitioner.id);
    await drainOutbox(t.db());
    expect(google().liveChannels(email)).toHaveLength(0);
    expect(google().requestsFor('channels.stop')).toHaveLength(1);
    expect(
      google()
        .events(email)
        .filter((e) => e.status === 'confirmed'),
    ).toHaveLength(2);
    expect((await t.db().select().from(googleChannels)).every((ch) => ch.stoppedAt !== null)).toBe(true);
    const statuses = await t
      .db()
      .select({ s: calendarEvents.gcalSyncStatus })
      .from(calendarEvents)
      .where(eq(calendarEvents.userId, c.practitioner.id));
    expect(statuses.every((r) => r.s === null)).toBe(true);
    expect(await getGoogleCalendarSettings(t.db(), own, c.practitioner.id, new Date())).toMatchObject({ state: 'disconnected' });
    // Later changes are not mirrored.
    const later = await makeAppointment(t.db(), {
      userId: c.practitioner.id,
      patientId: c.patient.id,
      appointmentTypeId: c.type.id,
      date: '2031-12-10',
      startTime: '10:00',
      endTime: '11:00',
    });
    await drainOutbox(t.db());
    expect(google().event(email, googleEventIdFor(later.id))).toBeUndefined();
  });
});
