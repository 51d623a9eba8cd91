import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { CalendarPage } from './pages/calendar-page';
import { signInAs } from './support/auth';
import { clinicToday, weekdayAfter, withDb } from './support/db';

// A clinic admin reads a morning of the clinic's activity: the agent books, the practitioner blocks
// out an hour, the admin cancels the booking. The clinic is made by `npm run clinic:create` (its
// first entry, by the system); each project (phone, desktop) makes one of its own.

interface Cast {
  slug: string;
  adminEmail: string;
  practitionerEmail: string;
  practitionerId: number;
  patientId: number;
  typeId: number;
  agentKey: string;
}

/** `npm run clinic:create` against this run's database, as an operator would. */
function clinicCreate(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/clinic-create.ts', ...args], {
      env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL, DATABASE_DRIVER: 'postgres' },
      stdio: 'pipe',
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

async function makeClinic(project: string): Promise<Cast> {
  const tag = `${project}-${Date.now().toString(36)}`;
  const slug = `sunrise-${tag}`;
  const adminEmail = `sunrise-admin-${tag}@clinic.test`;
  const made = await clinicCreate([
    '--name',
    '日出物理治療所',
    '--slug',
    slug,
    '--timezone',
    'Asia/Taipei',
    '--admin-email',
    adminEmail,
    '--admin-name',
    'Amy Admin',
  ]);
  expect(made.code, made.output).toBe(0);
  const agentKey = `cbk_e2e_${randomBytes(24).toString('base64url')}`;
  const practitionerEmail = `sunrise-dr-${tag}@clinic.test`;
  return withDb(async (db) => {
    const clinicId = (await db.query<{ id: number }>(`SELECT id FROM clinics WHERE slug = $1`, [slug])).rows[0]!.id;
    const dr = (
      await db.query<{ id: number }>(`INSERT INTO users (clinic_id, email, name) VALUES ($1, $2, '吳醫師') RETURNING id`, [
        clinicId,
        practitionerEmail,
      ])
    ).rows[0]!;
    for (const dow of [0, 1, 2, 3, 4, 5, 6]) {
      await db.query(`INSERT INTO practitioner_availability (user_id, day_of_week, start_time, end_time) VALUES ($1, $2, '09:00', '18:00')`, [
        dr.id,
        dow,
      ]);
    }
    const patient = (
      await db.query<{ id: number }>(`INSERT INTO patients (clinic_id, full_name, line_user_id) VALUES ($1, '林小姐', $2) RETURNING id`, [
        clinicId,
        `U${randomBytes(16).toString('hex')}`,
      ])
    ).rows[0]!;
    const type = (
      await db.query<{ id: number }>(`INSERT INTO appointment_types (clinic_id, name, duration_minutes) VALUES ($1, '初診評估', 60) RETURNING id`, [
        clinicId,
      ])
    ).rows[0]!;
    await db.query(`INSERT INTO agent_keys (clinic_id, name, key_hash, key_prefix) VALUES ($1, 'LINE 助理', $2, $3)`, [
      clinicId,
      createHash('sha256').update(agentKey).digest('hex'),
      agentKey.slice(0, 12),
    ]);
    return { slug, adminEmail, practitionerEmail, practitionerId: dr.id, patientId: patient.id, typeId: type.id, agentKey };
  });
}

