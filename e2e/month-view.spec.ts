import { expect, test } from '@playwright/test';
import { addMonths, CalendarApi, CalendarPage, countText, monthLabel } from './pages/calendar-page';
import { signInAs } from './support/auth';
import { clearDay, clinicToday, insertAppointment, weekdayAfter } from './support/db';

const CHEN = 'chen@clinic.test';

test.describe('Monthly Calendar View', () => {
  let chenId: number;
  let calendar: CalendarPage;

  test.beforeEach(async ({ page, hasTouch }) => {
    await signInAs(page.request, CHEN);
    chenId = await new CalendarApi(page.request).practitionerId('Dr. Chen');
    calendar = new CalendarPage(page, hasTouch);
  });

  test("each day shows the API's appointment count and today is marked", async ({ page }) => {
    const today = clinicToday();
    const month = today.slice(0, 7);
    const counts = await new CalendarApi(page.request).monthDayTexts(chenId, month);
    expect(Object.keys(counts)).toHaveLength(new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 0)).getUTCDate());

    await page.goto('/calendar');
    await calendar.waitForMonth();
    await expect(calendar.heading()).toHaveText(`Dr. Chen's Schedule - ${monthLabel(month)}`);
    const labels = await calendar.dayLabels();
    const shown = Object.fromEntries(Object.keys(counts).map((date) => [date, labels[date]?.replace(/^.*: /, '')]));
    expect(shown).toEqual(counts);
    await expect(calendar.todayCell()).toHaveCount(1);
    await expect(calendar.todayCell()).toHaveAttribute('data-date', today);
    expect(await calendar.horizontalOverflow()).toBeLessThanOrEqual(0);
    await calendar.screenshot('month');
  });

  test("a day's badge follows its appointments", async ({ page }) => {
    const wednesday = weekdayAfter(3, 21);
    await clearDay(CHEN, wednesday);
    await calendar.gotoMonth(chenId, wednesday.slice(0, 7));
    await expect(calendar.dayLink(wednesday)).toHaveAccessibleName(new RegExp(`: ${countText(0)}$`));
    await expect(calendar.dayLink(wednesday)).toHaveText(String(Number(wednesday.slice(8))));

    await insertAppointment({ practitionerEmail: CHEN, patient: '陳小姐', date: wednesday, start: '09:00', end: '10:00' });
    await insertAppointment({ practitionerEmail: CHEN, patient: '王先生', date: wednesday, start: '10:00', end: '11:00' });
    await page.reload();
    await calendar.waitForMonth();
    await expect(calendar.dayLink(wednesday)).toHaveAccessibleName(new RegExp(`: ${countText(2)}$`));
    // The day number, then the badge.
    await expect(calendar.dayLink(wednesday)).toHaveText(`${Number(wednesday.slice(8))}2`);
    expect((await new CalendarApi(page.request).monthCounts(chenId, wednesday.slice(0, 7)))[wednesday]).toBe(2);
  });

  test('previous and next buttons and the month picker change the month', async ({ page }) => {
    const month = clinicToday().slice(0, 7);
    await calendar.gotoMonth(chenId, month);
    await calendar.nextMonth().click();
    await expect(page).toHaveURL(new RegExp(`month=${addMonths(month, 1)}$`));
    await expect(calendar.heading()).toContainText(monthLabel(addMonths(month, 1)));
    // Each click follows the link of the month on screen: wait for it before the next one.
    await calendar.previousMonth().click();
    await expect(page).toHaveURL(new RegExp(`month=${month}$`));
    await expect(calendar.heading()).toContainText(monthLabel(month));
    await calendar.previousMonth().click();
    await expect(page).toHaveURL(new RegExp(`month=${addMonths(month, -1)}$`));
    await expect(calendar.heading()).toContainText(monthLabel(addMonths(month, -1)));
    await expect(calendar.dayCell(`${addMonths(month, -1)}-15`)).toBeVisible();

    await calendar.monthPicker().fill('2027-03');
    await expect(page).toHaveURL(/month=2027-03$/);
    await expect(calendar.heading()).toContainText('March 2027');
    await expect(calendar.monthPicker()).toHaveValue('2027-03');
    await expect(calendar.dayCell('2027-03-31')).toBeVisible();
  });

  test('swiping left and right moves to the next and previous month', async ({ page }) => {
    const month = clinicToday().slice(0, 7);
    await calendar.gotoMonth(chenId, month);
    await calendar.swipe(calendar.monthGrid(), 'left');
    await expect(page).toHaveURL(new RegExp(`month=${addMonths(month, 1)}$`));
    await expect(calendar.heading()).toContainText(monthLabel(addMonths(month, 1)));
    await calendar.waitForMonth();
    await calendar.swipe(calendar.monthGrid(), 'right');
    // Each swipe moves from the month on screen: wait for it before the next one (the grid of the month
    // being left stays on screen until the next one arrives).
    await expect(page).toHaveURL(new RegExp(`month=${month}$`));
    await expect(calendar.heading()).toContainText(monthLabel(month));
    await calendar.waitForMonth();
    await calendar.swipe(calendar.monthGrid(), 'right');
    await expect(page).toHaveURL(new RegExp(`month=${addMonths(month, -1)}$`));
    await expect(calendar.heading()).toContainText(monthLabel(addMonths(month, -1)));
  });

  test('tapping a day opens its day view, and back returns to its month', async ({ page }) => {
    const wednesday = weekdayAfter(3, 21);
    await clearDay(CHEN, wednesday);
    await insertAppointment({ practitionerEmail: CHEN, patient: '林先生', date: wednesday, start: '14:00', end: '15:00' });
    await calendar.gotoMonth(chenId, wednesday.slice(0, 7));
    await calendar.tapDay(wednesday);
    await expect(page).toHaveURL(new RegExp(`date=${wednesday}$`));
    await calendar.waitForDay(wednesday);
    await expect(calendar.event(/林先生 - 初診評估/)).toBeVisible();

    await calendar.backToMonth().click();
    await expect(page).toHaveURL(new RegExp(`month=${wednesday.slice(0, 7)}$`));
    await calendar.waitForMonth();
    // The day number is a link too (keyboard and screen readers).
    await calendar.dayLink(wednesday).focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`date=${wednesday}$`));
  });

  test('an invalid month falls back to the current month', async ({ page }) => {
    await page.goto(`/calendar?practitioner=${chenId}&month=2026-13`);
    await calendar.waitForMonth();
    await expect(calendar.heading()).toContainText(monthLabel(clinicToday().slice(0, 7)));
    await expect(calendar.todayCell()).toHaveAttribute('data-date', clinicToday());
  });

  test('a colleague sees the counts but no way to clear unavailability', async ({ page }) => {
    await signInAs(page.request, 'lin@clinic.test');
    const month = clinicToday().slice(0, 7);
    await calendar.gotoMonth(chenId, month);
    await expect(calendar.heading()).toContainText(monthLabel(month));
    await expect(calendar.dayLink(clinicToday())).toHaveAccessibleName(/appointment/);
    await expect(calendar.clearButton()).toHaveCount(0);
  });
});
