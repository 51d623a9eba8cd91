import { readFileSync } from 'node:fs';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { CalendarApi, CalendarPage } from './pages/calendar-page';
import { signInAs } from './support/auth';
import { clearDay, insertAppointment, weekdayAfter } from './support/db';

/*
 * What a tour of today's calendar found (issue 14, item 7): the day grid covers working hours before
 * 07:00, times read 24-hour in both languages, the settings page's outside-hours list is grouped by date.
 */

const LIN = 'lin@clinic.test';
const zh = JSON.parse(readFileSync('messages/zh-TW.json', 'utf8')) as {
  calendar: { dayGrid: string; startTime: string; endTime: string; addUnavailability: string };
  calendarBook: { title: string; unavailable: string };
  settings: { startTime: string; endTime: string; addIntervalTo: string; outsideHoursTitle: string };
  weekdays: { thursday: string };
};
const TEXT = {
  en: {
    dayGrid: 'Day view',
    start: 'Start time',
    end: 'End time',
    add: 'Add unavailability',
    book: 'Book an appointment',
    unavailable: 'Unavailable',
    addTo: 'Add interval to Thursday',
    outside: 'Appointments outside hours',
  },
  'zh-TW': {
    dayGrid: zh.calendar.dayGrid,
    start: zh.calendar.startTime,
    end: zh.calendar.endTime,
    add: zh.calendar.addUnavailability,
    book: zh.calendarBook.title,
    unavailable: zh.calendarBook.unavailable,
    addTo: zh.settings.addIntervalTo.replace('{day}', zh.weekdays.thursday),
    outside: zh.settings.outsideHoursTitle,
  },
} as const;
const TWELVE_HOUR = /\b(AM|PM)\b|上午|下午/;

// Thursdays six and seven weeks out belong to this spec.
const thursday = weekdayAfter(4, 42);
const nextThursday = weekdayAfter(4, 49);
const EARLY_WEEK = { thursday: [{ start_time: '06:30', end_time: '12:00' }] };

async function setLinHours(request: APIRequestContext, id: number, week: unknown) {
  const res = await request.put(`/api/clinic/practitioners/${id}/availability/default?confirm=true`, { data: week });
  expect(res.status()).toBe(200);
}

async function setLocale(page: Page, locale: 'en' | 'zh-TW', baseURL: string) {
  await page.context().addCookies([{ name: 'locale', value: locale, url: baseURL }]);
}

