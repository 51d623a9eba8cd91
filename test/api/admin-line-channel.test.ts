import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { POST as archiveType } from '@/app/api/clinic/admin/appointment-types/[appointment_type_id]/archive/route';
import { POST as restoreType } from '@/app/api/clinic/admin/appointment-types/[appointment_type_id]/restore/route';
import { PATCH as patchType } from '@/app/api/clinic/admin/appointment-types/[appointment_type_id]/route';
import { GET as listTypes, POST as createType } from '@/app/api/clinic/admin/appointment-types/route';
import { DELETE as removeChannel, PUT as putChannel } from '@/app/api/clinic/admin/settings/line-channel/route';
import { POST as testChannel } from '@/app/api/clinic/admin/settings/line-channel/test/route';
import { GET as getSettings, PATCH as patchSettings } from '@/app/api/clinic/admin/settings/route';
import { DELETE as deleteAppointment } from '@/app/api/clinic/practitioners/[user_id]/appointments/[calendar_event_id]/route';
import { auditLog, clinics, idempotencyKeys, outboxAttempts, outboxJobs } from '@/lib/db/schema';
import { deliverDueJobs } from '@/lib/outbox/delivery';
import { outboxHandlers } from '@/lib/outbox/handlers';
import { dbFingerprint } from '../support/db-fingerprint';
import { useTestDatabase } from '../support/db';
import { makeAppointment, makeClinicWithStaff } from '../support/factories';
import { callRoute, sessionCookie, staffCookies } from '../support/http';
import { useFakeLine } from '../outbox/support';

const CHANNEL = '/api/clinic/admin/settings/line-channel';
// As LINE issues them: a long channel access token, a 32-hex channel secret.
const TOKEN = `${randomBytes(96).toString('base64url')}4f2a`;
const SECRET = `${randomBytes(14).toString('hex')}9c1e`;
const WRONG_TOKEN = `${randomBytes(96).toString('base64url')}dead`;
const LINE_USER = `U${'ab'.repeat(16)}`;

