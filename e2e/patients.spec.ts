import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { PatientsPage } from './pages/patients-page';
import { signInAs } from './support/auth';
import { clinicToday, weekdayAfter, withDb } from './support/db';

/*
 * Patients (issue 14, item 6): search by part of a Chinese name, the patient page with upcoming and
 * past appointments across practitioners and the no-show count, editing the phone number, and
 * another clinic's patient as the 404 page.
 */

const CHEN = 'chen@clinic.test';
const NAME = '歐陽美玲';
const PHONE = '0911-222-333';
const LINE_ID = `U${'d1'.repeat(16)}`;
const zh = JSON.parse(readFileSync('messages/zh-TW.json', 'utf8')) as { patients: Record<string, string> };

// This spec's dates: a Tuesday and a Thursday 141-155 days out, and two past dates of its own.
const upcomingChen = weekdayAfter(2, 141);
const upcomingLin = weekdayAfter(4, 141);
function daysAgo(n: number): string {
  const d = new Date(`${clinicToday()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}
const pastChen = daysAgo(33);
const pastLin = daysAgo(61);

interface Fixture {
  patientId: number;
  chenId: number;
  linId: number;
  events: { upcomingChen: number; upcomingLin: number; pastChen: number; pastLin: number };
}

/** The spec's patient in the demo clinic, with exactly four appointments (two upcoming, two past). */
async function arrange(): Promise<Fixture> {
  return withDb(async (db) => {
    const ids = (
      await db.query<{ email: string; id: number; clinic_id: number }>(
        `SELECT email, id, clinic_id FROM users WHERE email IN ($1, 'lin@clinic.test')`,
        [CHEN],
      )
    ).rows;
    const chen = ids.find((u) => u.email === CHEN)!;
    const lin = ids.find((u) => u.email !== CHEN)!;
    let patient = (await db.query<{ id: number }>(`SELECT id FROM patients WHERE clinic_id = $1 AND full_name = $2`, [chen.clinic_id, NAME])).rows[0];
    patient ??= (
      await db.query<{ id: number }>(`INSERT INTO patients (clinic_id, full_name, phone_number, line_user_id) VALUES ($1, $2, $3, $4) RETURNING id`, [
        chen.clinic_id,
        NAME,
        PHONE,
        LINE_ID,
      ])
    ).rows[0]!;
    await db.query(`UPDATE patients SET phone_number = $2 WHERE id = $1`, [patient.id, PHONE]);
    await db.query(`DELETE FROM calendar_events WHERE id IN (SELECT calendar_event_id FROM appointments WHERE patient_id = $1)`, [patient.id]);
    const book = async (userId: number, date: string, start: string, end: string) =>
      (
        await db.query<{ id: number }>(
          `WITH ev AS (INSERT INTO calendar_events (user_id, event_type, date, start_time, end_time) VALUES ($1, 'appointment', $2, $3, $4) RETURNING id)
           INSERT INTO appointments (calendar_event_id, patient_id, appointment_type_id, status)
           SELECT ev.id, $5, t.id, 'confirmed' FROM ev JOIN appointment_types t ON t.clinic_id = $6 AND t.name = '初診評估'
           RETURNING calendar_event_id AS id`,
          [userId, date, start, end, patient.id, chen.clinic_id],
        )
      ).rows[0]!.id;
    return {
      patientId: patient.id,
      chenId: chen.id,
      linId: lin.id,
      events: {
        upcomingChen: await book(chen.id, upcomingChen, '10:00', '11:00'),
        upcomingLin: await book(lin.id, upcomingLin, '09:00', '10:00'),
        pastChen: await book(chen.id, pastChen, '14:00', '15:00'),
        pastLin: await book(lin.id, pastLin, '16:00', '17:00'),
      },
    };
  });
}

async function setLocale(page: Page, locale: 'en' | 'zh-TW') {
  await page.context().addCookies([{ name: 'locale', value: locale, url: test.info().project.use.baseURL! }]);
}

test.describe('Patients', () => {
  let f: Fixture;

  test.beforeEach(async ({ page }) => {
    f = await arrange();
    await signInAs(page.request, CHEN);
    // Dr. Chen marks her past appointment a no-show through the attendance route, as the calendar does.
    const res = await page.request.put(`/api/clinic/practitioners/${f.chenId}/appointments/${f.events.pastChen}/attendance`, {
      data: { attendance: 'no_show' },
    });
    expect(res.status(), await res.text()).toBe(200);
  });

  test('search by two characters from the middle of a Chinese name, open the patient, see their appointments and no-shows', async ({ page }) => {
    const patients = new PatientsPage(page);
    await patients.gotoList();
    await patients.searchBox().fill('陽美');
    // The list follows the typing (no submit): the URL carries the query, so the result is a link.
    await expect(page).toHaveURL(/\/patients\?q=%E9%99%BD%E7%BE%8E$/);
    const result = patients.result(NAME);
    await expect(result).toHaveCount(1);
    await expect(result).toContainText(PHONE);
    await expect(result).toContainText('Linked to LINE');
    await expect(result).toContainText('Next:');
    await expect(result).toContainText('10:00');
    await expect(result).toContainText('Dr. Chen');

    await result.click();
    await expect(page).toHaveURL(new RegExp(`/patients/${f.patientId}$`));
    await expect(patients.heading()).toContainText(NAME);
    await expect(page.getByText(LINE_ID)).toBeVisible();
    await expect(patients.count('Upcoming')).toHaveText('2');
    await expect(patients.count('No-shows')).toHaveText('1');

    const upcoming = patients.rows('Upcoming appointments');
    await expect(upcoming).toHaveCount(2);
    await expect(upcoming.nth(0)).toContainText('10:00–11:00');
    await expect(upcoming.nth(0)).toContainText('Dr. Chen');
    await expect(upcoming.nth(1)).toContainText('09:00–10:00');
    await expect(upcoming.nth(1)).toContainText('Dr. Lin');
    await expect(upcoming.nth(0).getByRole('link')).toHaveAttribute('href', `/calendar?practitioner=${f.chenId}&date=${upcomingChen}`);
    await expect(upcoming.nth(1).getByRole('link')).toHaveAttribute('href', `/calendar?practitioner=${f.linId}&date=${upcomingLin}`);

    const past = patients.rows('Past and canceled appointments');
    await expect(past).toHaveCount(2);
    await expect(past.nth(0)).toContainText('14:00–15:00');
    await expect(past.nth(0)).toContainText('No-show');
    await expect(past.nth(1)).toContainText('Dr. Lin');
    await expect(past.nth(1)).not.toContainText('No-show');

    // A row opens that day of that practitioner's calendar.
    await upcoming.nth(1).getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/calendar\\?practitioner=${f.linId}&date=${upcomingLin}$`));
  });

  test('search by phone digits and by LINE ID; a search that matches nobody says so', async ({ page }) => {
    const patients = new PatientsPage(page);
    await patients.gotoList('0911222333');
    await expect(patients.result(NAME)).toHaveCount(1);
    await patients.gotoList(LINE_ID);
    await expect(patients.result(NAME)).toHaveCount(1);
    await patients.gotoList('不存在的名字');
    await expect(page.getByText('No patient matches “不存在的名字”')).toBeVisible();
  });

  test('edit the phone number: a bad one is refused beside the field, a good one is saved and searchable', async ({ page }) => {
    const patients = new PatientsPage(page);
    await patients.gotoPatient(f.patientId);
    await patients.editButton().click();
    const dialog = patients.dialog(`Edit ${NAME}`);
    const phone = dialog.getByLabel('Phone number');
    await expect(phone).toHaveValue(PHONE);

    await phone.fill('call me maybe');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog.getByText('Use digits, spaces, +, - and parentheses')).toBeVisible();
    await expect(phone).toHaveAttribute('aria-invalid', 'true');

    await phone.fill('0988 777 666');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('status').filter({ hasText: NAME })).toHaveText(`Saved ${NAME}.`);
    await expect(page.locator('dl').first()).toContainText('0988 777 666');
    const saved = await withDb(
      async (db) => (await db.query<{ phone_number: string }>(`SELECT phone_number FROM patients WHERE id = $1`, [f.patientId])).rows[0],
    );
    expect(saved?.phone_number).toBe('0988 777 666');

    // After a reload too, and the new digits find the patient.
    await page.reload();
    await expect(page.locator('dl').first()).toContainText('0988 777 666');
    await patients.gotoList('0988777666');
    await expect(patients.result(NAME)).toHaveCount(1);
  });

  test("an unknown id and another clinic's patient are the 404 page", async ({ page }) => {
    const foreignId = await withDb(async (db) => {
      const other = (await db.query<{ id: number }>(`SELECT id FROM clinics WHERE slug = 'other'`)).rows[0]!;
      const existing = (await db.query<{ id: number }>(`SELECT id FROM patients WHERE clinic_id = $1 AND full_name = '別家病患'`, [other.id]))
        .rows[0];
      return (
        existing ??
        (
          await db.query<{ id: number }>(
            `INSERT INTO patients (clinic_id, full_name, phone_number) VALUES ($1, '別家病患', '0900-111-222') RETURNING id`,
            [other.id],
          )
        ).rows[0]!
      ).id;
    });
    const patients = new PatientsPage(page);
    for (const id of [foreignId, 2_000_000_000, 'abc']) {
      const res = await patients.gotoPatient(id);
      expect(res?.status(), String(id)).toBe(404);
      await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
      await expect(page.getByText('別家病患')).toHaveCount(0);
    }
    // Nor does the search list them.
    await patients.gotoList('別家');
    await expect(page.getByText('No patient matches “別家”')).toBeVisible();
  });

  test('screenshots of the list and the patient page in English and Chinese', async ({ page }) => {
    const patients = new PatientsPage(page);
    for (const locale of ['en', 'zh-TW'] as const) {
      await setLocale(page, locale);
      await patients.gotoList('陽美');
      await expect(patients.result(NAME)).toBeVisible();
      await page.screenshot({ path: test.info().outputPath(`patients-list-${locale}.png`), fullPage: true });
      await patients.gotoPatient(f.patientId);
      const noShows = locale === 'en' ? 'No-shows' : zh.patients.noShowCount!;
      await expect(patients.count(noShows)).toHaveText('1');
      await expect(patients.section(locale === 'en' ? 'Past and canceled appointments' : zh.patients.pastTitle!)).toContainText(
        locale === 'en' ? 'No-show' : zh.patients.attendance_no_show!,
      );
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: test.info().outputPath(`patient-page-${locale}.png`), fullPage: true });
    }
    await setLocale(page, 'en');
  });
});

