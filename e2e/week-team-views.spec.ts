import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { CalendarApi } from './pages/calendar-page';
import { WeekTeamPage } from './pages/week-team-page';
import { signInAs } from './support/auth';
import { clearDay, insertAppointment, insertException, ownPractitioner, weekdayAfter, withDb } from './support/db';

/*
 * Issue 14 items 3, 4 and 7's last point: the week view (seven columns on a desktop, three swiped days
 * on a phone), the team day view with every practitioner side by side, and a desktop that opens the
 * calendar on the week.
 */

const CHEN = 'chen@clinic.test';
const LIN = 'lin@clinic.test';
// A third practitioner, made by this spec (the demo has two) and deactivated when it is done.
const WU = 'wu.week-team@clinic.test';

// Days 105 to 125 from today belong to this spec: the Monday of that stretch and its week.
const monday = weekdayAfter(1, 105);
const day = (n: number) => {
  const d = new Date(`${monday}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
const week = Array.from({ length: 7 }, (_, i) => day(i));

const zh = JSON.parse(readFileSync('messages/zh-TW.json', 'utf8')) as { calendarViews: { weekGrid: string; teamGrid: string } };
const TEXT = {
  en: { weekGrid: 'Week view', teamGrid: 'Team day view' },
  'zh-TW': { weekGrid: zh.calendarViews.weekGrid, teamGrid: zh.calendarViews.teamGrid },
} as const;

async function setLocale(page: Page, locale: 'en' | 'zh-TW') {
  await page.context().addCookies([{ name: 'locale', value: locale, url: test.info().project.use.baseURL! }]);
}

test.describe('Week and team views', () => {
  let chenId: number;

  test.beforeAll(async () => {
    await ownPractitioner({ email: WU, name: 'Dr. Wu', colleague: CHEN, hours: [{ dow: 1, start: '10:00', end: '18:00' }] });
  });

  test.afterAll(async () => {
    for (const d of week) await clearDay(WU, d);
    await withDb((db) => db.query(`UPDATE users SET deactivated_at = now() WHERE email = $1`, [WU]));
  });

  test.beforeEach(async () => {
    for (const d of week) for (const who of [CHEN, LIN, WU]) await clearDay(who, d);
    await insertAppointment({ practitionerEmail: CHEN, patient: '陳小姐', date: day(0), start: '10:00', end: '11:00' });
    await insertAppointment({ practitionerEmail: CHEN, patient: '王先生', date: day(2), start: '14:00', end: '15:00' });
    await insertAppointment({ practitionerEmail: CHEN, patient: '陳小姐', date: day(4), start: '09:00', end: '10:00' });
    await insertException({ practitionerEmail: CHEN, date: day(1), start: '12:00', end: '13:00' });
    await insertAppointment({ practitionerEmail: LIN, patient: '王先生', date: day(0), start: '09:00', end: '10:00' });
    await insertAppointment({ practitionerEmail: WU, patient: '陳小姐', date: day(0), start: '15:00', end: '16:00' });
  });

  test.afterEach(async () => {
    for (const d of week) for (const who of [CHEN, LIN]) await clearDay(who, d);
  });

  test('the week shows each appointment in its own day column; a phone shows three days and swipes by three', async ({
    page,
    hasTouch,
    isMobile,
  }) => {
    await signInAs(page.request, CHEN);
    chenId = await new CalendarApi(page.request).practitionerId('Dr. Chen');
    const view = new WeekTeamPage(page, hasTouch);
    await view.gotoWeek(chenId, monday);
    expect(await view.shownDates()).toEqual(isMobile ? week.slice(0, 3) : week);
    expect(await view.columnOf(view.weekEvent(/陳小姐.*10:00.*11:00/))).toBe(day(0));
    expect(await view.columnOf(view.weekEvent(/王先生.*14:00/))).toBe(day(2));
    expect(await view.columnOf(view.weekEvent(/Unavailable/))).toBe(day(1));
    if (isMobile) await expect(view.weekEvent(/陳小姐.*09:00.*10:00/)).toHaveCount(0);
    else expect(await view.columnOf(view.weekEvent(/陳小姐.*09:00.*10:00/))).toBe(day(4));
    expect(await view.horizontalOverflow()).toBeLessThanOrEqual(0);

    // Tapping an appointment opens its sheet.
    await view.tap(view.weekEvent(/王先生.*14:00/));
    await expect(page.getByRole('dialog', { name: /王先生/ })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);

    // A tap on free time (Tuesday 11:00) opens the booking sheet for that day and time.
    const tuesday = (await view
      .weekGrid()
      .locator(`[data-date="${day(1)}"]`)
      .first()
      .boundingBox())!;
    const eleven = view.weekGrid().locator('[data-time="11:00:00"]').last();
    await eleven.scrollIntoViewIfNeeded();
    const row = (await eleven.boundingBox())!;
    await view.tapAt(tuesday.x + tuesday.width / 2, row.y + row.height / 2);
    const booking = page.getByRole('dialog', { name: 'Book an appointment' });
    await expect(booking).toBeVisible();
    const tuesdayLabel = new Intl.DateTimeFormat('en-US', {
      weekday: 'long',
      month: 'long',
      day: 'numeric',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${day(1)}T00:00:00Z`));
    await expect(booking).toContainText(tuesdayLabel);
    await booking.getByRole('button', { name: 'Unavailable' }).click();
    await expect(page.getByRole('dialog', { name: 'Add unavailability' }).getByLabel('Start time')).toHaveValue('11:00');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);

    if (isMobile) {
      await view.swipe(view.weekGrid(), 'left');
      await expect(page).toHaveURL(new RegExp(`week=${day(3)}$`));
      await view.waitForWeek(day(3));
      expect(await view.shownDates()).toEqual(week.slice(3, 6));
      expect(await view.columnOf(view.weekEvent(/陳小姐.*09:00.*10:00/))).toBe(day(4));
      await view.swipe(view.weekGrid(), 'right');
      await expect(page).toHaveURL(new RegExp(`week=${day(0)}$`));
      await view.waitForWeek(day(0));
      expect(await view.shownDates()).toEqual(week.slice(0, 3));
    } else {
      await page.getByRole('link', { name: 'Next week' }).click();
      await expect(page).toHaveURL(new RegExp(`week=${day(7)}$`));
      await view.waitForWeek(day(7));
      await page.getByRole('link', { name: 'Previous week' }).click();
      await view.waitForWeek(day(0));
    }

    // One tap to the day and the month, and back to the week.
    const switcher = page.getByRole('navigation', { name: 'Calendar views' });
    await expect(switcher.getByRole('link', { name: 'Week' })).toHaveAttribute('aria-current', 'page');
    await switcher.getByRole('link', { name: 'Day' }).click();
    await expect(page).toHaveURL(new RegExp(`date=${day(0)}$`));
    await page.getByRole('navigation', { name: 'Calendar views' }).getByRole('link', { name: 'Week' }).click();
    await expect(page).toHaveURL(new RegExp(`week=${day(0)}$`));
    await page.getByRole('navigation', { name: 'Calendar views' }).getByRole('link', { name: 'Month' }).click();
    await expect(page).toHaveURL(new RegExp(`month=${monday.slice(0, 7)}$`));
  });

  test('the team day: three practitioners side by side, each with their own appointments, names kept in view', async ({
    page,
    hasTouch,
    isMobile,
  }) => {
    await signInAs(page.request, CHEN);
    const view = new WeekTeamPage(page, hasTouch);
    await view.gotoTeam(monday);
    await expect(view.teamGrid().getByRole('heading', { level: 2 })).toHaveText(['Dr. Chen', 'Dr. Lin', 'Dr. Wu']);
    await expect(view.teamColumn('Dr. Chen').getByRole('button')).toHaveCount(1);
    await expect(view.teamColumn('Dr. Chen').getByRole('button', { name: /陳小姐.*10:00-11:00/ })).toBeVisible();
    await expect(view.teamColumn('Dr. Lin').getByRole('button', { name: /王先生.*09:00-10:00/ })).toBeVisible();
    await expect(view.teamColumn('Dr. Wu').getByRole('button', { name: /陳小姐.*15:00-16:00/ })).toHaveCount(1);
    expect(await view.horizontalOverflow()).toBeLessThanOrEqual(0);

    // The grid scrolls inside the window: the names stay on top, and on a phone sideways too.
    const grid = view.teamGrid();
    const gridTop = (await grid.boundingBox())!.y;
    await grid.evaluate((el) => el.scrollBy(0, 500));
    const header = view.teamGrid().getByRole('heading', { level: 2, name: 'Dr. Chen' });
    await expect.poll(async () => Math.round((await header.boundingBox())!.y - gridTop)).toBeLessThanOrEqual(1);
    if (isMobile) {
      const scrollable = await grid.evaluate((el) => el.scrollWidth > el.clientWidth);
      expect(scrollable).toBe(true);
      await grid.evaluate((el) => el.scrollTo(el.scrollWidth, 0));
      await expect(view.teamGrid().getByRole('heading', { level: 2, name: 'Dr. Wu' })).toBeInViewport();
      await grid.evaluate((el) => el.scrollTo(0, 0));
    }

    // Another practitioner's appointment opens read-only; a tap on Dr. Chen's own free time opens a sheet for him.
    await view.tap(view.teamColumn('Dr. Wu').getByRole('button', { name: /陳小姐/ }));
    await expect(page.getByRole('dialog', { name: /陳小姐/ })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    const chen = view.teamColumn('Dr. Chen');
    // The afternoon in view (the grid starts at 07:00, 44 px a half hour).
    await grid.evaluate((el) => el.scrollTo(0, 300));
    const box = (await chen.boundingBox())!;
    // Just below the hour axis's 14:00 mark: the 14:00-14:30 row.
    const mark = (await grid.getByText('14:00', { exact: true }).boundingBox())!;
    await view.tapAt(box.x + box.width / 2, mark.y + mark.height / 2 + 10);
    // The booking sheet for Dr. Chen; its Unavailable tab hands the tapped time to the exception sheet.
    await expect(page.getByRole('dialog', { name: 'Book an appointment' })).toBeVisible();
    await page.getByRole('dialog').getByRole('button', { name: 'Unavailable' }).click();
    await expect(page.getByRole('dialog', { name: 'Add unavailability' }).getByLabel('Start time')).toHaveValue('14:00');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    // Dr. Lin's free time is not Dr. Chen's to change: nothing opens.
    const lin = (await view.teamColumn('Dr. Lin').boundingBox())!;
    await view.tapAt(lin.x + lin.width / 2, mark.y + mark.height / 2 + 10);
    await expect(page.getByRole('dialog')).toHaveCount(0);
  });

  test("an admin books into the tapped column's practitioner", async ({ page, hasTouch }) => {
    await signInAs(page.request, 'admin@clinic.test');
    const view = new WeekTeamPage(page, hasTouch);
    await view.gotoTeam(monday);
    const grid = view.teamGrid();
    await grid.evaluate((el) => el.scrollTo(el.scrollWidth, 300));
    const wu = (await view.teamColumn('Dr. Wu').boundingBox())!;
    const mark = (await grid.getByText('12:00', { exact: true }).boundingBox())!;
    await view.tapAt(wu.x + wu.width / 2, mark.y + mark.height / 2 + 10);
    const booking = page.getByRole('dialog', { name: 'Book an appointment' });
    await expect(booking).toBeVisible();
    await expect(booking.getByLabel('Practitioner')).toHaveValue(String(await new CalendarApi(page.request).practitionerId('Dr. Wu')));
  });

  test('the previous and next day links move the team day', async ({ page, hasTouch }) => {
    await signInAs(page.request, CHEN);
    const view = new WeekTeamPage(page, hasTouch);
    await view.gotoTeam(day(1));
    await page.getByRole('link', { name: 'Previous day' }).click();
    await expect(page).toHaveURL(new RegExp(`date=${day(0)}$`));
    await expect(view.teamColumn('Dr. Lin').getByRole('button', { name: /王先生/ })).toBeVisible();
    await page.getByRole('link', { name: 'Next day' }).click();
    await expect(page).toHaveURL(new RegExp(`date=${day(1)}$`));
    await expect(view.teamColumn('Dr. Lin').getByRole('button')).toHaveCount(0);
  });

  test('a desktop opens the calendar on the week, drawn so by the server; a phone on the month', async ({ page, isMobile }) => {
    await signInAs(page.request, CHEN);
    // The browser's first page sets the width cookie on a desktop; a phone gets none (and loses one
    // it had from a wide window before).
    const wide = async () => (await page.context().cookies()).find((c) => c.name === 'cbc_wide')?.value;
    await page.goto('/calendar');
    if (isMobile) {
      expect(await wide()).toBeUndefined();
      await page.context().addCookies([{ name: 'cbc_wide', value: '1', url: page.url() }]);
      await page.goto('/calendar');
      expect(await wide()).toBeUndefined();
    } else {
      expect(await wide()).toBe('1');
    }
    const landing = await (await page.request.get('/calendar')).text();
    if (isMobile) {
      expect(landing).toContain('aria-label="Month view"');
      expect(landing).not.toContain('aria-label="Week view"');
    } else {
      expect(landing).toContain('aria-label="Week view"');
      expect(landing).not.toContain('aria-label="Month view"');
    }
    await page.goto('/calendar');
    const current = page.getByRole('navigation', { name: 'Calendar views' }).locator('[aria-current="page"]');
    await expect(current).toHaveText(isMobile ? 'Month' : 'Week');
    await expect(page.getByRole('region', { name: isMobile ? 'Month view' : 'Week view' })).toBeVisible();
    // The title link (the calendar's home) leads to the same.
    await page.getByRole('link', { name: "Dr. Chen's Schedule" }).first().click();
    await expect(current).toHaveText(isMobile ? 'Month' : 'Week');
  });

  for (const locale of ['en', 'zh-TW'] as const) {
    test(`screenshots of the week, three-day and team views (${locale})`, async ({ page, hasTouch, isMobile }) => {
      await setLocale(page, locale);
      await signInAs(page.request, 'admin@clinic.test');
      chenId = await new CalendarApi(page.request).practitionerId('Dr. Chen');
      const view = new WeekTeamPage(page, hasTouch, TEXT[locale]);
      await view.gotoWeek(chenId, monday);
      await expect(view.weekEvent(/王先生/)).toBeVisible();
      await view.screenshot(`${isMobile ? '3day' : 'week'}-${locale}`);
      await view.gotoTeam(monday);
      await expect(view.teamColumn('Dr. Wu').getByRole('button')).toHaveCount(1);
      await view.screenshot(`team-${locale}`);
    });
  }
});
