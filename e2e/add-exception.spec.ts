import { expect, test } from '@playwright/test';
import { addDays, CalendarApi, CalendarPage } from './pages/calendar-page';
import { signInAs } from './support/auth';
import { clearDay, insertAppointment, insertException, weekdayAfter } from './support/db';

const CHEN = 'chen@clinic.test';

test.describe('Add Exception Flow', () => {
  let chenId: number;
  let api: CalendarApi;
  let calendar: CalendarPage;
  // A Wednesday five weeks out, and the two days after it, belong to this spec.
  const wednesday = weekdayAfter(3, 35);

  test.beforeEach(async ({ page, hasTouch }) => {
    await signInAs(page.request, CHEN);
    api = new CalendarApi(page.request);
    chenId = await api.practitionerId('Dr. Chen');
    calendar = new CalendarPage(page, hasTouch);
    for (const d of [wednesday, addDays(wednesday, 1), addDays(wednesday, 2)]) await clearDay(CHEN, d);
  });

  test('tapping a free time opens the booking sheet, whose Unavailable tab has that hour; Save adds a red block (once, even on a double tap)', async () => {
    await calendar.gotoDay(chenId, wednesday);
    await calendar.tapTime('15:00');
    // The booking sheet opens first; its Unavailable tab hands over with the tapped hour.
    await calendar.chooseUnavailable();
    const sheet = calendar.sheet('Add unavailability');
    await expect(sheet.getByLabel('Start time')).toHaveValue('15:00');
    await expect(sheet.getByLabel('End time')).toHaveValue('16:00');
    await expect(sheet.getByLabel('All day')).not.toBeChecked();
    await calendar.screenshot('add-sheet');

    await sheet.getByRole('button', { name: 'Save', exact: true }).dblclick();
    await expect(sheet).toBeHidden();
    await expect(calendar.event('Unavailable 15:00 – 16:00')).toBeVisible();
    expect(await api.exceptions(chenId, wednesday)).toEqual(['15:00-16:00']);
  });

  test('the "+" button adds an all-day exception, shown across the top', async ({ page }) => {
    await calendar.gotoDay(chenId, wednesday);
    await calendar.addButton().click();
    await calendar.chooseUnavailable();
    const sheet = calendar.sheet('Add unavailability');
    await expect(sheet.getByLabel('Start time')).toHaveValue('09:00');
    await expect(sheet.getByLabel('End time')).toHaveValue('10:00');
    await sheet.getByLabel('All day').check();
    await expect(sheet.getByLabel('Start time')).toHaveCount(0);
    await sheet.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(sheet).toBeHidden();

    const allDay = calendar.event('Unavailable', { exact: true });
    await expect(allDay).toBeVisible();
    expect(await api.exceptions(chenId, wednesday)).toEqual(['all day']);
    // In the all-day row: above the first time slot of the grid.
    const firstSlot = (await calendar.dayGrid().locator('[data-time]').first().boundingBox())!;
    expect((await allDay.boundingBox())!.y).toBeLessThan(firstSlot.y);
    expect(await calendar.horizontalOverflow()).toBeLessThanOrEqual(0);
    await calendar.screenshot('all-day');
    await expect(page.getByRole('dialog')).toHaveCount(0);
  });

  test('an exception over an appointment warns; Cancel saves nothing, Save anyway marks it "Outside Hours"', async () => {
    await insertAppointment({ practitionerEmail: CHEN, patient: '陳小姐', date: wednesday, start: '10:00', end: '11:00' });
    await calendar.gotoDay(chenId, wednesday);
    const sheet = calendar.sheet('Add unavailability');

    await calendar.addButton().click();
    await calendar.chooseUnavailable();
    await sheet.getByLabel('Start time').fill('09:30');
    await sheet.getByLabel('End time').fill('10:30');
    await sheet.getByRole('button', { name: 'Save', exact: true }).click();
    const warning = sheet.getByRole('region', { name: 'This overlaps appointments' });
    await expect(warning.getByRole('listitem')).toHaveText(['10:00-11:00 陳小姐']);
    await calendar.screenshot('conflict-warning');
    await sheet.getByRole('button', { name: 'Cancel' }).click();
    await expect(sheet).toBeHidden();
    expect(await api.exceptions(chenId, wednesday)).toEqual([]);
    await expect(calendar.event(/^陳小姐 - 初診評估/)).not.toContainText('Outside Hours');

    await calendar.addButton().click();
    await calendar.chooseUnavailable();
    await sheet.getByLabel('Start time').fill('09:30');
    await sheet.getByLabel('End time').fill('10:30');
    await sheet.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(warning.getByRole('listitem')).toHaveText(['10:00-11:00 陳小姐']);
    await sheet.getByRole('button', { name: 'Save anyway' }).click();
    await expect(sheet).toBeHidden();
    await expect(calendar.event('Unavailable 09:30 – 10:30')).toBeVisible();
    await expect(calendar.event(/^陳小姐 - 初診評估/)).toContainText('Outside Hours');
    expect(await api.exceptions(chenId, wednesday)).toEqual(['09:30-10:30']);
    expect((await api.day(chenId, wednesday)).events.find((e) => e.type === 'appointment')?.outside_hours).toBe(true);
  });

  test('a start after the end is refused inline and nothing is sent', async ({ page }) => {
    await calendar.gotoDay(chenId, wednesday);
    await calendar.addButton().click();
    await calendar.chooseUnavailable();
    const sheet = calendar.sheet('Add unavailability');
    await sheet.getByLabel('Start time').fill('16:00');
    await sheet.getByLabel('End time').fill('15:00');
    await sheet.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(sheet.getByRole('alert')).toHaveText('The start time must be before the end time.');
    await expect(sheet).toBeVisible();
    expect(await api.exceptions(chenId, wednesday)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(sheet).toBeHidden();
  });

  test('tapping an exception edits its times; overlapping exceptions are allowed', async () => {
    await insertException({ practitionerEmail: CHEN, date: wednesday, start: '13:00', end: '14:00' });
    await insertException({ practitionerEmail: CHEN, date: wednesday, start: '13:30', end: '15:00' });
    await calendar.gotoDay(chenId, wednesday);
    await calendar.tapEvent('Unavailable 13:00 – 14:00');
    const sheet = calendar.sheet('Edit unavailability');
    await expect(sheet.getByLabel('Start time')).toHaveValue('13:00');
    await expect(sheet.getByLabel('End time')).toHaveValue('14:00');
    await calendar.screenshot('edit-sheet');
    await sheet.getByLabel('End time').fill('15:30');
    await sheet.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(sheet).toBeHidden();
    await expect(calendar.event('Unavailable 13:00 – 15:30')).toBeVisible();
    await expect(calendar.event('Unavailable 13:30 – 15:00')).toBeVisible();
    expect(await api.exceptions(chenId, wednesday)).toEqual(['13:00-15:30', '13:30-15:00']);
  });

  test('deleting an exception removes its block', async () => {
    await insertException({ practitionerEmail: CHEN, date: wednesday, start: '16:00', end: '17:00' });
    await insertException({ practitionerEmail: CHEN, date: wednesday, start: null, end: null });
    await calendar.gotoDay(chenId, wednesday);
    await calendar.tapEvent('Unavailable', { exact: true });
    const sheet = calendar.sheet('Edit unavailability');
    await expect(sheet.getByLabel('All day')).toBeChecked();
    await sheet.getByRole('button', { name: 'Delete' }).click();
    await expect(sheet).toBeHidden();
    await expect(calendar.event('Unavailable', { exact: true })).toHaveCount(0);
    await expect(calendar.event('Unavailable 16:00 – 17:00')).toBeVisible();
    expect(await api.exceptions(chenId, wednesday)).toEqual(['16:00-17:00']);
  });

  test('clearing unavailability in a date range', async ({ page }) => {
    const thursday = addDays(wednesday, 1);
    const friday = addDays(wednesday, 2);
    await insertException({ practitionerEmail: CHEN, date: wednesday, start: '09:00', end: '10:00' });
    await insertException({ practitionerEmail: CHEN, date: wednesday, start: null, end: null });
    await insertException({ practitionerEmail: CHEN, date: thursday, start: '15:00', end: '16:00' });
    await insertException({ practitionerEmail: CHEN, date: friday, start: '11:00', end: '12:00' });
    const month = wednesday.slice(0, 7);
    await calendar.gotoMonth(chenId, month);
    await calendar.clearButton().click();
    const sheet = calendar.sheet('Clear unavailability');
    await expect(sheet.getByLabel('From')).toHaveValue(`${month}-01`);
    await expect(sheet.getByLabel('To')).toHaveValue(
      new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 0)).toISOString().slice(0, 10),
    );
    await sheet.getByLabel('From').fill(wednesday);
    await sheet.getByLabel('To').fill(thursday);
    await calendar.screenshot('clear-sheet');
    await sheet.getByRole('button', { name: 'Clear', exact: true }).click();
    await expect(sheet.getByRole('status')).toHaveText('Cleared 3 unavailable periods.');
    expect(await api.exceptions(chenId, wednesday)).toEqual([]);
    expect(await api.exceptions(chenId, thursday)).toEqual([]);
    expect(await api.exceptions(chenId, friday)).toEqual(['11:00-12:00']);
    await sheet.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
  });
});