/** From the top (a full-page capture of a scrolled page draws the sticky bar mid-page), once Noto Sans TC has loaded. */
async function ready(page: Page) {
  // The font's @font-face rules arrive in a stylesheet of their own after the page (components/shell/web-fonts.tsx).
  await page.waitForFunction(() => [...document.fonts].some((f) => f.family.replace(/"/g, '') === 'Noto Sans TC'));
  await page.evaluate(async () => {
    window.scrollTo(0, 0);
    await document.fonts.load('16px "Noto Sans TC"', '診所活動紀錄');
    await document.fonts.ready;
  });
}

/** A screenshot of the page as it is, at the phone's 390×844, in English and in zh-TW. */
async function screenshots(page: Page, name: string) {
  if (test.info().project.name !== 'phone') return;
  await ready(page);
  await page.screenshot({ path: test.info().outputPath(`${name}-en.png`), fullPage: true });
  await page.context().addCookies([{ name: 'locale', value: 'zh-TW', url: page.url() }]);
  await page.reload();
  await expect(page.getByRole('form', { name: '篩選' })).toBeVisible();
  await ready(page);
  await page.screenshot({ path: test.info().outputPath(`${name}-zh-TW.png`), fullPage: true });
  await page.context().addCookies([{ name: 'locale', value: 'en', url: page.url() }]);
  await page.reload();
}

const entries = (page: Page) => page.getByRole('region').getByRole('listitem');
const entry = (page: Page, text: string | RegExp) => entries(page).filter({ hasText: text });
const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test.describe('Clinic activity', () => {
  test.describe.configure({ mode: 'serial' });
  let cast: Cast;
  let agent: APIRequestContext;
  // A Wednesday of its own per project, far enough ahead to be bookable.
  const day = () => weekdayAfter(3, test.info().project.name === 'phone' ? 14 : 21);

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

  test('a morning of activity is listed with who did it, and its links open the right day', async ({ page, hasTouch }) => {
    // The agent books, the practitioner blocks out an hour, the admin cancels the booking.
    const booked = await agent.post('/api/clinic/appointments', {
      data: { practitioner_id: cast.practitionerId, patient_id: cast.patientId, appointment_type_id: cast.typeId, date: day(), start_time: '09:00' },
    });
    expect(booked.status(), await booked.text()).toBe(201);
    const { calendar_event_id: bookingId } = await booked.json();
    await signInAs(page.request, cast.practitionerEmail);
    const blocked = await page.request.post(`/api/clinic/practitioners/${cast.practitionerId}/availability/exceptions`, {
      data: { date: day(), start_time: '14:00', end_time: '15:00' },
    });
    expect(blocked.status(), await blocked.text()).toBe(201);
    await signInAs(page.request, cast.adminEmail);
    expect((await page.request.delete(`/api/clinic/practitioners/${cast.practitionerId}/appointments/${bookingId}`)).status()).toBe(200);

    await page.goto('/settings/clinic/activity');
    await expect(page.getByRole('navigation', { name: 'Clinic administration' }).getByRole('link', { name: 'Activity' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    await expect(entries(page)).toHaveCount(4);
    const rows = await entries(page).allInnerTexts();
    const flat = rows.map((r) => r.replace(/\s+/g, ' ').trim());
    expect(flat[0]).toMatch(/^\d\d:\d\d Amy Admin Canceled 林小姐's 初診評估 with 吳醫師, .+, 09:00–10:00/);
    expect(flat[1]).toMatch(/^\d\d:\d\d 吳醫師 Blocked out 吳醫師's time: .+, 14:00–15:00/);
    expect(flat[2]).toMatch(/^\d\d:\d\d LINE 助理 Booked 林小姐 with 吳醫師 for 初診評估, .+, 09:00–10:00/);
    expect(flat[3]).toMatch(/^\d\d:\d\d System Created the clinic “日出物理治療所” with Amy Admin as its admin/);
    // Today's entries under today's date, on the clinic's clock.
    const today = new Intl.DateTimeFormat('en-US', { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(`${clinicToday()}T00:00:00Z`));
    await expect(page.getByRole('heading', { name: today })).toBeVisible();
    expect(await noSidewaysScroll(page)).toBeLessThanOrEqual(0);
    await screenshots(page, 'activity');

    // The exception's entry opens its day in the calendar, where the hour is blocked out.
    await entry(page, 'Blocked out')
      .getByRole('link', { name: /^Blocked out 吳醫師's time/ })
      .click();
    await expect(page).toHaveURL(new RegExp(`/calendar\\?practitioner=${cast.practitionerId}&date=${day()}$`));
    const calendar = new CalendarPage(page, hasTouch);
    await calendar.waitForDay(day());
    await expect(calendar.event(/^Unavailable/)).toBeVisible();

    // So does the booking's.
    await page.goBack();
    await entry(page, 'Booked')
      .getByRole('link', { name: /^Booked 林小姐/ })
      .click();
    await expect(page).toHaveURL(new RegExp(`/calendar\\?practitioner=${cast.practitionerId}&date=${day()}$`));
    await calendar.waitForDay(day());
  });

  test('filters by kind, patient, practitioner and dates', async ({ page }) => {
    await signInAs(page.request, cast.adminEmail);
    await page.goto('/settings/clinic/activity');
    const filters = page.getByRole('form', { name: 'Filters' });

    await filters.getByLabel('Kind').selectOption({ label: 'Availability' });
    await filters.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL(/kind=availability/);
    await expect(entries(page)).toHaveCount(1);
    await expect(entries(page).first()).toContainText("Blocked out 吳醫師's time");

    await filters.getByRole('link', { name: 'Clear filters' }).click();
    await expect(entries(page)).toHaveCount(4);

    // An entry's patient narrows the log to them.
    await entry(page, 'Booked').getByRole('link', { name: 'Only 林小姐' }).click();
    await expect(page).toHaveURL(new RegExp(`patient_id=${cast.patientId}`));
    await expect(page.getByText('Patient: 林小姐')).toBeVisible();
    await expect(entries(page)).toHaveCount(2);
    await expect(entries(page).nth(0)).toContainText('Canceled');
    await expect(entries(page).nth(1)).toContainText('Booked');
    await page.getByRole('link', { name: 'Show all patients' }).click();
    await expect(entries(page)).toHaveCount(4);

    // The practitioner's entries, and a range of clinic dates.
    await filters.getByLabel('Practitioner').selectOption({ label: '吳醫師' });
    await filters.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL(new RegExp(`practitioner_id=${cast.practitionerId}`));
    await expect(entries(page)).toHaveCount(3);
    const yesterday = new Date(Date.parse(`${clinicToday()}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await filters.getByLabel('From').fill(yesterday);
    await filters.getByLabel('To').fill(yesterday);
    await filters.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByText('Nothing matches these filters.')).toBeVisible();
    await expect(entries(page)).toHaveCount(0);
    await filters.getByLabel('To').fill(clinicToday());
    await filters.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL(new RegExp(`to=${clinicToday()}`));
    await expect(entries(page)).toHaveCount(3);
  });

  test('Load more brings the next page of older entries', async ({ page }) => {
    // 55 older changes of the weekly hours, two days ago.
    await withDb((db) =>
      db.query(
        `INSERT INTO audit_log (clinic_id, actor_type, actor_user_id, action, entity_type, entity_id, details, practitioner_id, created_at)
         SELECT u.clinic_id, 'user', a.id, 'weekly_schedule.replaced', 'practitioner', u.id::text, '{}', u.id, now() - interval '2 days' - n * interval '1 minute'
           FROM users u JOIN users a ON a.clinic_id = u.clinic_id AND a.email = $2, generate_series(1, 55) n
          WHERE u.email = $1`,
        [cast.practitionerEmail, cast.adminEmail],
      ),
    );
    await signInAs(page.request, cast.adminEmail);
    await page.goto('/settings/clinic/activity');
    await expect(entries(page)).toHaveCount(50);
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect(entries(page)).toHaveCount(59);
    await expect(page.getByRole('button', { name: 'Load more' })).toHaveCount(0);
    await expect(entries(page).last()).toContainText("Changed 吳醫師's weekly working hours");
    await expect(entry(page, "Changed 吳醫師's weekly working hours").first().getByRole('link')).toHaveAttribute(
      'href',
      `/settings/availability?practitioner=${cast.practitionerId}`,
    );
  });

  test('practitioners have no Activity page', async ({ page }) => {
    await signInAs(page.request, cast.practitionerEmail);
    expect((await page.goto('/settings/clinic/activity'))?.status()).toBe(404);
    expect((await page.request.get('/api/clinic/admin/activity')).status()).toBe(403);
  });
});
