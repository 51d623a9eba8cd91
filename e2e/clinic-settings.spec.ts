import { createHash, randomBytes } from 'node:crypto';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { signInAs } from './support/auth';
import { weekdayAfter, withDb } from './support/db';

// A clinic admin sets the clinic up: appointment types, the slot step the agent's slots follow,
// and the clinic's own LINE channel. Each project (phone, desktop) gets a clinic of its own, so
// nothing here touches the demo clinic other specs read.

const LINE = process.env.E2E_LINE_URL!;
const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6];

interface Cast {
  clinicId: number;
  adminEmail: string;
  practitionerId: number;
  patientId: number;
  patientLineId: string;
  agentKey: string;
}

async function makeClinic(project: string): Promise<Cast> {
  const tag = `${project}-${Date.now().toString(36)}`;
  const agentKey = `cbk_e2e_${randomBytes(24).toString('base64url')}`;
  const patientLineId = `U${randomBytes(16).toString('hex')}`;
  return withDb(async (db) => {
    const clinic = (
      await db.query<{ id: number }>(`INSERT INTO clinics (name, slug, timezone) VALUES ('Harbour Clinic', $1, 'Asia/Taipei') RETURNING id`, [
        `harbour-${tag}`,
      ])
    ).rows[0]!;
    const adminEmail = `harbour-admin-${tag}@clinic.test`;
    await db.query(`INSERT INTO users (clinic_id, email, name, role, is_practitioner) VALUES ($1, $2, 'Harbour Admin', 'admin', false)`, [
      clinic.id,
      adminEmail,
    ]);
    const dr = (
      await db.query<{ id: number }>(`INSERT INTO users (clinic_id, email, name) VALUES ($1, $2, '王醫師') RETURNING id`, [
        clinic.id,
        `harbour-dr-${tag}@clinic.test`,
      ])
    ).rows[0]!;
    for (const dow of ALL_DAYS) {
      await db.query(`INSERT INTO practitioner_availability (user_id, day_of_week, start_time, end_time) VALUES ($1, $2, '09:00', '12:00')`, [
        dr.id,
        dow,
      ]);
    }
    const patient = (
      await db.query<{ id: number }>(`INSERT INTO patients (clinic_id, full_name, line_user_id) VALUES ($1, '林小姐', $2) RETURNING id`, [
        clinic.id,
        patientLineId,
      ])
    ).rows[0]!;
    await db.query(`INSERT INTO agent_keys (clinic_id, name, key_hash, key_prefix) VALUES ($1, 'e2e agent', $2, $3)`, [
      clinic.id,
      createHash('sha256').update(agentKey).digest('hex'),
      agentKey.slice(0, 12),
    ]);
    return { clinicId: clinic.id, adminEmail, practitionerId: dr.id, patientId: patient.id, patientLineId, agentKey };
  });
}

/** A screenshot of the page as it is, at the phone's 390×844, in English and in zh-TW. */
async function screenshots(page: Page, name: string) {
  if (test.info().project.name !== 'phone') return;
  // From the top: a full-page capture of a scrolled page draws the sticky top bar mid-page.
  const top = () =>
    page.evaluate(async () => {
      window.scrollTo(0, 0);
      await document.fonts.ready;
    });
  await top();
  await page.screenshot({ path: test.info().outputPath(`${name}-en.png`), fullPage: true });
  await page.context().addCookies([{ name: 'locale', value: 'zh-TW', url: page.url() }]);
  await page.reload();
  await top();
  await page.screenshot({ path: test.info().outputPath(`${name}-zh-TW.png`), fullPage: true });
  await page.context().addCookies([{ name: 'locale', value: 'en', url: page.url() }]);
  await page.reload();
}

