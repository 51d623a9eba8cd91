import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { AvailabilitySettingsPage } from './pages/availability-settings-page';
import { signInAs } from './support/auth';
import { insertAppointment, insertException, ownPractitioner, weekdayAfter, withDb } from './support/db';

/*
 * Issue 16 item 4 on the availability settings page: "Copy hours from…" a colleague (with the
 * weekly hours' own warning), and the suggestion that turns an exception blocked on the same
 * weekday and hours three times into one weekly series.
 *
 * Its own practitioner, Dr. Ho, made by this spec and deactivated after (his calendar emptied), so
 * no other spec's hours or dates move; days from 211 on belong to this spec.
 */

const CHEN = 'chen@clinic.test';
const HO = 'ho.bulk-schedule@clinic.test';
const monday = weekdayAfter(1, 211);
const wednesdays = [0, 7, 14].map((n) => addDays(weekdayAfter(3, 211), n));
const fridays = [0, 7, 14].map((n) => addDays(weekdayAfter(5, 211), n));

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Dr. Ho's calendar emptied, his week Monday to Friday 09:00-17:00. */
const resetHo = () =>
  ownPractitioner({
    email: HO,
    name: 'Dr. Ho',
    colleague: CHEN,
    hours: [1, 2, 3, 4, 5].map((dow) => ({ dow, start: '09:00', end: '17:00' })),
    clearCalendar: true,
  });

async function hoExceptions(id: number) {
  return withDb(async (db) => {
    const { rows } = await db.query<{ date: string; start: string | null; end: string | null; rrule: string | null }>(
      `SELECT to_char(e.date, 'YYYY-MM-DD') AS date, to_char(e.start_time, 'HH24:MI') AS start, to_char(e.end_time, 'HH24:MI') AS end, x.rrule
         FROM availability_exceptions x JOIN calendar_events e ON e.id = x.calendar_event_id
        WHERE e.user_id = $1 ORDER BY e.date`,
      [id],
    );
    return rows;
  });
}

const zh = JSON.parse(readFileSync('messages/zh-TW.json', 'utf8')) as { scheduleCopy: { open: string }; repeatSuggestion: { repeat: string } };

/** axe on the page as it is now: no serious or critical finding. */
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

async function openSettings(page: Page): Promise<AvailabilitySettingsPage> {
  await signInAs(page.request, HO);
  const settings = new AvailabilitySettingsPage(page);
  await settings.goto();
  return settings;
}

test.describe('Bulk schedule: copy hours, repeat a habit', () => {
  let hoId: number;

  test.beforeEach(async () => {
    hoId = await resetHo();
  });

  test.afterAll(async () => {
    await resetHo();
    await withDb((db) => db.query(`UPDATE users SET deactivated_at = now() WHERE email = $1`, [HO]));
  });

  test("copies a colleague's hours: appointments left outside ask first, then stay booked, outside hours", async ({ page }) => {
    await insertAppointment({ practitionerEmail: HO, patient: '陳小姐', date: monday, start: '10:00', end: '11:00' });
    const settings = await openSettings(page);
    expect(await settings.intervals('Monday')).toEqual(['09:00 - 17:00']);

    await page.getByRole('button', { name: 'Copy hours from…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Copy hours from a colleague' });
    await dialog.getByLabel('Colleague').selectOption({ label: 'Dr. Lin' });
    await expectAccessible(page, 'the copy dialog');
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();

    // Dr. Lin starts at 13:00 on Mondays: the 10:00 appointment would be outside.
    const warning = page.getByRole('dialog', { name: 'Some appointments will be outside your new working hours' });
    await expect(warning.getByRole('listitem').filter({ hasText: `${monday} · 10:00-11:00 · 陳小姐` })).toBeVisible();
    await expect(warning.getByText('Copying from Dr. Lin')).toBeVisible();
    await expectAccessible(page, "the copy's warning");
    await warning.getByRole('button', { name: 'Copy anyway' }).click();
    await expect(warning).toBeHidden();
    await settings.expectSaved();
    expect(await settings.intervals('Monday')).toEqual(['13:00 - 21:00']);
    expect(await settings.intervals('Wednesday')).toEqual([]);
    await expect(settings.outsideHoursRows(monday, '10:00-11:00 · 陳小姐')).toBeAttached();

    // Saved, not only shown: the page drawn anew has Dr. Lin's week.
    await page.reload();
    expect(await settings.intervals('Monday')).toEqual(['13:00 - 21:00']);
    expect(await settings.intervals('Saturday')).toEqual(['09:00 - 13:00']);
  });

  test('suggests repeating a weekday blocked three times, and makes it one weekly exception', async ({ page }) => {
    for (const date of wednesdays) await insertException({ practitionerEmail: HO, date, start: '14:00', end: '16:00' });
    await openSettings(page);
    const suggestion = page.getByRole('region', { name: 'Suggestion' });
    await expect(suggestion).toContainText('You blocked Wednesdays 14:00–16:00 3 times. Make it repeat every week?');
    await expectAccessible(page, 'the settings page with a suggestion');
    await suggestion.getByRole('button', { name: 'Repeat every week' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'It now repeats every week.' })).toBeVisible();
    await expect(suggestion).toHaveCount(0);

    // One weekly series from the first of them; the three single exceptions are gone.
    expect(await hoExceptions(hoId)).toEqual([{ date: wednesdays[0], start: '14:00', end: '16:00', rrule: 'FREQ=WEEKLY;BYDAY=WE' }]);
  });

  test('"Not now" puts a suggestion away, also after a reload; the others stay', async ({ page }) => {
    for (const date of fridays) await insertException({ practitionerEmail: HO, date, start: null, end: null });
    for (const date of wednesdays) await insertException({ practitionerEmail: HO, date, start: '14:00', end: '16:00' });
    const settings = await openSettings(page);
    const fridayHabit = page.getByRole('region', { name: 'Suggestion' }).filter({ hasText: 'Fridays all day 3 times' });
    const wednesdayHabit = page.getByRole('region', { name: 'Suggestion' }).filter({ hasText: 'Wednesdays 14:00–16:00 3 times' });
    await expect(fridayHabit).toBeVisible();
    await fridayHabit.getByRole('button', { name: 'Not now' }).click();
    await expect(fridayHabit).toHaveCount(0);
    await expect(wednesdayHabit).toBeVisible();
    await settings.goto();
    // Drawn again (the Wednesday card shows once the page is live), without the Friday one.
    await expect(wednesdayHabit).toBeVisible();
    await expect(fridayHabit).toHaveCount(0);
    // Nothing changed in the calendar: the six single exceptions are still there.
    expect(await hoExceptions(hoId)).toHaveLength(6);
  });

  test('speaks zh-TW: the suggestion and the copy control', async ({ page }) => {
    for (const date of wednesdays) await insertException({ practitionerEmail: HO, date, start: '14:00', end: '16:00' });
    await page.context().addCookies([{ name: 'locale', value: 'zh-TW', url: test.info().project.use.baseURL! }]);
    await signInAs(page.request, HO);
    await page.goto('/settings/availability');
    await expect(page.getByRole('button', { name: zh.scheduleCopy.open })).toBeVisible();
    await expect(page.getByText('你已經 3 次把星期三 14:00–16:00 設為不可預約。要改成每週重複嗎？')).toBeVisible();
    await expect(page.getByRole('button', { name: zh.repeatSuggestion.repeat })).toBeVisible();
    await expectAccessible(page, 'the settings page in zh-TW');
  });
});
