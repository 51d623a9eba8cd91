import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { AppShell } from './pages/app-shell';
import { AvailabilitySettingsPage } from './pages/availability-settings-page';
import { SignInPage } from './pages/sign-in-page';
import { signInAs } from './support/auth';
import { weekdayAfter, withDb } from './support/db';

// A clinic admin runs the clinic's members: invites a practitioner, who joins by signing in with
// Google (the fake issuer of test/fakes/google-oidc.ts) and sets their hours; deactivates a
// practitioner who has a booked patient, cancelling the booking with the patient's LINE message.
// Each project (phone, desktop) gets a clinic of its own.

const GOOGLE = process.env.E2E_GOOGLE_URL!;
const LINE = process.env.E2E_LINE_URL!;

interface Cast {
  tag: string;
  adminEmail: string;
  leaving: { id: number; name: string };
  appointmentId: number;
  patientLineId: string;
}

async function makeClinic(project: string): Promise<Cast> {
  const tag = `${project}-${Date.now().toString(36)}`;
  const patientLineId = `U${randomBytes(16).toString('hex')}`;
  const date = weekdayAfter(3, 14);
  return withDb(async (db) => {
    const one = async <T>(text: string, values: unknown[]) => (await db.query(text, values)).rows[0] as T;
    const clinic = await one<{ id: number }>(
      `INSERT INTO clinics (name, slug, timezone) VALUES ('Riverside Clinic', $1, 'Asia/Taipei') RETURNING id`,
      [`riverside-${tag}`],
    );
    const adminEmail = `riverside-admin-${tag}@clinic.test`;
    await db.query(`INSERT INTO users (clinic_id, email, name, role, is_practitioner) VALUES ($1, $2, 'Riverside Admin', 'admin', false)`, [
      clinic.id,
      adminEmail,
    ]);
    const leaving = await one<{ id: number; name: string }>(
      `INSERT INTO users (clinic_id, email, name) VALUES ($1, $2, '張醫師') RETURNING id, name`,
      [clinic.id, `riverside-leaving-${tag}@clinic.test`],
    );
    const patient = await one<{ id: number }>(`INSERT INTO patients (clinic_id, full_name, line_user_id) VALUES ($1, '黃小姐', $2) RETURNING id`, [
      clinic.id,
      patientLineId,
    ]);
    const type = await one<{ id: number }>(`INSERT INTO appointment_types (clinic_id, name, duration_minutes) VALUES ($1, '複診', 30) RETURNING id`, [
      clinic.id,
    ]);
    const event = await one<{ id: number }>(
      `INSERT INTO calendar_events (user_id, event_type, date, start_time, end_time) VALUES ($1, 'appointment', $2, '10:00', '10:30') RETURNING id`,
      [leaving.id, date],
    );
    await db.query(`INSERT INTO appointments (calendar_event_id, patient_id, appointment_type_id, status) VALUES ($1, $2, $3, 'confirmed')`, [
      event.id,
      patient.id,
      type.id,
    ]);
    return { tag, adminEmail, leaving, appointmentId: event.id, patientLineId };
  });
}

/** A screenshot of the page as it is, at the phone's 390×844, in English and in zh-TW. */
async function screenshots(page: Page, name: string) {
  if (test.info().project.name !== 'phone') return;
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: test.info().outputPath(`${name}-en.png`), fullPage: true });
  await page.context().addCookies([{ name: 'locale', value: 'zh-TW', url: page.url() }]);
  await page.reload();
  await expect(page.getByRole('heading', { name: '成員', exact: true })).toBeVisible();
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: test.info().outputPath(`${name}-zh-TW.png`), fullPage: true });
  await page.context().addCookies([{ name: 'locale', value: 'en', url: page.url() }]);
  await page.reload();
}

const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

async function openMembers(page: Page) {
  await page.goto('/settings/clinic/members');
  await expect(page.getByRole('list', { name: 'Members' })).toBeVisible();
}