describe("the clinic's own LINE channel: encrypted, never shown, used for its patients' messages", () => {
  const t = useTestDatabase();
  const line = useFakeLine();
  let a: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let b: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let admin: string;
  let practitioner: string;
  let otherAdmin: string;
  /** every answer an admin route gave in this file */
  const answers: unknown[] = [];
  /** everything written to the console meanwhile */
  const logged: string[] = [];

  beforeAll(async () => {
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(
          args
            .map((x) =>
              x instanceof Error ? `${x.message} ${x.stack} ${JSON.stringify(x.cause ?? null)}` : typeof x === 'string' ? x : JSON.stringify(x),
            )
            .join(' '),
        );
      });
    }
    a = await makeClinicWithStaff(t.db());
    b = await makeClinicWithStaff(t.db());
    admin = (await staffCookies(a)).admin;
    practitioner = (await staffCookies(a)).own;
    otherAdmin = await sessionCookie({ id: b.admin.id, clinicId: b.clinic.id, role: 'admin' });
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });

  const call = async (handler: Parameters<typeof callRoute>[0], o: Parameters<typeof callRoute>[1]) => {
    const res = await callRoute(handler, o);
    answers.push(res.body);
    return res;
  };
  const setChannel = (body: unknown, cookie = admin) => call(putChannel, { method: 'PUT', path: CHANNEL, body, cookie });
  const test = (body: unknown, cookie = admin) => call(testChannel, { method: 'POST', path: `${CHANNEL}/test`, body, cookie });
  const stored = async (clinicId: number) => (await t.db().select().from(clinics).where(eq(clinics.id, clinicId)))[0]!;

  /** The clinic deletes an appointment of its cast: one LINE job for the patient. */
  async function cancelOne(cast: typeof a, date: string) {
    const appt = await makeAppointment(t.db(), {
      userId: cast.practitioner.id,
      patientId: cast.patient.id,
      appointmentTypeId: cast.type.id,
      date,
      startTime: '10:00',
      endTime: '11:00',
    });
    const res = await callRoute(deleteAppointment, {
      method: 'DELETE',
      path: `/api/clinic/practitioners/${cast.practitioner.id}/appointments/${appt.id}`,
      params: { user_id: String(cast.practitioner.id), calendar_event_id: String(appt.id) },
      cookie: await sessionCookie({ id: cast.admin.id, clinicId: cast.clinic.id, role: 'admin' }),
    });
    expect(res.status).toBe(200);
  }

  it('saves both encrypted (v1, AES-256-GCM) and answers only "set, ends in …4f2a"', async () => {
    const res = await setChannel({ access_token: ` ${TOKEN} `, channel_secret: SECRET });
    expect(res.status).toBe(200);
    expect(res.body.line_channel).toEqual({
      token_set: true,
      token_hint: '…4f2a',
      secret_set: true,
      secret_hint: '…9c1e',
      usable: true,
    });
    const row = await stored(a.clinic.id);
    expect(row.lineChannelTokenEncrypted).toMatch(/^v1:/);
    expect(row.lineChannelSecretEncrypted).toMatch(/^v1:/);
    expect(row.lineChannelTokenEncrypted).not.toContain(TOKEN);
    expect(row.lineChannelTokenEncrypted).not.toBe(row.lineChannelSecretEncrypted);
    expect([row.lineChannelTokenHint, row.lineChannelSecretHint]).toEqual(['4f2a', '9c1e']);
    const [entry] = await t.db().select().from(auditLog).where(eq(auditLog.action, 'clinic.line_channel_set'));
    expect(entry).toMatchObject({ clinicId: a.clinic.id, actorUserId: a.admin.id, details: { replaced: false } });
  });

  it("pushes to the clinic's patients go out with the clinic's token; another clinic's still with the deployment's", async () => {
    await cancelOne(a, '2031-05-07');
    await cancelOne(b, '2031-05-07');
    expect(await deliverDueJobs(t.db(), { handlers: outboxHandlers() })).toEqual({ delivered: 2, retried: 0, failed: 0 });
    const byPatient = Object.fromEntries(line().pushes.map((p) => [p.body.to, p.authorization]));
    expect(byPatient).toEqual({ [a.patient.lineUserId!]: `Bearer ${TOKEN}`, [b.patient.lineUserId!]: 'Bearer test-channel-token' });
  });

  it("'Send test message' checks the token with LINE (the bot's name) and pushes a test message when given a LINE user", async () => {
    line().addChannel(TOKEN, 'Harbour Clinic Bot');
    expect((await test({})).body).toEqual({ ok: true, bot_name: 'Harbour Clinic Bot', pushed: false });
    expect(line().botInfoRequests).toEqual([expect.objectContaining({ authorization: `Bearer ${TOKEN}`, status: 200 })]);
    expect(line().pushes).toHaveLength(0);

    const pushed = await test({ line_user_id: LINE_USER });
    expect(pushed).toEqual({ status: 200, body: { ok: true, bot_name: 'Harbour Clinic Bot', pushed: true } });
    expect(line().pushes).toEqual([
      expect.objectContaining({
        authorization: `Bearer ${TOKEN}`,
        retryKey: expect.any(String),
        body: { to: LINE_USER, messages: [{ type: 'text', text: expect.stringContaining('Test Clinic') }] },
      }),
    ]);
    const tested = await t.db().select().from(auditLog).where(eq(auditLog.action, 'clinic.line_channel_tested'));
    expect(tested.map((e) => e.details)).toEqual([
      { ok: true, pushed: false },
      { ok: true, pushed: true },
    ]);
  });

  it("a token LINE does not know is LINE's verdict (ok false, token_rejected); no channel of its own is 409", async () => {
    expect((await setChannel({ access_token: WRONG_TOKEN, channel_secret: SECRET })).status).toBe(200);
    const res = await test({ line_user_id: LINE_USER });
    expect(res).toEqual({
      status: 200,
      body: { ok: false, pushed: false, reason: 'token_rejected', message: 'LINE refused the access token (401)' },
    });
    expect(line().pushes).toHaveLength(0);
    expect(await test({}, otherAdmin)).toEqual({
      status: 409,
      body: { error: 'conflict', message: expect.stringMatching(/no LINE channel of its own/) },
    });
    expect((await setChannel({ access_token: TOKEN, channel_secret: SECRET })).body.line_channel.token_hint).toBe('…4f2a');
  });

  it('without APP_ENCRYPTION_KEY saving is refused (503 not_configured) and the saved channel is unusable, its pushes failing with the reason', async () => {
    const key = process.env.APP_ENCRYPTION_KEY;
    delete process.env.APP_ENCRYPTION_KEY;
    try {
      const before = await dbFingerprint(t.db());
      const refused = await setChannel({ access_token: WRONG_TOKEN, channel_secret: SECRET });
      expect(refused).toEqual({ status: 503, body: { error: 'not_configured', message: expect.stringMatching(/APP_ENCRYPTION_KEY is not set/) } });
      expect(await dbFingerprint(t.db())).toEqual(before);

      const settings = await call(getSettings, { path: '/api/clinic/admin/settings', cookie: admin });
      expect(settings.body).toMatchObject({ encryption_configured: false, line_channel: { token_set: true, token_hint: '…4f2a', usable: false } });
      expect((await test({})).body).toMatchObject({ error: 'not_configured', message: expect.stringMatching(/APP_ENCRYPTION_KEY/) });

      await cancelOne(a, '2031-05-08');
      expect(await deliverDueJobs(t.db(), { handlers: outboxHandlers() })).toEqual({ delivered: 0, retried: 0, failed: 1 });
      const [job] = await t.db().select().from(outboxJobs).where(eq(outboxJobs.status, 'failed'));
      expect(job!.lastError).toMatch(/clinic's own LINE channel cannot be used: APP_ENCRYPTION_KEY is not set/);
      expect(line().pushes).toHaveLength(0);

      // Another key than the one it was saved with: as unusable, never another channel's bot.
      process.env.APP_ENCRYPTION_KEY = Buffer.alloc(32, 9).toString('base64');
      await cancelOne(a, '2031-05-09');
      expect(await deliverDueJobs(t.db(), { handlers: outboxHandlers() })).toEqual({ delivered: 0, retried: 0, failed: 1 });
      const failed = await t.db().select().from(outboxJobs).where(eq(outboxJobs.status, 'failed'));
      expect(failed.map((j) => j.lastError)).toContainEqual(expect.stringMatching(/does not decrypt with APP_ENCRYPTION_KEY/));
      expect(line().pushes).toHaveLength(0);
    } finally {
      process.env.APP_ENCRYPTION_KEY = key;
    }
  });

  it('removing it sends the clinic back to the deployment channel; practitioners and other clinics cannot touch it', async () => {
    const before = await dbFingerprint(t.db());
    expect((await setChannel({ access_token: WRONG_TOKEN, channel_secret: SECRET }, practitioner)).status).toBe(403);
    expect((await call(removeChannel, { method: 'DELETE', path: CHANNEL, cookie: practitioner })).status).toBe(403);
    expect((await test({}, practitioner)).status).toBe(403);
    expect(await dbFingerprint(t.db())).toEqual(before);
    expect((await call(getSettings, { path: '/api/clinic/admin/settings', cookie: otherAdmin })).body.line_channel.token_set).toBe(false);

    const removed = await call(removeChannel, { method: 'DELETE', path: CHANNEL, cookie: admin });
    expect(removed.body.line_channel).toEqual({ token_set: false, token_hint: null, secret_set: false, secret_hint: null, usable: false });
    expect(await stored(a.clinic.id)).toMatchObject({
      lineChannelTokenEncrypted: null,
      lineChannelSecretEncrypted: null,
      lineChannelTokenHint: null,
    });
    await cancelOne(a, '2031-05-12');
    await deliverDueJobs(t.db(), { handlers: outboxHandlers() });
    expect(line().pushes.map((p) => p.authorization)).toEqual(['Bearer test-channel-token']);
  });

  it('the token and secret appear in no answer of any admin route, no audit entry, no outbox row and no console output', async () => {
    // Set again, then go through every admin route once more.
    await setChannel({ access_token: TOKEN, channel_secret: SECRET });
    await call(getSettings, { path: '/api/clinic/admin/settings', cookie: admin });
    const { version } = (await call(getSettings, { path: '/api/clinic/admin/settings', cookie: admin })).body;
    await call(patchSettings, { method: 'PATCH', path: '/api/clinic/admin/settings', body: { version, name: 'Harbour Clinic' }, cookie: admin });
    await call(patchSettings, { method: 'PATCH', path: '/api/clinic/admin/settings', body: { version, name: 'Stale' }, cookie: admin });
    await call(listTypes, { path: '/api/clinic/admin/appointment-types', cookie: admin });
    const created = await call(createType, {
      method: 'POST',
      path: '/api/clinic/admin/appointment-types',
      body: { name: 'Secret check', duration_minutes: 30 },
      cookie: admin,
      headers: { 'Idempotency-Key': 'secret-check' },
    });
    const id = String(created.body.id);
    const params = { appointment_type_id: id };
    await call(patchType, {
      method: 'PATCH',
      path: `/api/clinic/admin/appointment-types/${id}`,
      params,
      body: { version: 1, color: '#112233' },
      cookie: admin,
    });
    await call(archiveType, {
      method: 'POST',
      path: `/api/clinic/admin/appointment-types/${id}/archive`,
      params,
      body: { version: 2 },
      cookie: admin,
    });
    await call(restoreType, {
      method: 'POST',
      path: `/api/clinic/admin/appointment-types/${id}/restore`,
      params,
      body: { version: 3 },
      cookie: admin,
    });
    line().addChannel(TOKEN);
    await test({ line_user_id: LINE_USER });
    // Refusals too: a bad body, a bad token format.
    await setChannel({ access_token: `${TOKEN}\u0000`, channel_secret: SECRET });
    await setChannel({ access_token: TOKEN, channel_secret: `${SECRET} x` });

    expect(answers.length).toBeGreaterThan(20);
    const tables = await Promise.all([
      t.db().select().from(auditLog),
      t.db().select().from(outboxJobs),
      t.db().select().from(outboxAttempts),
      t.db().select().from(idempotencyKeys),
    ]);
    for (const [what, text] of [
      ['answers', JSON.stringify(answers)],
      ['tables', JSON.stringify(tables)],
      ['console', logged.join('\n')],
    ] as const) {
      expect(text.includes(TOKEN), `${what}: token`).toBe(false);
      expect(text.includes(SECRET), `${what}: secret`).toBe(false);
    }
    expect(JSON.stringify(answers)).toContain('…4f2a');
  });
});