const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test.describe('Clinic settings and appointment types', () => {
  test.describe.configure({ mode: 'serial' });
  let cast: Cast;
  let agent: APIRequestContext;
  const typeIds: Record<string, number> = {};

  test.beforeAll(async ({ playwright }, info) => {
    cast = await makeClinic(info.project.name);
    agent = await playwright.request.newContext({
      baseURL: info.project.use.baseURL,
      extraHTTPHeaders: { authorization: `Bearer ${cast.agentKey}` },
    });
  });
  test.afterAll(async () => {
    await agent?.dispose();
  });

  test('an admin creates two types, edits one, archives one; the agent is offered only the one in use', async ({ page }) => {
    await signInAs(page.request, cast.adminEmail);
    await page.goto('/settings/clinic/types');
    await expect(page.getByRole('navigation', { name: 'Clinic administration' }).getByRole('link', { name: 'Appointment types' })).toHaveAttribute(
      'aria-current',
      'page',
    );

    for (const [name, minutes, color] of [
      ['初診評估', '60', 'Peacock'],
      ['運動治療', '30', 'Sage'],
    ] as const) {
      await page.getByRole('button', { name: 'Add type' }).click();
      const sheet = page.getByRole('dialog', { name: 'New appointment type' });
      await sheet.getByLabel('Name').fill(name);
      await sheet.getByLabel('Duration (minutes)').fill(minutes);
      await sheet.getByRole('radio', { name: color }).check();
      await sheet.getByRole('button', { name: 'Add type' }).click();
      await expect(sheet).toBeHidden();
      await expect(page.getByRole('listitem').filter({ hasText: name })).toContainText(`${minutes} min`);
    }
    const admin = await (await page.request.get('/api/clinic/admin/appointment-types')).json();
    for (const t of admin as Array<{ id: number; name: string; color: string }>) typeIds[t.name] = t.id;
    expect(admin).toEqual([
      expect.objectContaining({ name: '初診評估', duration_minutes: 60, color: '#039be5', version: 1, archived: false }),
      expect.objectContaining({ name: '運動治療', duration_minutes: 30, color: '#33b679', version: 1, archived: false }),
    ]);

    // Edit 初診評估: 45 minutes and 10 minutes' cleaning after; its own booking rules: at most 30 days
    // ahead, two hours' notice (a value out of range is named beside its box first).
    await page.getByRole('button', { name: 'Edit 初診評估' }).click();
    let sheet = page.getByRole('dialog', { name: 'Edit 初診評估' });
    await sheet.getByLabel('Duration (minutes)').fill('45');
    await sheet.getByLabel('Buffer after (minutes)').fill('10');
    await sheet.getByLabel('Booking window (days)').fill('30');
    await sheet.getByLabel('Minimum notice (minutes)').fill('99999');
    await sheet.getByRole('button', { name: 'Save' }).click();
    await expect(sheet.getByText('From 0 to 43200 minutes (30 days), or empty.')).toBeVisible();
    await sheet.getByLabel('Minimum notice (minutes)').fill('120');
    await sheet.getByRole('button', { name: 'Save' }).click();
    await expect(sheet).toBeHidden();
    await expect(page.getByRole('listitem').filter({ hasText: '初診評估' })).toContainText(
      '45 min · buffer 0 min before, 10 min after · books up to 30 days ahead · 120 min notice',
    );
    const edited = (await (await page.request.get('/api/clinic/admin/appointment-types')).json()) as Array<Record<string, unknown>>;
    expect(edited.find((t) => t.name === '初診評估')).toMatchObject({ booking_window_days: 30, min_notice_minutes: 120 });

    // Someone else renames it while this admin edits: the sheet says so and loads their version.
    await page.getByRole('button', { name: 'Edit 初診評估' }).click();
    sheet = page.getByRole('dialog', { name: 'Edit 初診評估' });
    const theirs = await page.request.patch(`/api/clinic/admin/appointment-types/${typeIds['初診評估']}`, { data: { version: 2, name: '初診' } });
    expect(theirs.status()).toBe(200);
    await sheet.getByLabel('Buffer before (minutes)').fill('5');
    await sheet.getByRole('button', { name: 'Save' }).click();
    await expect(sheet.getByRole('alert')).toContainText('Someone else changed this type while you were editing');
    await sheet.getByRole('button', { name: 'Load their version' }).click();
    await expect(sheet.getByLabel('Name')).toHaveValue('初診');
    await sheet.getByLabel('Buffer before (minutes)').fill('5');
    await sheet.getByRole('button', { name: 'Save' }).click();
    await expect(sheet).toBeHidden();
    await expect(page.getByRole('listitem').filter({ hasText: '初診' }).first()).toContainText('buffer 5 min before, 10 min after');
    // Emptied, a rule is the clinic's again.
    await page.getByRole('button', { name: 'Edit 初診' }).click();
    sheet = page.getByRole('dialog', { name: 'Edit 初診' });
    await expect(sheet.getByLabel('Booking window (days)')).toHaveValue('30');
    await sheet.getByLabel('Booking window (days)').fill('');
    await sheet.getByLabel('Minimum notice (minutes)').fill('');
    await sheet.getByRole('button', { name: 'Save' }).click();
    await expect(sheet).toBeHidden();
    await expect(page.getByRole('listitem').filter({ hasText: '初診' }).first()).not.toContainText('days ahead');
    const cleared = (await (await page.request.get('/api/clinic/admin/appointment-types')).json()) as Array<Record<string, unknown>>;
    expect(cleared.find((t) => t.name === '初診')).toMatchObject({ booking_window_days: null, min_notice_minutes: null });

    // Archive 運動治療.
    await page.getByRole('button', { name: 'Archive 運動治療' }).click();
    await page.getByRole('dialog', { name: 'Archive 運動治療?' }).getByRole('button', { name: 'Archive' }).click();
    await expect(page.getByRole('button', { name: 'Restore 運動治療' })).toBeVisible();
    expect(await noSidewaysScroll(page)).toBeLessThanOrEqual(0);

    const offered = (await (await agent.get('/api/clinic/appointment-types')).json()) as Array<{ name: string; duration_minutes: number }>;
    expect(offered.map((t) => [t.name, t.duration_minutes])).toEqual([['初診', 45]]);
    const archivedSlots = await agent.get(
      `/api/clinic/practitioners/${cast.practitionerId}/availability/slots?date=${weekdayAfter(3, 14)}&appointment_type_id=${typeIds['運動治療']}`,
    );
    expect(archivedSlots.status()).toBe(404);

    await screenshots(page, 'appointment-types');
  });

  test("changing the slot step moves the agent's slots on its next request; a new time zone warns first", async ({ page }) => {
    await signInAs(page.request, cast.adminEmail);
    const date = weekdayAfter(3, 14);
    const starts = async () => {
      const res = await agent.get(
        `/api/clinic/practitioners/${cast.practitionerId}/availability/slots?date=${date}&appointment_type_id=${typeIds['初診評估']}`,
      );
      expect(res.status()).toBe(200);
      return ((await res.json()).available_slots as Array<{ start_time: string }>).map((s) => s.start_time);
    };
    // 45 minutes on the 09:00-12:00 grid of its own length.
    expect(await starts()).toEqual(['09:00', '09:45', '10:30', '11:15']);

    await page.goto('/settings/clinic');
    await page.getByLabel('Offer start times every').selectOption('15');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
    expect(await starts()).toEqual(['09:00', '09:15', '09:30', '09:45', '10:00', '10:15', '10:30', '10:45', '11:00', '11:15']);

    // A booked appointment ahead: the new time zone is shown first, with its clock time kept.
    const booked = await agent.post('/api/clinic/appointments', {
      data: { practitioner_id: cast.practitionerId, patient_id: cast.patientId, appointment_type_id: typeIds['初診評估'], date, start_time: '09:30' },
    });
    expect(booked.status()).toBe(201);
    await page.getByLabel('Time zone').selectOption('Asia/Tokyo');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const warning = page.getByRole('dialog', { name: 'Change the time zone to Asia/Tokyo?' });
    await expect(warning).toContainText('1 upcoming appointment keeps its clock time');
    await expect(warning).toContainText(/09:30 stays 09:30 in Asia\/Tokyo/);
    await warning.getByRole('button', { name: 'Change time zone' }).click();
    await expect(warning).toBeHidden();
    await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
    const settings = await (await page.request.get('/api/clinic/admin/settings')).json();
    expect(settings).toMatchObject({ timezone: 'Asia/Tokyo', slot_step_minutes: 15 });
  });

  test("the clinic's LINE channel: saved encrypted, shown only by its last characters, checked with a test message, used for its patients", async ({
    page,
  }) => {
    const token = `${randomBytes(90).toString('base64url')}4f2a`;
    const secret = `${randomBytes(14).toString('hex')}9c1e`;
    const admin = `U${randomBytes(16).toString('hex')}`;
    await page.request.post(`${LINE}/__control`, { data: { addChannel: { token, displayName: 'Harbour Bot' } } });
    await signInAs(page.request, cast.adminEmail);
    await page.goto('/settings/clinic');
    const section = page.getByRole('region', { name: 'LINE channel' });
    await expect(section).toContainText('Not set: messages go out through the shared channel.');

    await section.getByRole('button', { name: 'Set up LINE channel' }).click();
    const sheet = page.getByRole('dialog', { name: 'LINE channel credentials' });
    await sheet.getByLabel('Channel access token').fill(token);
    await sheet.getByLabel('Channel secret').fill(secret);
    await sheet.getByRole('button', { name: 'Save channel' }).click();
    await expect(sheet).toBeHidden();
    await expect(section).toContainText('Set, ends in …4f2a');
    await expect(section).toContainText('Set, ends in …9c1e');

    await section.getByRole('button', { name: 'Send test message' }).click();
    const test_ = page.getByRole('dialog', { name: 'Send a test message' });
    await test_.getByLabel('LINE user ID (optional)').fill(admin);
    await test_.getByRole('button', { name: 'Send' }).click();
    await expect(test_.getByRole('status')).toHaveText('LINE accepted the access token of Harbour Bot. The test message was sent.');
    const record = await (await page.request.get(`${LINE}/__pushes`)).json();
    expect(record.pushes.filter((p: { body: { to: string } }) => p.body.to === admin)).toEqual([
      expect.objectContaining({ authorization: `Bearer ${token}`, status: 200 }),
    ]);
    await test_.getByRole('button', { name: 'Close' }).click();

    // The clinic's patients are messaged with its token: the clinic deletes an appointment.
    const date = weekdayAfter(4, 21);
    const booked = await agent.post('/api/clinic/appointments', {
      data: { practitioner_id: cast.practitionerId, patient_id: cast.patientId, appointment_type_id: typeIds['初診評估'], date, start_time: '10:00' },
    });
    expect(booked.status()).toBe(201);
    const eventId = (await booked.json()).calendar_event_id;
    expect((await page.request.delete(`/api/clinic/practitioners/${cast.practitionerId}/appointments/${eventId}`)).status()).toBe(200);
    await expect
      .poll(async () =>
        ((await (await page.request.get(`${LINE}/__pushes`)).json()).pushes as Array<{ body: { to: string }; authorization: string }>)
          .filter((p) => p.body.to === cast.patientLineId)
          .map((p) => p.authorization),
      )
      .toEqual([`Bearer ${token}`]);

    // Never sent back: not in the page's HTML, not in the settings answer.
    for (const path of ['/settings/clinic', '/api/clinic/admin/settings']) {
      const text = await (await page.request.get(path)).text();
      expect(text, path).toContain('4f2a');
      expect(text.includes(token), `${path}: token`).toBe(false);
      expect(text.includes(secret), `${path}: secret`).toBe(false);
    }
    expect(await noSidewaysScroll(page)).toBeLessThanOrEqual(0);
    await screenshots(page, 'clinic-settings');
  });
});

test('practitioners have no clinic settings or appointment types pages', async ({ page }) => {
  await signInAs(page.request, 'chen@clinic.test');
  expect((await page.goto('/settings/clinic'))?.status()).toBe(404);
  expect((await page.goto('/settings/clinic/types'))?.status()).toBe(404);
  expect((await page.request.get('/api/clinic/admin/settings')).status()).toBe(403);
});
