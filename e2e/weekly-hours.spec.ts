import { expect, test, type APIRequestContext } from '@playwright/test';
import { AvailabilitySettingsPage } from './pages/availability-settings-page';
import { signInAs } from './support/auth';
import { clearAppointments, insertAppointment, nextMondayAfterAWeek } from './support/db';

const LIN = 'lin@clinic.test';
const MONDAY_ONLY = { monday: [{ start_time: '09:00', end_time: '12:00' }] };

async function linId(request: APIRequestContext): Promise<number> {
  const list: Array<{ id: number; name: string }> = await (await request.get('/api/clinic/practitioners')).json();
  return list.find((p) => p.name === 'Dr. Lin')!.id;
}

async function weekOf(request: APIRequestContext, id: number) {
  return (await request.get(`/api/clinic/practitioners/${id}/availability/default`)).json();
}

test.describe('Default Schedule Management', () => {
  let id: number;
  let monday: string;
  // Dr. Lin's week as the run found it: put back after each test, so that later specs (the other
  // device's project runs after this one) see the demo hours, not Monday mornings only.
  let original: Record<string, unknown> | undefined;

  test.beforeEach(async ({ page }) => {
    await signInAs(page.request, LIN);
    id = await linId(page.request);
    monday = nextMondayAfterAWeek();
    original ??= await weekOf(page.request, id);
    await clearAppointments(LIN, monday);
    const reset = await page.request.put(`/api/clinic/practitioners/${id}/availability/default?confirm=true`, { data: MONDAY_ONLY });
    expect(reset.status()).toBe(200);
  });

  test.afterEach(async ({ page }) => {
    await signInAs(page.request, LIN);
    const restore = await page.request.put(`/api/clinic/practitioners/${id}/availability/default?confirm=true`, { data: original });
    expect(restore.status()).toBe(200);
  });

  test('adding and removing intervals saves automatically', async ({ page }) => {
    const settings = new AvailabilitySettingsPage(page);
    await settings.goto();
    expect(await settings.intervals('Monday')).toEqual(['09:00 - 12:00']);

    await settings.addInterval('Monday', '14:00', '18:00');
    await expect.poll(() => settings.intervals('Monday')).toEqual(['09:00 - 12:00', '14:00 - 18:00']);
    await settings.expectSaved();
    expect((await weekOf(page.request, id)).monday).toEqual([
      { start_time: '09:00', end_time: '12:00' },
      { start_time: '14:00', end_time: '18:00' },
    ]);

    await settings.removeInterval('Monday', '09:00', '12:00');
    await expect.poll(async () => (await weekOf(page.request, id)).monday).toEqual([{ start_time: '14:00', end_time: '18:00' }]);
    await page.reload();
    expect(await settings.intervals('Monday')).toEqual(['14:00 - 18:00']);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  });

  test('an overlapping interval is refused inline and nothing is sent', async ({ page }) => {
    const settings = new AvailabilitySettingsPage(page);
    await settings.goto();
    await settings.addInterval('Monday', '10:00', '13:00');
    await expect(settings.day('Monday').getByRole('alert')).toHaveText('10:00 - 13:00 overlaps 09:00 - 12:00.');
    await settings.day('Monday').getByLabel('End time').fill('08:00');
    await settings.day('Monday').getByRole('button', { name: 'Add', exact: true }).click();
    await expect(settings.day('Monday').getByRole('alert')).toHaveText('The start time must be before the end time.');
    expect(await settings.intervals('Monday')).toEqual(['09:00 - 12:00']);
    expect(await weekOf(page.request, id)).toMatchObject({ ...MONDAY_ONLY, tuesday: [] });
  });

  test('copying one day to other weekdays in one step', async ({ page }) => {
    const settings = new AvailabilitySettingsPage(page);
    await settings.goto();
    await settings.copyDay('Monday', ['Wednesday', 'Friday']);
    await expect
      .poll(async () => {
        const week = await weekOf(page.request, id);
        return [week.monday, week.wednesday, week.friday, week.tuesday];
      })
      .toEqual([MONDAY_ONLY.monday, MONDAY_ONLY.monday, MONDAY_ONLY.monday, []]);
    expect(await settings.intervals('Friday')).toEqual(['09:00 - 12:00']);
  });

  test('removing hours that hold an appointment warns, cancel keeps them, confirm saves and marks it outside hours', async ({ page }) => {
    await insertAppointment({ practitionerEmail: LIN, patient: '王先生', date: monday, start: '10:00', end: '11:00' });
    const line = `${monday} · 10:00-11:00 · 王先生`;
    const settings = new AvailabilitySettingsPage(page);
    await settings.goto();
    // Reset to Monday mornings only, Dr. Lin's demo appointments are outside hours; ours is not.
    const ours = settings.outsideHoursRows(monday, '10:00-11:00 · 王先生');
    await expect(ours).toHaveCount(0);

    await settings.removeInterval('Monday', '09:00', '12:00');
    await expect(settings.warningDialog()).toBeVisible();
    await expect(settings.warningDialog().getByRole('listitem')).toHaveText([line]);
    await settings.warningDialog().getByRole('button', { name: 'Cancel' }).click();
    await expect(settings.warningDialog()).toBeHidden();
    expect(await settings.intervals('Monday')).toEqual(['09:00 - 12:00']);
    expect((await weekOf(page.request, id)).monday).toEqual(MONDAY_ONLY.monday);

    await settings.removeInterval('Monday', '09:00', '12:00');
    await settings.warningDialog().getByRole('button', { name: 'Save anyway' }).click();
    await settings.expectSaved();
    expect((await weekOf(page.request, id)).monday).toEqual([]);
    await expect(ours).toHaveCount(1);
    await expect(ours).toContainText('Outside Hours');
    await page.screenshot({ path: test.info().outputPath('outside-hours.png'), fullPage: true });
  });

  test('a colleague sees the hours read-only', async ({ page }) => {
    await signInAs(page.request, 'chen@clinic.test');
    const settings = new AvailabilitySettingsPage(page);
    await settings.goto(id);
    expect(await settings.intervals('Monday')).toEqual(['09:00 - 12:00']);
    await expect(page.getByText('Only Dr. Lin or a clinic admin can change these hours.')).toBeVisible();
    await expect(page.getByRole('button', { name: /Add interval/ })).toHaveCount(0);
  });
});
