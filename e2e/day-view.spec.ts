import { expect, test } from '@playwright/test';
import { addDays, CalendarApi, CalendarPage } from './pages/calendar-page';
import { signInAs } from './support/auth';
import { clearDay, insertAppointment, insertException, markSyncFailed, weekdayAfter } from './support/db';

const CHEN = 'chen@clinic.test';
const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

test.describe('Daily View', () => {
  let chenId: number;
  let api: CalendarApi;
  let calendar: CalendarPage;
  // A Wednesday four weeks out: Dr. Chen works 09:00-12:00 and 14:00-18:00 on Wednesdays in the demo.
  const wednesday = weekdayAfter(3, 28);

  test.beforeEach(async ({ page, hasTouch }) => {
    await signInAs(page.request, CHEN);
    api = new CalendarApi(page.request);
    chenId = await api.practitionerId('Dr. Chen');
    calendar = new CalendarPage(page, hasTouch);
    await clearDay(CHEN, wednesday);
  });

  test('appointments are blocks titled "patient - type" over plain working hours, the rest grayed', async () => {
    await insertAppointment({ practitionerEmail: CHEN, patient: '陳小姐', date: wednesday, start: '10:00', end: '11:00' });
    const { default_schedule: hours, events } = await api.day(chenId, wednesday);
    expect(hours.length).toBeGreaterThan(0);
    expect(events.map((e) => e.title)).toEqual(['陳小姐 - 初診評估']);

    await calendar.gotoDay(chenId, wednesday);
    const when = new Date(`${wednesday}T00:00:00Z`);
    const long = new Intl.DateTimeFormat('en-US', { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' }).format(when);
    const short = new Intl.DateTimeFormat('en-US', { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(when);
    await expect(calendar.heading()).toContainText("Dr. Chen's Schedule - ");
    // Phones show the short date, wider screens the long one.
    expect([long, short]).toContain(await calendar.heading().getByRole('link').innerText());
    const block = calendar.event(/^陳小姐 - 初診評估/);
    await expect(block).toHaveAccessibleName('陳小姐 - 初診評估 10:00 – 11:00');
    await expect(block).not.toContainText('Outside Hours');

    const working = (t: string) => hours.some((h) => minutes(h.start_time) <= minutes(t) && minutes(t) < minutes(h.end_time));
    for (const time of ['07:30', '09:00', '11:30', '12:00', '13:30', '14:00', '17:30', '18:00', '21:00']) {
      expect(await calendar.isGrayedAt(time), `${time} grayed`).toBe(!working(time));
    }
    expect(await calendar.horizontalOverflow()).toBeLessThanOrEqual(0);
    await calendar.screenshot('day');
  });

  test('an appointment under an exception is marked "Outside Hours", a failed sync is flagged', async ({ page }) => {
    await insertAppointment({ practitionerEmail: CHEN, patient: '陳小姐', date: wednesday, start: '09:00', end: '10:00' });
    const covered = await insertAppointment({ practitionerEmail: CHEN, patient: '王先生', date: wednesday, start: '15:00', end: '16:00' });
    await insertException({ practitionerEmail: CHEN, date: wednesday, start: '14:30', end: '16:30' });
    await markSyncFailed(covered);
    const { events } = await api.day(chenId, wednesday);
    expect(events.filter((e) => e.type === 'appointment').map((e) => [e.title, e.outside_hours])).toEqual([
      ['陳小姐 - 初診評估', false],
      ['王先生 - 初診評估', true],
    ]);

    await calendar.gotoDay(chenId, wednesday);
    const outside = calendar.event(/^王先生 - 初診評估/);
    await expect(outside).toContainText('Outside Hours');
    await expect(outside).toContainText('Sync failed');
    const inside = calendar.event(/^陳小姐 - 初診評估/);
    await expect(inside).not.toContainText('Outside Hours');
    await expect(calendar.event('Unavailable 14:30 – 16:30')).toBeVisible();
    // Distinct colors: appointment, outside hours, exception (the design tokens).
    const background = (l: typeof inside) => l.evaluate((el) => getComputedStyle(el).backgroundColor);
    const colors = [await background(inside), await background(outside), await background(calendar.event('Unavailable 14:30 – 16:30'))];
    expect(new Set(colors).size).toBe(3);
    expect(colors).toEqual(
      await page.evaluate(() =>
        ['--color-appointment', '--color-outside-hours', '--color-exception'].map((v) => {
          const probe = document.createElement('span');
          probe.style.color = getComputedStyle(document.documentElement).getPropertyValue(v);
          document.body.append(probe);
          const rgb = getComputedStyle(probe).color;
          probe.remove();
          return rgb;
        }),
      ),
    );
    await calendar.screenshot('outside-hours');
  });

  test('previous/next day buttons and swipes move a day; back and the date header return to the month', async ({ page }) => {
    await calendar.gotoDay(chenId, wednesday);
    await calendar.nextDay().click();
    await expect(page).toHaveURL(new RegExp(`date=${addDays(wednesday, 1)}$`));
    await calendar.waitForDay(addDays(wednesday, 1));
    await calendar.previousDay().click();
    await expect(page).toHaveURL(new RegExp(`date=${wednesday}$`));
    await calendar.waitForDay(wednesday);

    await calendar.swipe(calendar.dayGrid(), 'left');
    await expect(page).toHaveURL(new RegExp(`date=${addDays(wednesday, 1)}$`));
    await calendar.waitForDay(addDays(wednesday, 1));
    await calendar.swipe(calendar.dayGrid(), 'right');
    await expect(page).toHaveURL(new RegExp(`date=${wednesday}$`));
    await calendar.waitForDay(wednesday);
    // A swipe is not a tap: no sheet opened on the way.
    await expect(page.getByRole('dialog')).toHaveCount(0);

    await calendar.backToMonth().click();
    await expect(page).toHaveURL(new RegExp(`month=${wednesday.slice(0, 7)}$`));
    await calendar.waitForMonth();
    await expect(calendar.dayCell(wednesday)).toBeVisible();

    await calendar.gotoDay(chenId, wednesday);
    await page.getByRole('heading', { level: 1 }).getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`month=${wednesday.slice(0, 7)}$`));
    await calendar.waitForMonth();
  });

  test('a colleague sees the day read-only: no add button, no sheet on tapping time, no delete', async ({ page }) => {
    await insertAppointment({ practitionerEmail: CHEN, patient: '陳小姐', date: wednesday, start: '10:00', end: '11:00' });
    await insertException({ practitionerEmail: CHEN, date: wednesday, start: '15:00', end: '16:00' });
    await signInAs(page.request, 'lin@clinic.test');
    await calendar.gotoDay(chenId, wednesday);
    await expect(page.getByText('Only Dr. Chen or a clinic admin can change this calendar.')).toBeVisible();
    await expect(calendar.addButton()).toHaveCount(0);

    await calendar.tapTime('14:00');
    await calendar.tapEvent(/^Unavailable/);
    await expect(page.getByRole('dialog')).toHaveCount(0);

    await calendar.tapEvent(/^陳小姐 - 初診評估/);
    const sheet = calendar.sheet('陳小姐 - 初診評估');
    await expect(sheet).toContainText('0912-345-678');
    await expect(sheet.getByRole('button', { name: 'Delete appointment' })).toHaveCount(0);
    await sheet.getByRole('button', { name: 'Close' }).click();
    await expect(sheet).toBeHidden();
  });
});
