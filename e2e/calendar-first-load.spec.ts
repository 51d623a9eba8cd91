import { expect, test, type Browser, type Page } from '@playwright/test';
import { CalendarApi, CalendarPage, monthLabel } from './pages/calendar-page';
import { signInAs } from './support/auth';
import { clinicToday } from './support/db';

// The month view as a phone on 4G first gets it: the server's HTML already holds the grid and its
// counts, the browser keeps that drawing without loading FullCalendar, and the web font's rules are
// not in the stylesheet that holds back the first paint. Behaviour only: sizes and timings are the
// bench's (npm run bench).

const CHEN = 'chen@clinic.test';
/** A string of FullCalendar's month view code (its view definition): in no script of our own. */
const FULLCALENDAR_MONTH_CODE = 'dayGridMonth';

/** A signed-in page of its own, with or without JavaScript, in English or Chinese. */
async function openPage(browser: Browser, baseURL: string, options: { javaScript: boolean; locale?: 'en' | 'zh-TW' }): Promise<Page> {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: options.javaScript, timezoneId: 'Asia/Taipei' });
  if (options.locale) await context.addCookies([{ name: 'locale', value: options.locale, url: baseURL }]);
  await signInAs(context.request, CHEN);
  return context.newPage();
}

test.describe('The month view on first load', () => {
  let chenId: number;

  test.beforeEach(async ({ page }) => {
    await signInAs(page.request, CHEN);
    chenId = await new CalendarApi(page.request).practitionerId('Dr. Chen');
  });

  test("the server's page holds every day with its count: shown without JavaScript", async ({ browser, baseURL, page, hasTouch }) => {
    const month = clinicToday().slice(0, 7);
    const counts = await new CalendarApi(page.request).monthCounts(chenId, month);
    const texts = await new CalendarApi(page.request).monthDayTexts(chenId, month);
    const noScript = await openPage(browser, baseURL!, { javaScript: false });
    const calendar = new CalendarPage(noScript, hasTouch);
    await calendar.gotoMonth(chenId, month);
    await expect(calendar.heading()).toContainText(monthLabel(month));
    const labels = await calendar.dayLabels();
    const shown = Object.fromEntries(Object.keys(counts).map((date) => [date, labels[date]?.replace(/^.*: /, '')]));
    expect(shown).toEqual(texts);
    for (const [date, n] of Object.entries(counts)) {
      if (n > 0) await expect(calendar.dayLink(date)).toHaveText(`${Number(date.slice(8))}${n}`);
    }
    await expect(calendar.todayCell()).toHaveAttribute('data-date', clinicToday());
    await noScript.context().close();
  });

  test("the grid works without FullCalendar's code, which loads only for a month the browser draws", async ({ page, hasTouch }) => {
    const scripts: string[] = [];
    page.on('response', async (response) => {
      if (response.request().resourceType() === 'script') scripts.push(await response.text().catch(() => ''));
    });
    const month = clinicToday().slice(0, 7);
    const calendar = new CalendarPage(page, hasTouch);
    await calendar.gotoMonth(chenId, month);
    await page.waitForLoadState('networkidle');
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((s) => s.includes(FULLCALENDAR_MONTH_CODE))).toEqual([]);

    // The server's drawing answers keys and taps: the day's link, then the day's cell, open the day.
    const day = `${month}-15`;
    await calendar.dayLink(day).focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`date=${day}$`));
    await calendar.gotoMonth(chenId, month);
    await calendar.tapDay(day);
    await expect(page).toHaveURL(new RegExp(`date=${day}$`));

    // A month reached in the browser is drawn there: FullCalendar comes now, with the same counts.
    const scriptsBefore = scripts.length;
    await calendar.gotoMonth(chenId, month);
    await calendar.nextMonth().click();
    const next = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 1)).toISOString().slice(0, 7);
    await expect(page).toHaveURL(new RegExp(`month=${next}$`));
    await expect(calendar.dayCell(`${next}-15`)).toBeVisible();
    await expect.poll(() => scripts.slice(scriptsBefore).some((s) => s.includes(FULLCALENDAR_MONTH_CODE))).toBe(true);
    const texts = await new CalendarApi(page.request).monthDayTexts(chenId, next);
    const labels = await calendar.dayLabels();
    expect(Object.fromEntries(Object.keys(texts).map((date) => [date, labels[date]?.replace(/^.*: /, '')]))).toEqual(texts);
  });

  test("Noto Sans TC's @font-face rules are in no render-blocking stylesheet; Chinese text gets it after the first paint", async ({
    browser,
    baseURL,
    page,
  }) => {
    const html = await (await page.request.get(`/calendar?practitioner=${chenId}`)).text();
    const head = html.slice(0, html.indexOf('</head>'));
    const blocking = [...head.matchAll(/<link[^>]*rel="stylesheet"[^>]*>/g)].map((m) => m[0].match(/href="([^"]+)"/)![1]!);
    expect(blocking.length).toBeGreaterThan(0);
    for (const href of blocking) {
      const css = await (await page.request.get(href)).text();
      expect(css, href).not.toContain('@font-face');
      expect(css, href).toContain('--color-appointment');
    }

    const zh = await openPage(browser, baseURL!, { javaScript: true, locale: 'zh-TW' });
    await zh.goto(`/calendar?practitioner=${chenId}`);
    await expect(zh.getByRole('heading', { level: 1 })).toContainText('Dr. Chen 的行程');
    // Loaded later, as a stylesheet of its own: only the weights in use, each shown with font-display: swap.
    await expect.poll(() => zh.evaluate(() => document.fonts.load('16px "Noto Sans TC"', '行程').then((faces) => faces.length))).toBeGreaterThan(0);
    expect(await zh.evaluate(() => document.fonts.check('16px "Noto Sans TC"', '行程'))).toBe(true);
    const faces = await zh.evaluate(() =>
      [...document.fonts].filter((f) => f.family.includes('Noto Sans TC')).map((f) => ({ weight: f.weight, display: f.display })),
    );
    expect(faces.length).toBeGreaterThan(0);
    expect(new Set(faces.map((f) => f.display))).toEqual(new Set(['swap']));
    expect(new Set(faces.map((f) => f.weight))).toEqual(new Set(['400', '500']));
    await zh.context().close();
  });
});