/** axe on the page as it is now: no serious or critical findings. */
async function expectAccessible(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect
    .soft(
      blocking.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      what,
    )
    .toEqual([]);
}

test.describe('Patients accessibility', () => {
  test('the list, the patient page and the edit sheet pass axe', async ({ page }) => {
    test.setTimeout(180_000); // four axe runs on a slow machine
    const f = await arrange();
    await signInAs(page.request, CHEN);
    const patients = new PatientsPage(page);
    await patients.gotoList('陽美');
    await expect(patients.result(NAME)).toBeVisible();
    await expectAccessible(page, 'patients list');
    await patients.gotoList('不存在的名字');
    await expectAccessible(page, 'patients list, no results');
    await patients.gotoPatient(f.patientId);
    await expect(patients.heading()).toContainText(NAME);
    await expectAccessible(page, 'patient page');
    await patients.editButton().click();
    await expect(patients.dialog(`Edit ${NAME}`)).toBeVisible();
    await page.waitForTimeout(600); // the sheet's slide-in, so axe sees it in place
    await expectAccessible(page, 'edit sheet open');
  });
});

test.describe('Patients without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the search is a plain GET form: the results are server-rendered and linkable', async ({ page }) => {
    await arrange();
    await signInAs(page.request, CHEN);
    const patients = new PatientsPage(page);
    await patients.gotoList();
    await patients.searchBox().fill('陽美');
    await patients.searchBox().press('Enter');
    await expect(page).toHaveURL(/\/patients\?q=%E9%99%BD%E7%BE%8E$/);
    await expect(patients.result(NAME)).toHaveCount(1);
  });
});
