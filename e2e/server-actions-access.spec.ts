import { expect, test, type APIRequestContext } from '@playwright/test';
import { signInAs } from './support/auth';
import { clearDay, insertAppointment, insertException, weekdayAfter, withDb } from './support/db';
import { dbFingerprint } from './support/db-fingerprint';
import { actionResult, findServerAction, postServerAction } from './support/server-actions';

// Server actions are public POST endpoints of `next start`: each one is posted here as a browser
// would, without a session and as a colleague, and must answer its own error state and change
// nothing. Runs in the desktop project only (playwright.config.ts).

const CHEN = 'chen@clinic.test';
const LIN = 'lin@clinic.test'; // a practitioner, not an admin: Dr. Chen's colleague
const ADMIN = 'admin@clinic.test';
const OUTSIDER = 'other@clinic.test'; // a member of another clinic

interface Fixture {
  chenId: number;
  exceptionId: number;
  appointmentId: number;
  agentKeyId: number;
  jobId: number;
  date: string;
  patientId: number;
}

/** Every data-changing server action with arguments aimed at Dr. Chen's data or the clinic's settings. */
const ACTIONS: Array<{ name: string; args: (f: Fixture) => unknown[] }> = [
  { name: 'createExceptionAction', args: (f) => [f.chenId, { date: f.date, start_time: '15:00', end_time: '16:00' }, true] },
  { name: 'updateExceptionAction', args: (f) => [f.chenId, f.exceptionId, { end_time: '13:30' }, true] },
  { name: 'deleteExceptionAction', args: (f) => [f.chenId, f.exceptionId] },
  { name: 'clearExceptionsAction', args: (f) => [f.chenId, { from: f.date, to: f.date }] },
  { name: 'cancelAppointmentAction', args: (f) => [f.chenId, f.appointmentId] },
  // Moving an appointment and marking attendance (app/(app)/calendar/move-actions.ts); the offered starts are a read, refused alike.
  { name: 'rescheduleAppointmentAction', args: (f) => [f.appointmentId, { date: f.date, start_time: '11:00' }] },
  { name: 'offeredMoveStartsAction', args: (f) => [f.appointmentId, f.chenId, f.date] },
  { name: 'markAttendanceAction', args: (f) => [f.chenId, f.appointmentId, 'no_show'] },
  { name: 'saveWeeklyScheduleAction', args: (f) => [f.chenId, { monday: [{ start_time: '08:00', end_time: '09:00' }] }, true] },
  { name: 'copyWeeklyScheduleAction', args: (f) => [f.chenId, { from_practitioner_id: f.chenId + 1 }, true] },
  { name: 'repeatExceptionsWeeklyAction', args: (f) => [f.chenId, { weekday: 'thursday', start_time: '12:00', end_time: '13:00' }, true] },
  { name: 'createAgentKeyAction', args: () => ['sneaky key'] },
  { name: 'revokeAgentKeyAction', args: (f) => [f.agentKeyId] },
  { name: 'retryDeliveryAction', args: (f) => [f.jobId] },
  { name: 'disconnectGoogleAction', args: (f) => [f.chenId] },
  { name: 'setCountBusyAction', args: (f) => [f.chenId, true] },
  // Members and invitations: refused before any id is looked up, too.
  { name: 'inviteMemberAction', args: () => [{ email: 'sneaky-invitee@clinic.test', name: 'Sneaky', role: 'admin', is_practitioner: false }] },
  { name: 'withdrawInvitationAction', args: () => [1] },
  { name: 'updateMemberAction', args: (f) => [f.chenId, { role: 'admin' }] },
  { name: 'deactivateMemberAction', args: (f) => [f.chenId, { future_appointments: 'cancel' }] },
  { name: 'reactivateMemberAction', args: (f) => [f.chenId] },
  // Clinic settings and appointment types: refused before any id is looked up, too.
  { name: 'createAppointmentTypeAction', args: () => [{ name: 'Sneaky type', duration_minutes: 30 }] },
  { name: 'updateAppointmentTypeAction', args: () => [1, { version: 1, name: 'Sneaky' }] },
  { name: 'archiveAppointmentTypeAction', args: () => [1, { version: 1 }] },
  { name: 'restoreAppointmentTypeAction', args: () => [1, { version: 1 }] },
  { name: 'updateClinicSettingsAction', args: () => [{ version: 1, name: 'Sneaky clinic' }, false] },
  {
    name: 'setLineChannelAction',
    args: () => [{ access_token: 'sneaky-access-token-0123456789', channel_secret: '0123456789abcdef0123456789abcdef' }],
  },
  { name: 'removeLineChannelAction', args: () => [] },
  { name: 'testLineChannelAction', args: () => [{}] },
  // The clinic calendar (admins) and a practitioner's opt-out of it (themself or an admin).
  { name: 'addClinicDayAction', args: (f) => [{ date: f.date, kind: 'closed', name: 'Sneaky holiday' }, true] },
  { name: 'updateClinicDayAction', args: (f) => [f.date, { kind: 'closed', name: 'Sneaky holiday' }, true] },
  { name: 'removeClinicDayAction', args: (f) => [f.date] },
  { name: 'importClinicCalendarAction', args: () => [{ csv: '西元日期,星期,是否放假,備註\n20270101,五,2,Sneaky\n' }, false] },
  { name: 'setObservesClinicCalendarAction', args: (f) => [f.chenId, false] },
  // Booking from the calendar (the practitioner or an admin only): refused before any id is looked up.
  { name: 'createBookingPatientAction', args: (f) => [f.chenId, { full_name: 'Sneaky patient', phone_number: '0900-000-000' }] },
  {
    name: 'bookFromCalendarAction',
    args: (f) => [
      { practitioner_id: f.chenId, patient_id: 1, appointment_type_id: 1, date: f.date, start_time: '16:00' },
      true,
      'sneaky-booking-key-1',
    ],
  },
];

