import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { AppShell } from './pages/app-shell';
import { PatientsPage } from './pages/patients-page';
import { WeekTeamPage } from './pages/week-team-page';
import { CalendarApi, CalendarPage } from './pages/calendar-page';
import { signInAs } from './support/auth';
import { clearDay, insertAppointment, insertException, weekdayAfter } from './support/db';

const CHEN = 'chen@clinic.test';

/** axe on the page as it is now; only serious and critical findings fail the test, all of them listed. */
async function expectAccessible(page: Page, what: string) {
  await page.evaluate(() => document.fonts.ready);
  const { violations } = await new AxeBuilder({ page }).analyze();
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = blocking
    .map(
      (v) =>
        `[${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}\n      ${n.failureSummary?.replace(/\n/g, '\n      ')}`).join('\n')}`,
    )
    .join('\n');
  expect.soft(blocking, `${what}\n${report}`).toEqual([]);
}

test('every page passes axe without serious or critical violations, menus and sheets open too', async ({ page, hasTouch }) => {
  test.setTimeout(240_000); // a dozen axe runs on a slow machine
  // A Thursday twelve weeks out belongs to this spec: one appointment, one unavailable hour.
  const thursday = weekdayAfter(4, 84);
  await clearDay(CHEN, thursday);
  await insertAppointment({ practitionerEmail: CHEN, patient: '陳小姐', date: thursday, start: '10:00', end: '11:00' });
  await insertException({ practitionerEmail: CHEN, date: thursday, start: '15:00', end: '16:00' });

  await page.goto('/signin');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expectAccessible(page, 'sign-in');

  // The admin sees every page and every control (switcher, clear, add, agent keys, deliveries).
  await signInAs(page.request, 'admin@clinic.test');
  const chenId = await new CalendarApi(page.request).practitionerId('Dr. Chen');
  const calendar = new CalendarPage(page, hasTouch);
  await calendar.gotoMonth(chenId, thursday.slice(0, 7));
  await expectAccessible(page, 'calendar month');

  const menu = await new AppShell(page).openProfileMenu('Clinic Admin');
  await expect(menu.getByRole('menuitem', { name: 'Deliveries' })).toBeVisible();
  await expectAccessible(page, 'profile menu open');
  await page.screenshot({ path: test.info().outputPath('profile-menu.png') });
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();

  await calendar.clearButton().click();
  const sheet = calendar.sheet('Clear unavailability');
  await expect(sheet).toBeVisible();
  await page.waitForTimeout(600); // the sheet's slide-in, so axe sees it in place
  await expectAccessible(page, 'clear sheet open');
  await page.screenshot({ path: test.info().outputPath('clear-sheet.png') });
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();

  await calendar.gotoDay(chenId, thursday);
  await expect(calendar.event(/^陳小姐 - 初診評估/)).toBeVisible();
  await expectAccessible(page, 'calendar day');

  await calendar.tapEvent(/^陳小姐 - 初診評估/);
  await expect(calendar.sheet('陳小姐 - 初診評估')).toBeVisible();
  await page.waitForTimeout(600);
  await expectAccessible(page, 'appointment sheet open');
  await page.screenshot({ path: test.info().outputPath('appointment-sheet.png') });
  await page.keyboard.press('Escape');

  // The front desk's views: one practitioner's week (three days on a phone), the team's day, patients.
  const views = new WeekTeamPage(page, hasTouch);
  await views.gotoWeek(chenId, thursday);
  await expect(views.weekGrid().getByRole('button', { name: /^陳小姐 - 初診評估/ })).toBeVisible();
  await expectAccessible(page, 'calendar week');
  await views.gotoTeam(thursday);
  await expectAccessible(page, 'team day');
  await page.screenshot({ path: test.info().outputPath('team-day.png') });
  const patients = new PatientsPage(page);
  await patients.gotoList('陳');
  await expect(page.getByRole('link', { name: /陳小姐/ }).first()).toBeVisible();
  await expectAccessible(page, 'patients');

  await page.goto(`/settings/availability?practitioner=${chenId}`);
  await expect(page.getByRole('heading', { name: /Default Working Hours/ })).toBeVisible();
  await expectAccessible(page, 'availability settings');

  await page.goto('/settings/agent-keys');
  await expect(page.getByRole('heading', { name: 'AI agent keys' }).or(page.getByLabel('Key name'))).toBeVisible();
  await expectAccessible(page, 'agent keys');

  await page.goto('/settings/deliveries');
  await expect(page.getByRole('list', { name: 'Deliveries' })).toBeVisible();
  await expectAccessible(page, 'deliveries');

  await page.goto('/settings/clinic');
  await expect(page.getByRole('heading', { name: 'LINE channel' })).toBeVisible();
  await expectAccessible(page, 'clinic settings');

  await page.goto('/settings/clinic/types');
  await expect(page.getByRole('heading', { name: 'In use' })).toBeVisible();
  await expectAccessible(page, 'appointment types');
  await page.getByRole('button', { name: 'Add type' }).click();
  const typeSheet = page.getByRole('dialog', { name: 'New appointment type' });
  await expect(typeSheet).toBeVisible();
  await page.waitForTimeout(600); // the sheet's slide-in, so axe sees it in place
  await expectAccessible(page, 'appointment type sheet open');
  await page.keyboard.press('Escape');
  await expect(typeSheet).toBeHidden();

  await page.goto('/settings/clinic/holidays');
  await expect(page.getByRole('heading', { name: 'Import a year' })).toBeVisible();
  await expectAccessible(page, 'clinic holidays');
  await page.getByRole('button', { name: 'Add a day' }).click();
  const daySheet = page.getByRole('dialog', { name: 'Add a day' });
  await expect(daySheet).toBeVisible();
  await page.waitForTimeout(600); // the sheet's slide-in, so axe sees it in place
  await expectAccessible(page, 'clinic holiday sheet open');
  await page.keyboard.press('Escape');
  await expect(daySheet).toBeHidden();

  // The activity log with at least one entry of this spec's own: an hour the admin blocks out.
  const blocked = await page.request.post(`/api/clinic/practitioners/${chenId}/availability/exceptions`, {
    data: { date: thursday, start_time: '16:00', end_time: '17:00' },
  });
  expect(blocked.status()).toBe(201);
  await page.goto('/settings/clinic/activity');
  await expect(page.getByRole('link', { name: /^Blocked out Dr\. Chen's time/ }).first()).toBeVisible();
  await expectAccessible(page, 'activity');
});
