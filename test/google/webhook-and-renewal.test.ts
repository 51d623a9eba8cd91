import { eq, inArray } from 'drizzle-orm';
import { NextRequest } from 'next/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { POST as book } from '@/app/api/clinic/appointments/route';
import { GET as renewCron } from '@/app/api/cron/google-watch/route';
import { POST as webhook } from '@/app/api/webhooks/google-calendar/route';
import { settleAfterResponseWork } from '@/lib/api/after-response';
import { appointments, googleChannels, googleConnections, outboxJobs } from '@/lib/db/schema';
import { googleEventIdFor } from '@/lib/integrations/google/event-body';
import { createAgentKey } from '@/lib/services/agent-keys';
import { useTestDatabase } from '../support/db';
import { makeClinic, makeClinicWithStaff, makeUser, setWeek } from '../support/factories';
import { callRoute } from '../support/http';
import { dbFingerprint } from '../support/db-fingerprint';
import { connectPractitioner, drainOutbox, useFakeGoogle } from './support';

const DAY = '2031-11-05'; // a Wednesday

describe('the webhook hears only channels we opened; channels are renewed before they expire', () => {
  const t = useTestDatabase();
  const google = useFakeGoogle();
  let c: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let key: string;
  let email: string;

  beforeAll(async () => {
    process.env.CRON_SECRET = 'cron-secret-for-tests';
    c = await makeClinicWithStaff(t.db());
    await setWeek(t.db(), c.practitioner.id, { 3: [['09:00', '18:00']] });
    key = (await createAgentKey(t.db(), { clinicSlug: c.clinic.slug, name: 'LINE agent' })).key;
    email = c.practitioner.email;
    await connectPractitioner(t.db(), google(), { id: c.practitioner.id, clinicId: c.clinic.id, email });
    // What signing in does: the connect job pushes, opens the channel and syncs.
    await t
      .db()
      .insert(outboxJobs)
      .values({ clinicId: c.clinic.id, kind: 'google.connect', payload: { practitioner_id: c.practitioner.id } });
    await drainOutbox(t.db());
  });

  const notify = (headers: Record<string, string>, body?: string) =>
    webhook(
      new NextRequest('http://localhost:3000/api/webhooks/google-calendar', {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=UTF-8', ...headers },
        body,
      }),
    );

  it("connecting opened exactly one channel, to APP_BASE_URL's webhook, with a random token of 16+ characters", async () => {
    const live = google().liveChannels(email);
    expect(live).toHaveLength(1);
    expect(live[0]!.address).toBe(`${process.env.APP_BASE_URL}/api/webhooks/google-calendar`);
    expect(live[0]!.token!.length).toBeGreaterThanOrEqual(16);
    const rows = await t.db().select().from(googleChannels);
    expect(rows.map((r) => r.channelId)).toEqual([live[0]!.id]);
    expect(JSON.stringify(rows)).not.toContain(live[0]!.token!);
  });

  it('forged or unknown channel ids and tokens are 401 and change nothing', async () => {
    const [channel] = google().liveChannels(email);
    const before = await dbFingerprint(t.db());
    const cases: Array<Record<string, string>> = [
      {},
      { 'x-goog-channel-id': channel!.id },
      { 'x-goog-channel-id': channel!.id, 'x-goog-channel-token': 'guessed-token-0123456789' },
      { 'x-goog-channel-id': 'not-a-channel-of-ours', 'x-goog-channel-token': channel!.token! },
      { 'x-goog-channel-id': channel!.id, 'x-goog-channel-token': channel!.token!, 'x-goog-resource-id': 'someone-elses-resource' },
      { 'x-goog-channel-id': 'x'.repeat(500), 'x-goog-channel-token': channel!.token! },
    ];
    for (const headers of cases) {
      const res = await notify({ 'x-goog-resource-state': 'exists', ...headers });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'unauthorized' });
    }
    await settleAfterResponseWork();
    expect(await dbFingerprint(t.db())).toEqual(before);
  });

  it('a real notification (empty body, any content type) answers 200 at once and the sync after it cancels a deleted appointment, once even when delivered twice', async () => {
    const res = await callRoute(book, {
      method: 'POST',
      path: '/api/clinic/appointments',
      agentKey: key,
      body: { practitioner_id: c.practitioner.id, patient_id: c.patient.id, appointment_type_id: c.type.id, date: DAY, start_time: '10:00' },
    });
    await drainOutbox(t.db());
    const id = res.body.calendar_event_id as number;
    google().configure({ duplicateNotifications: true });
    google().userDelete(email, googleEventIdFor(id));
    const [channel] = google().liveChannels(email);
    const headers = {
      'x-goog-channel-id': channel!.id,
      'x-goog-channel-token': channel!.token!,
      'x-goog-resource-id': channel!.resourceId,
      'x-goog-resource-state': 'exists',
      'x-goog-message-number': '7',
    };
    const answers = await Promise.all([notify(headers), notify(headers, '')]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    await settleAfterResponseWork();
    const [row] = await t.db().select().from(appointments).where(eq(appointments.calendarEventId, id));
    expect(row!.status).toBe('canceled_by_clinic');
    const line = (await t.db().select().from(outboxJobs).where(eq(outboxJobs.kind, 'line.push'))).filter((j) => j.payload.calendar_event_id === id);
    expect(line).toHaveLength(1);
    google().configure({ duplicateNotifications: false });
  });

  it('the cron renews a channel that expires within 24 hours: the new one first, then the old one stopped', async () => {
    const [before] = google().liveChannels(email);
    // Expiring in 20 hours: due for renewal.
    await t
      .db()
      .update(googleChannels)
      .set({ expiresAt: new Date(Date.now() + 20 * 3600_000) });
    const unauthorized = await renewCron(new Request('http://localhost:3000/api/cron/google-watch'));
    expect(unauthorized.status).toBe(401);
    const res = await renewCron(
      new Request('http://localhost:3000/api/cron/google-watch', { headers: { authorization: 'Bearer cron-secret-for-tests' } }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ renewed: 1, failed: 0 });
    const live = google().liveChannels(email);
    expect(live).toHaveLength(1);
    expect(live[0]!.id).not.toBe(before!.id);
    const ops = google()
      .requests.filter((r) => r.op === 'events.watch' || r.op === 'channels.stop')
      .map((r) => r.op);
    expect(ops.slice(-2)).toEqual(['events.watch', 'channels.stop']);
    // The old channel's notifications are no longer heard.
    const stale = await notify({ 'x-goog-channel-id': before!.id, 'x-goog-channel-token': before!.token!, 'x-goog-resource-state': 'exists' });
    expect(stale.status).toBe(401);
    // A channel far from expiry is left alone.
    const again = await renewCron(
      new Request('http://localhost:3000/api/cron/google-watch', { headers: { authorization: 'Bearer cron-secret-for-tests' } }),
    );
    expect(await again.json()).toMatchObject({ renewed: 0, failed: 0 });
  });

  it("fifty connected practitioners' channels are renewed within one cron run", async () => {
    const clinic = await makeClinic(t.db());
    const users = [];
    for (let i = 0; i < 50; i += 1) {
      const u = await makeUser(t.db(), { clinicId: clinic.id, email: `p${i}-${clinic.id}@clinic.test` });
      await connectPractitioner(t.db(), google(), { id: u.id, clinicId: clinic.id, email: u.email });
      users.push(u);
    }
    const res = await renewCron(
      new Request('http://localhost:3000/api/cron/google-watch', { headers: { authorization: 'Bearer cron-secret-for-tests' } }),
    );
    expect(await res.json()).toMatchObject({ renewed: 50, failed: 0 });
    const connections = await t
      .db()
      .select({ id: googleConnections.id })
      .from(googleConnections)
      .where(
        inArray(
          googleConnections.userId,
          users.map((u) => u.id),
        ),
      );
    const channels = await t
      .db()
      .select()
      .from(googleChannels)
      .where(
        inArray(
          googleChannels.connectionId,
          connections.map((x) => x.id),
        ),
      );
    expect(channels).toHaveLength(50);
  });
});