test.describe('Clinic members', () => {
  test.describe.configure({ mode: 'serial' });
  let cast: Cast;

  test.beforeAll(async ({}, info) => {
    cast = await makeClinic(info.project.name);
  });

  test('an admin invites a practitioner, who signs in with Google, lands in the app as a member and sets their hours', async ({ page }) => {
    test.setTimeout(90_000);
    const email = `wu-${cast.tag}@gmail.test`;
    const name = '吳醫師';
    await signInAs(page.request, cast.adminEmail);
    await openMembers(page);
    await expect(page.getByRole('list', { name: 'Members' }).getByRole('listitem')).toHaveCount(2);

    await page.getByRole('button', { name: 'Invite' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite a member' });
    await dialog.getByLabel('Google account email').fill(email);
    await dialog.getByLabel('Name').fill(name);
    await expect(dialog.getByLabel('Role')).toHaveValue('practitioner');
    await dialog.getByRole('button', { name: 'Invite' }).click();
    await expect(dialog).toBeHidden();
    const pending = page.getByRole('list', { name: 'Pending invitations' }).getByRole('listitem').filter({ hasText: name });
    await expect(pending).toContainText(email);
    await expect(pending).toContainText('Invited');
    expect(await noSidewaysScroll(page)).toBeLessThanOrEqual(0);
    await screenshots(page, 'members');

    // Inviting the same email again is refused beside the field.
    await page.getByRole('button', { name: 'Invite' }).click();
    await dialog.getByLabel('Google account email').fill(email.toUpperCase());
    await dialog.getByLabel('Name').fill('Again');
    await dialog.getByRole('button', { name: 'Invite' }).click();
    await expect(dialog.getByRole('alert')).toHaveText('This email has been invited already.');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    // The invited person, in a browser of their own: Google sign-in with that email.
    await page.context().clearCookies();
    const chosen = await fetch(`${GOOGLE}/__control`, { method: 'POST', body: JSON.stringify({ reset: true, email }) });
    expect(chosen.ok).toBe(true);
    await new SignInPage(page).goto();
    await page.getByRole('button', { name: 'Sign in with Google' }).click();
    await expect(page).toHaveURL(/\/calendar/);
    await expect(page.getByRole('link', { name: `${name}'s Schedule` })).toBeVisible();
    const session = await (await page.request.get('/api/auth/session')).json();
    expect(session.user.email).toBe(email);

    const menu = await new AppShell(page).openProfileMenu(name);
    await menu.getByRole('menuitem', { name: 'Availability Settings' }).click();
    const settings = new AvailabilitySettingsPage(page);
    await expect(page.getByRole('heading', { name: /Default Working Hours/ })).toBeVisible();
    await settings.addInterval('Tuesday', '09:00', '12:30');
    await expect.poll(() => settings.intervals('Tuesday')).toEqual(['09:00 - 12:30']);
    await settings.expectSaved();

    const member = await withDb(
      async (db) =>
        (
          await db.query<{ id: number; clinic: string; role: string; is_practitioner: boolean; hours: string[] }>(
            `SELECT u.id, c.name AS clinic, u.role, u.is_practitioner,
               array(SELECT to_char(a.start_time, 'HH24:MI') || '-' || to_char(a.end_time, 'HH24:MI') FROM practitioner_availability a WHERE a.user_id = u.id AND a.day_of_week = 2) AS hours
             FROM users u JOIN clinics c ON c.id = u.clinic_id WHERE u.email = $1`,
            [email],
          )
        ).rows,
    );
    expect(member).toEqual([
      { id: expect.any(Number), clinic: 'Riverside Clinic', role: 'practitioner', is_practitioner: true, hours: ['09:00-12:30'] },
    ]);

    // Back as the admin: the invitation became the member.
    await page.context().clearCookies();
    await signInAs(page.request, cast.adminEmail);
    await openMembers(page);
    await expect(page.getByRole('list', { name: 'Pending invitations' })).toHaveCount(0);
    const row = page.getByRole('list', { name: 'Members' }).getByRole('listitem').filter({ hasText: name });
    await expect(row).toContainText('Practitioner');
    await expect(row).toContainText('Google Calendar');
  });

  test('the admin deactivates a practitioner with a booked patient and cancels the booking: the patient gets one LINE message', async ({ page }) => {
    await signInAs(page.request, cast.adminEmail);
    await openMembers(page);
    const row = page.getByRole('list', { name: 'Members' }).getByRole('listitem').filter({ hasText: cast.leaving.name });
    await row.getByRole('button', { name: `Actions for ${cast.leaving.name}` }).click();
    await page.getByRole('menuitem', { name: 'Deactivate…' }).click();

    const confirm = page.getByRole('dialog', { name: `Deactivate ${cast.leaving.name}?` });
    await confirm.getByRole('button', { name: 'Deactivate' }).click();
    const choose = page.getByRole('dialog', { name: `${cast.leaving.name} has 1 upcoming appointment` });
    await expect(choose.getByRole('list', { name: 'Upcoming appointments' })).toContainText('黃小姐');
    await expect(choose.getByRole('list', { name: 'Upcoming appointments' })).toContainText('10:00–10:30');
    await page.waitForTimeout(600); // the sheet's slide-in, so the screenshot shows it in place
    if (test.info().project.name === 'phone') await page.screenshot({ path: test.info().outputPath('deactivate-choice-en.png') });
    await choose.getByRole('button', { name: 'Cancel and notify patients' }).click();
    await expect(choose).toBeHidden();
    await expect(page.getByRole('status').filter({ hasText: 'is deactivated' })).toHaveText(
      `${cast.leaving.name} is deactivated. 1 appointment was canceled; the patients are told on LINE.`,
    );
    await expect(row).toContainText('Deactivated');

    const status = await withDb(
      async (db) =>
        (await db.query<{ status: string }>(`SELECT status FROM appointments WHERE calendar_event_id = $1`, [cast.appointmentId])).rows[0]!.status,
    );
    expect(status).toBe('canceled_by_clinic');
    await expect
      .poll(async () =>
        ((await (await page.request.get(`${LINE}/__pushes`)).json()).pushes as Array<{ body: { to: string; messages: Array<{ text: string }> } }>)
          .filter((p) => p.body.to === cast.patientLineId)
          .map((p) => p.body.messages.length),
      )
      .toEqual([1]);

    // The deactivated practitioner can no longer sign in; reactivating lets them back.
    await expect(signInAs(page.request, `riverside-leaving-${cast.tag}@clinic.test`)).rejects.toThrow();
    await signInAs(page.request, cast.adminEmail);
    await openMembers(page);
    await row.getByRole('button', { name: `Actions for ${cast.leaving.name}` }).click();
    await page.getByRole('menuitem', { name: 'Reactivate' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'can sign in again' })).toBeVisible();
    await expect(row).not.toContainText('Deactivated');
  });

  test('a practitioner has no members page', async ({ page }) => {
    await signInAs(page.request, 'chen@clinic.test');
    expect((await page.goto('/settings/clinic/members'))?.status()).toBe(404);
  });
});