/**
 * Actions any member of the clinic may use (the service's rule: a colleague may correct a patient's
 * phone number): refused without a session, and not found for a member of another clinic.
 */
const MEMBER_ACTIONS: Array<{ name: string; args: (f: Fixture) => unknown[] }> = [
  { name: 'updatePatientAction', args: (f) => [f.patientId, { phone_number: '0900-000-000' }] },
];

test.describe('server actions refuse callers who may not use them', () => {
  let f: Fixture;
  let anonymous: APIRequestContext;
  let colleague: APIRequestContext;
  let admin: APIRequestContext;
  let outsider: APIRequestContext;
  let baseURL: string;

  test.beforeAll(async ({ playwright }, testInfo) => {
    baseURL = testInfo.project.use.baseURL!;
    // A Thursday ten weeks out belongs to this spec.
    const date = weekdayAfter(4, 70);
    await clearDay(CHEN, date);
    const exceptionId = await insertException({ practitionerEmail: CHEN, date, start: '12:00', end: '13:00' });
    const appointmentId = await insertAppointment({ practitionerEmail: CHEN, patient: '陳小姐', date, start: '09:00', end: '10:00' });
    f = await withDb(async (db) => {
      const chen = (await db.query<{ id: number; clinic_id: number }>(`SELECT id, clinic_id FROM users WHERE email = $1`, [CHEN])).rows[0]!;
      const key = (
        await db.query<{ id: number }>(
          `INSERT INTO agent_keys (clinic_id, name, key_hash, key_prefix) VALUES ($1, 'e2e actions', md5(random()::text) || md5(random()::text), 'cbk_e2e') RETURNING id`,
          [chen.clinic_id],
        )
      ).rows[0]!;
      const job = (
        await db.query<{ id: number }>(
          `INSERT INTO outbox_jobs (clinic_id, kind, payload, status, attempts, last_error) VALUES ($1, 'line.push', '{}'::jsonb, 'failed', 4, 'e2e') RETURNING id`,
          [chen.clinic_id],
        )
      ).rows[0]!;
      const patient = (await db.query<{ id: number }>(`SELECT id FROM patients WHERE clinic_id = $1 AND full_name = '陳小姐'`, [chen.clinic_id]))
        .rows[0]!;
      return { chenId: chen.id, exceptionId, appointmentId, agentKeyId: key.id, jobId: Number(job.id), date, patientId: patient.id };
    });
    anonymous = await playwright.request.newContext({ baseURL });
    colleague = await playwright.request.newContext({ baseURL });
    await signInAs(colleague, LIN);
    admin = await playwright.request.newContext({ baseURL });
    await signInAs(admin, ADMIN);
    outsider = await playwright.request.newContext({ baseURL });
    await signInAs(outsider, OUTSIDER);
  });

  test.afterAll(async () => {
    await Promise.all([anonymous?.dispose(), colleague?.dispose(), admin?.dispose(), outsider?.dispose()]);
  });

  for (const action of ACTIONS) {
    for (const [who, code] of [
      ['without a session', 'unauthorized'],
      ['as a colleague', 'forbidden'],
    ] as const) {
      test(`${action.name} ${who} → ${code}, nothing changed`, async () => {
        const ref = findServerAction(action.name);
        const before = await dbFingerprint();
        const res = await postServerAction(who === 'as a colleague' ? colleague : anonymous, baseURL, ref, action.args(f));
        const text = await res.text();
        expect(res.status(), text).toBe(200);
        expect(actionResult(text), text).toMatchObject({ status: 'error', code });
        expect(await dbFingerprint()).toEqual(before);
      });
    }
  }

  for (const action of MEMBER_ACTIONS) {
    for (const [who, code] of [
      ['without a session', 'unauthorized'],
      ["as another clinic's member", 'not_found'],
    ] as const) {
      test(`${action.name} ${who} → ${code}, nothing changed`, async () => {
        const ref = findServerAction(action.name);
        const before = await dbFingerprint();
        const res = await postServerAction(who === 'without a session' ? anonymous : outsider, baseURL, ref, action.args(f));
        const text = await res.text();
        expect(res.status(), text).toBe(200);
        expect(actionResult(text), text).toMatchObject({ status: 'error', code });
        expect(await dbFingerprint()).toEqual(before);
      });
    }
  }

  test('a server action posted from a foreign origin is refused with 403, even with an admin session, and changes nothing', async () => {
    const ref = findServerAction('deleteExceptionAction');
    for (const origin of ['http://evil.example', 'null', `http://localhost:${Number(new URL(baseURL).port) + 7}`]) {
      const before = await dbFingerprint();
      const res = await postServerAction(admin, baseURL, ref, [f.chenId, f.exceptionId], { origin });
      expect(res.status(), origin).toBe(403);
      expect(res.headers()['content-type']).toContain('application/json');
      expect(await res.json()).toEqual({ error: 'forbidden', message: expect.any(String) });
      expect(await dbFingerprint()).toEqual(before);
    }
  });

  test('the same action from the site itself, by the admin, goes through (the harness posts real actions)', async () => {
    const ref = findServerAction('deleteExceptionAction');
    const before = await dbFingerprint();
    const res = await postServerAction(admin, baseURL, ref, [f.chenId, f.exceptionId]);
    const text = await res.text();
    expect(res.status(), text).toBe(200);
    expect(actionResult(text), text).toMatchObject({ status: 'ok', data: { deleted: true } });
    const after = await dbFingerprint();
    expect(after.availability_exceptions).not.toBe(before.availability_exceptions);
  });
});

