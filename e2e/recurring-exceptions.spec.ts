import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { addDays, CalendarApi, CalendarPage } from './pages/calendar-page';
import { WeekTeamPage } from './pages/week-team-page';
import { signInAs } from './support/auth';
import { clearDay, weekdayAfter, withDb } from './support/db';

const CHEN = 'chen@clinic.test';

/** Dr. Chen's repeating exceptions and their occurrences edited on their own: none left behind. */
async function removeSeries(): Promise<void> {
  await withDb(async (db) => {
    const mine = `SELECT e.id FROM calendar_events e JOIN users u ON u.id = e.user_id WHERE u.email = $1`;
    // Edited occurrences first (no cascade from their series, on purpose), then the series.
    await db.query(
      `DELETE FROM calendar_events WHERE id IN (SELECT calendar_event_id FROM availability_exceptions WHERE recurring_parent_id IS NOT NULL) AND id IN (${mine})`,
      [CHEN],
    );
    await db.query(
      `DELETE FROM calendar_events WHERE id IN (SELECT calendar_event_id FROM availability_exceptions WHERE rrule IS NOT NULL) AND id IN (${mine})`,
      [CHEN],
    );
  });
}

/** axe on the open sheet: no serious or critical finding (as e2e/accessibility.spec.ts). */
async function expectAccessible(page: Page, what: string) {
  await page.waitForTimeout(600); // the sheet's slide-in, so axe sees it in place
  const { violations } = await new AxeBuilder({ page }).analyze();
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect
    .soft(
      blocking.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      what,
    )
    .toEqual([]);
}

test.describe('Recurring exceptions', () => {
  let chenId: number;
  let api: CalendarApi;
  let calendar: CalendarPage;
  // This spec's days: a Wednesday 169-175 days ahead and the next one (176-182 days ahead).
  const first = weekdayAfter(3, 169);
  const second = addDays(first, 7);
  const endOfYear = `${first.slice(0, 4)}-12-31`;
  const endWords = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${endOfYear}T00:00:00Z`),
  );
  const block = new RegExp(`^Unavailable ↻ Every week on Wed, until ${endWords.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

  test.beforeEach(async ({ page, hasTouch }) => {
    await signInAs(page.request, CHEN);
    api = new CalendarApi(page.request);
    chenId = await api.practitionerId('Dr. Chen');
    calendar = new CalendarPage(page, hasTouch);
    await removeSeries();
    for (const d of [first, second]) await clearDay(CHEN, d);
  });
  // The series reaches past this spec's days: it never outlives the test, passed or failed.
  test.afterEach(removeSeries);

  const marked = async (month: string) => {
    await calendar.gotoMonth(chenId, month);
    const labels = await calendar.dayLabels();
    return Object.keys(labels).filter((d) => d.startsWith(month) && labels[d]!.endsWith('with unavailable time'));
  };

  test('every Wednesday 14:00-18:00 until the end of the year: month and day views show it; one occurrence deleted, then the series', async ({
    page,
    hasTouch,
  }) => {
    await calendar.gotoDay(chenId, first);
    await calendar.tapTime('14:00');
    await calendar.chooseUnavailable();
    const sheet = calendar.sheet('Add unavailability');
    await sheet.getByLabel('End time').fill('18:00');
    await sheet.getByLabel('Repeat').selectOption('weekly');
    // The day's own weekday is chosen at first.
    await expect(sheet.getByRole('button', { name: 'Wednesday' })).toHaveAttribute('aria-pressed', 'true');
    await expect(sheet.getByRole('button', { name: 'Tuesday' })).toHaveAttribute('aria-pressed', 'false');
    await sheet.getByLabel('Ends').selectOption('until');
    await sheet.getByLabel('End date').fill(endOfYear);
    expect(await calendar.horizontalOverflow()).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'repeat choices');
    await calendar.screenshot('repeat-sheet');
    await sheet.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(sheet).toBeHidden();
    await expect(calendar.event(block)).toBeVisible();
    expect(await api.exceptions(chenId, first)).toEqual(['14:00-18:00']);
    // The week (three days on a phone) shows it too.
    const views = new WeekTeamPage(page, hasTouch);
    await views.gotoWeek(chenId, first);
    await expect(views.weekGrid().getByRole('button', { name: block })).toHaveCount(1);

    // Every Wednesday of the month from the first on is marked, and nothing else.
    const wednesdays = (month: string) => {
      const out: string[] = [];
      for (let d = `${month}-01`; d.startsWith(month); d = addDays(d, 1)) if (d >= first && new Date(`${d}T00:00:00Z`).getUTCDay() === 3) out.push(d);
      return out;
    };
    expect(await marked(first.slice(0, 7))).toEqual(wednesdays(first.slice(0, 7)));
    await calendar.screenshot('month-marked');

    // The next Wednesday has its occurrence; delete this one only.
    await calendar.gotoDay(chenId, second);
    await calendar.tapEvent(block);
    const edit = calendar.sheet('Edit unavailability');
    await expect(edit.getByLabel('Repeat')).toHaveValue('weekly');
    await edit.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(edit.getByRole('button', { name: 'This and following events' })).toBeVisible();
    await expectAccessible(page, 'which events');
    await calendar.screenshot('delete-which');
    await edit.getByRole('button', { name: 'This event', exact: true }).click();
    await expect(edit).toBeHidden();
    await expect(calendar.event(block)).toHaveCount(0);
    expect(await api.exceptions(chenId, second)).toEqual([]);
    expect(await api.exceptions(chenId, addDays(second, 7))).toEqual(['14:00-18:00']);
    expect(await marked(second.slice(0, 7))).not.toContain(second);

    // The first Wednesday keeps its own; "All events" deletes the series.
    await calendar.gotoDay(chenId, first);
    await calendar.tapEvent(block);
    await edit.getByRole('button', { name: 'Delete', exact: true }).click();
    await edit.getByRole('button', { name: 'All events' }).click();
    await expect(edit).toBeHidden();
    await expect(calendar.event(block)).toHaveCount(0);
    for (const d of [first, addDays(second, 7), addDays(second, 14)]) expect(await api.exceptions(chenId, d)).toEqual([]);
    expect(await marked(first.slice(0, 7))).toEqual([]);
  });
});