test.describe('Calendar tour fixes', () => {
  let linId: number;
  let original: unknown;

  test.beforeEach(async ({ page }) => {
    await signInAs(page.request, LIN);
    linId = await new CalendarApi(page.request).practitionerId('Dr. Lin');
    original = await (await page.request.get(`/api/clinic/practitioners/${linId}/availability/default`)).json();
    for (const d of [thursday, nextThursday]) await clearDay(LIN, d);
    await setLinHours(page.request, linId, EARLY_WEEK);
  });

  test.afterEach(async ({ page }) => {
    for (const d of [thursday, nextThursday]) await clearDay(LIN, d);
    await setLinHours(page.request, linId, original);
  });

  test('hours from 06:30: the day grid opens at 06:00, 06:30 is a working slot and tapping it adds from 06:30', async ({ page, hasTouch }) => {
    const calendar = new CalendarPage(page, hasTouch);
    await calendar.gotoDay(linId, thursday);
    const grid = calendar.dayGrid();
    await expect(grid.locator('[data-time="06:30:00"]').first()).toBeAttached();
    expect(await grid.locator('[data-time]').first().getAttribute('data-time')).toBe('06:00:00');
    expect(await calendar.isGrayedAt('06:30')).toBe(false);
    expect(await calendar.isGrayedAt('06:00')).toBe(true);
    await calendar.tapTime('06:30');
    await calendar.chooseUnavailable();
    const sheet = calendar.sheet('Add unavailability');
    await expect(sheet.getByLabel('Start time')).toHaveValue('06:30');
    await expect(sheet.getByLabel('End time')).toHaveValue('07:30');
    await calendar.screenshot('early-hours');
  });

  for (const locale of ['en', 'zh-TW'] as const) {
    test(`${locale}: the grid's labels, event times and the time pickers read 24-hour`, async ({ page, hasTouch, baseURL }) => {
      const text = TEXT[locale];
      await setLocale(page, locale, baseURL!);
      await insertAppointment({ practitionerEmail: LIN, patient: '王先生', date: thursday, start: '14:00', end: '15:00' });
      await page.goto(`/calendar?practitioner=${linId}&date=${thursday}`);
      const grid = page.getByRole('region', { name: text.dayGrid });
      await expect(grid.locator(`[role="cell"][data-date="${thursday}"]`).first()).toBeVisible();

      // The axis: "14:00", never "2 PM" / "下午2點".
      await expect(grid.locator('[data-time="14:00:00"]').first()).toHaveText('14:00');
      await expect(grid.getByRole('button', { name: /^王先生/ })).toContainText('14:00');
      expect(await grid.innerText()).not.toMatch(TWELVE_HOUR);

      // The exception sheet's pickers: a text field that shows what it holds, 24-hour.
      const slot = grid.locator('[data-time="16:30:00"]').last();
      await slot.scrollIntoViewIfNeeded();
      const box = (await slot.boundingBox())!;
      if (hasTouch) await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
      else await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.getByRole('dialog', { name: text.book }).getByRole('button', { name: text.unavailable, exact: true }).click();
      const sheet = page.getByRole('dialog', { name: text.add });
      const start = sheet.getByLabel(text.start);
      await expect(start).toHaveValue('16:30');
      expect(await start.getAttribute('type')).toBe('text');
      await sheet.getByLabel(text.end).fill('17:45');
      await expect(sheet.getByLabel(text.end)).toHaveValue('17:45');
      expect(await sheet.getByLabel(text.end).evaluate((el: HTMLInputElement) => el.validity.valid)).toBe(true);
      await sheet.getByLabel(text.end).fill('5:45 PM');
      expect(await sheet.getByLabel(text.end).evaluate((el: HTMLInputElement) => el.validity.valid)).toBe(false);
      await page.screenshot({ path: test.info().outputPath(`pickers-${locale}.png`) });

      // The weekly hours' interval pickers.
      await page.goto('/settings/availability');
      await page.getByRole('button', { name: text.addTo }).click();
      const picker = page.getByRole('group', { name: text.addTo });
      await picker.getByLabel(text.start).fill('14:00');
      await expect(picker.getByLabel(text.start)).toHaveValue('14:00');
      expect(await picker.getByLabel(text.start).getAttribute('type')).toBe('text');
      expect(await picker.getByLabel(text.end).inputValue()).toBe('12:00');
      await page.screenshot({ path: test.info().outputPath(`interval-picker-${locale}.png`) });
    });
  }

  test('the outside-hours list is grouped by date, each date collapsible', async ({ page }) => {
    await insertAppointment({ practitionerEmail: LIN, patient: '王先生', date: thursday, start: '19:00', end: '20:00' });
    await insertAppointment({ practitionerEmail: LIN, patient: '陳小姐', date: thursday, start: '20:00', end: '21:00' });
    await insertAppointment({ practitionerEmail: LIN, patient: '王先生', date: nextThursday, start: '19:00', end: '20:00' });
    await page.goto('/settings/availability');
    const section = page.getByRole('region', { name: TEXT.en.outside });
    const groups = section.locator('details');
    // One group per date, each date once, in order.
    const dates = await groups.locator('summary').allInnerTexts();
    const keys = dates.map((d) => d.slice(0, 10));
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(keys);

    const first = groups.filter({ has: page.locator('summary', { hasText: thursday }) });
    await expect(first.locator('summary')).toHaveText(`${thursday} · 2 appointments`);
    // Rows of a closed group are hidden from the accessibility tree: counted as elements.
    const rows = first.locator('li');
    await expect(rows).toHaveCount(2);
    const summary = first.locator('summary');
    if ((await first.getAttribute('open')) === null) await summary.click();
    await expect(rows.first()).toBeVisible();
    await expect(rows).toContainText(['19:00-20:00 · 王先生', '20:00-21:00 · 陳小姐']);
    await summary.click();
    await expect(rows.first()).toBeHidden();
    await summary.click();
    await expect(rows.first()).toBeVisible();

    const second = groups.filter({ has: page.locator('summary', { hasText: nextThursday }) });
    await expect(second.locator('summary')).toHaveText(`${nextThursday} · 1 appointment`);
    // Only the nearest date starts open: the list stays short on a phone.
    await expect(second).not.toHaveAttribute('open');
    await expect(second.locator('li')).toBeHidden();
    await page.screenshot({ path: test.info().outputPath('outside-hours-grouped.png'), fullPage: true });
  });
});