test.describe('edges of the HTTP surface', () => {
  test("an unknown path under /api answers the contract's JSON 404, whatever the method", async ({ request }) => {
    for (const [method, path] of [
      ['GET', '/api/nothing-here'],
      ['POST', '/api/clinic/nothing'],
      ['DELETE', '/api/clinic/practitioners/1/nothing/2'],
      ['PUT', '/api/v2'],
    ] as const) {
      const res = await request.fetch(path, { method, maxRedirects: 0 });
      expect(res.status(), `${method} ${path}`).toBe(404);
      expect(res.headers()['content-type']).toContain('application/json');
      expect(res.headers()['x-content-type-options']).toBe('nosniff');
      expect(await res.json()).toEqual({ error: 'not_found', message: expect.any(String) });
    }
  });

  test('the catch-all shadows no real route', async ({ request }) => {
    const providers = await request.get('/api/auth/providers');
    expect(providers.status()).toBe(200);
    expect(Object.keys(await providers.json())).toContain('dev');
    expect((await request.get('/api/auth/csrf')).status()).toBe(200);
    expect((await request.get('/api/health')).status()).toBe(200);
    expect((await request.get('/api/openapi.json')).status()).toBe(200);
    // The MCP server and /llms.txt are real routes too: without a key the contract's 401; the page without a session, no sign-in redirect.
    const mcp = await request.post('/api/mcp', { data: { jsonrpc: '2.0', id: 1, method: 'tools/list' } });
    expect(mcp.status()).toBe(401);
    expect(await mcp.json()).toEqual({ error: 'unauthorized', message: expect.any(String) });
    const llms = await request.get('/llms.txt', { maxRedirects: 0 });
    expect(llms.status()).toBe(200);
    expect(llms.headers()['content-type']).toContain('text/markdown');
    expect(await llms.text()).toContain('## MCP server: /api/mcp');
    const unauthorized = await request.get('/api/clinic/practitioners');
    expect(unauthorized.status()).toBe(401);
    expect(await unauthorized.json()).toEqual({ error: 'unauthorized', message: expect.any(String) });
  });

  test('JSON answers and pages carry X-Content-Type-Options: nosniff', async ({ request }) => {
    for (const path of ['/api/health', '/api/clinic/practitioners', '/api/openapi.json', '/api/auth/providers', '/signin', '/llms.txt']) {
      const res = await request.get(path, { maxRedirects: 0 });
      expect(res.headers()['x-content-type-options'], path).toBe('nosniff');
    }
  });
});
