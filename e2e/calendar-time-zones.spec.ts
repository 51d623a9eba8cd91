import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { CalendarApi, CalendarPage } from './pages/calendar-page';
import { signInAs } from './support/auth';
import { clearDay, clinicToday, insertAppointment, weekdayAfter } from './support/db';

// The clinic is in Taipei; this server runs 14 hours ahead of UTC and the browser 5 hours behind it,
// so all three disagree on the hour and often on the date. The calendar's server-drawn HTML must
// still be what the browser renders: no hydration error, the clinic's today marked, taps working.

const CHEN = 'chen@clinic.test';
const PORT = Number(process.env.E2E_PORT ?? 3100) + 7;
const SERVER_TZ = 'Pacific/Kiritimati';
const BROWSER_TZ = 'America/New_York';

test.use({ baseURL: `http://localhost:${PORT}`, timezoneId: BROWSER_TZ });

let server: ChildProcess | undefined;

test.beforeAll(async ({}, testInfo) => {
  // One device is enough here (the desktop project ignores this spec): the time zones are the point, not the screen.
  testInfo.setTimeout(120_000);
  // The same build and database as the main server under test, in another time zone.
  server = spawn('npx', ['next', 'start', '-p', String(PORT)], {
    env: {
      ...process.env,
      TZ: SERVER_TZ,
      DATABASE_URL: process.env.E2E_DATABASE_URL,
      AUTH_SECRET: 'e2e-time-zones-0123456789abcdef0123456789abcdef',
      AUTH_TRUST_HOST: 'true',
      AUTH_DEV_LOGIN: 'true',
      NEXT_TELEMETRY_DISABLED: '1',
    },
    detached: true,
    stdio: 'ignore',
  });
  await expect
    .poll(
      async () => {
        try {
          return (await fetch(`http://localhost:${PORT}/api/health`)).status;
        } catch {
          return 0;
        }
      },
      { timeout: 90_000 },
    )
    .toBe(200);
});

test.afterAll(() => {
  if (server?.pid) process.kill(-server.pid, 'SIGTERM');
});

/** The calendar page object, its regions found by their names in the page's language. */
class LocalizedCalendarPage extends CalendarPage {
  constructor(
    private readonly tab: Page,
    touch: boolean,
    private readonly names: { month: string; day: string },
  ) {
    super(tab, touch);
  }
  override monthGrid() {
    return this.tab.getByRole('region', { name: this.names.month });
  }
  override dayGrid() {
    return this.tab.getByRole('region', { name: this.names.day });
  }
}
const zh = JSON.parse(readFileSync('messages/zh-TW.json', 'utf8')) as { calendar: { monthGrid: string; dayGrid: string } };
const REGIONS = { en: { month: 'Month view', day: 'Day view' }, 'zh-TW': { month: zh.calendar.monthGrid, day: zh.calendar.dayGrid } };

/** Every error the page reports: React's hydration errors are page errors or console errors. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // The missing favicon is not ours to judge here.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  return errors;
}

for (const locale of ['en', 'zh-TW'] as const) {
  test(`${locale}: the month and day views hydrate in a browser in another time zone than the server's and the clinic's`, async ({
    page,
    hasTouch,
    baseURL,
  }) => {
    const wednesday = weekdayAfter(3, 35);
    await clearDay(CHEN, wednesday);
    await insertAppointment({ practitionerEmail: CHEN, patient: '陳小姐', date: wednesday, start: '10:00', end: '11:00' });
    await page.context().addCookies([{ name: 'locale', value: locale, url: baseURL! }]);
    await signInAs(page.request, CHEN);
    const api = new CalendarApi(page.request);
    const chenId = await api.practitionerId('Dr. Chen');
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe(BROWSER_TZ);
    const errors = collectErrors(page);
    const calendar = new LocalizedCalendarPage(page, hasTouch, REGIONS[locale]);

    const today = clinicToday();
    await calendar.gotoMonth(chenId, today.slice(0, 7));
    await page.waitForLoadState('networkidle');
    await expect(calendar.todayCell()).toHaveAttribute('data-date', today);
    const counts = await api.monthCounts(chenId, today.slice(0, 7));
    const texts = await api.monthDayTexts(chenId, today.slice(0, 7));
    const labels = await calendar.dayLabels();
    if (locale === 'en') {
      expect(Object.fromEntries(Object.keys(texts).map((d) => [d, labels[d]?.replace(/^.*: /, '')]))).toEqual(texts);
    } else {
      for (const [d, n] of Object.entries(counts)) expect(labels[d]).toContain(n === 0 ? '沒有預約' : `${n} 個預約`);
    }

    // Hydrated: a tap on the server's drawing opens the day, whose grid the browser draws.
    await calendar.gotoMonth(chenId, wednesday.slice(0, 7));
    await calendar.tapDay(wednesday);
    await expect(page).toHaveURL(new RegExp(`date=${wednesday}$`));
    await calendar.waitForDay(wednesday);
    await expect(calendar.event(/^陳小姐/)).toHaveAccessibleName(/10:00\D+11:00/);
    // The day view loaded on its own, too.
    await calendar.gotoDay(chenId, wednesday);
    await expect(calendar.event(/^陳小姐/)).toBeVisible();
    await page.waitForLoadState('networkidle');
    expect(errors).toEqual([]);
  });
}
