import { expect, test, type Locator, type Page } from '@playwright/test';
import { CalendarApi, CalendarPage } from './pages/calendar-page';
import { appointmentRow, changeNoticesTo, moveDialog } from './pages/move-sheet';
import { WeekTeamPage } from './pages/week-team-page';
import { signInAs } from './support/auth';
import { clearDay, insertAppointment, outboxJobsFor, weekdayAfter } from './support/db';

// Dragging an appointment in the desktop day grid (a mouse; phones move through the sheet, so the
// config runs this spec in the desktop project only). A Wednesday 126-132 days out and one 133-139 days out belong to it.
const CHEN = 'chen@clinic.test';

/** Drags an event block by its top edge so that its start lands on the grid's row at `time`. */
async function dragTo(page: Page, grid: Locator, block: Locator, time: string) {
  const row = grid.locator(`[data-time="${time}:00"]`).last();
  await block.scrollIntoViewIfNeeded();
  // The block near the top of the window, so that the row it goes to is on screen too.
  await page.evaluate((y) => window.scrollBy(0, y), (await block.boundingBox())!.y - 120);
  const from = (await block.boundingBox())!;
  const to = (await row.boundingBox())!;
  expect(to.y + to.height, 'the target row is on screen').toBeLessThan(page.viewportSize()!.height);
  await page.mouse.move(from.x + from.width / 2, from.y + 6);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2, from.y + 20, { steps: 4 });
  await page.mouse.move(from.x + from.width / 2, to.y + 6, { steps: 12 });
  await page.mouse.up();
}

test.describe('Drag an appointment in the day grid', () => {
  test('drag to a free time, confirm: it moved (database and grid) and the patient got one LINE change notice; Cancel puts it back', async ({
    page,
    hasTouch,
  }) => {
    await signInAs(page.request, CHEN);
    const api = new CalendarApi(page.request);
    const calendar = new CalendarPage(page, hasTouch);
    const chenId = await api.practitionerId('Dr. Chen');
    const wednesday = weekdayAfter(3, 126);
    await clearDay(CHEN, wednesday);
    const id = await insertAppointment({ practitionerEmail: CHEN, patient: '陳小姐', date: wednesday, start: '09:00', end: '10:00' });

    await calendar.gotoDay(chenId, wednesday);
    const block = calendar.event(/^陳小姐 - 初診評估/);
    await expect(block).toContainText('09:00');
    await dragTo(page, calendar.dayGrid(), block, '15:00');
    const dialog = moveDialog(page);
    await expect(dialog).toContainText(/Move 陳小姐 from Wed, \w+ \d+ 09:00 to Wed, \w+ \d+ 15:00\? The patient gets a LINE notice\./);
    await calendar.screenshot('drag-confirm');
    await dialog.getByRole('button', { name: 'Move', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(block).toContainText('15:00');
    expect(await appointmentRow(id)).toMatchObject({ date: wednesday, start: '15:00', end: '16:00', status: 'confirmed' });
    await expect.poll(async () => (await changeNoticesTo(page.request, wednesday, '15:00-16:00')).length, { timeout: 15_000 }).toBe(1);
    expect((await outboxJobsFor('line.push', id)).map((j) => j.payload.reason)).toEqual(['appointment_moved']);
    // After a reload, too.
    await calendar.gotoDay(chenId, wednesday);
    await expect(calendar.event(/^陳小姐 - 初診評估/)).toContainText('15:00');
    await calendar.screenshot('drag-moved');

    // Dragged again and cancelled: the block goes back, nothing changes.
    await dragTo(page, calendar.dayGrid(), calendar.event(/^陳小姐 - 初診評估/), '16:00');
    await expect(dialog).toContainText('to Wed');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(calendar.event(/^陳小姐 - 初診評估/)).toContainText('15:00');
    expect(await appointmentRow(id)).toMatchObject({ start: '15:00', end: '16:00' });
    expect(await outboxJobsFor('line.push', id)).toHaveLength(1);
  });

  test('a drop onto a time the engine does not offer is refused and the block goes back', async ({ page, hasTouch }) => {
    await signInAs(page.request, CHEN);
    const api = new CalendarApi(page.request);
    const calendar = new CalendarPage(page, hasTouch);
    const chenId = await api.practitionerId('Dr. Chen');
    const wednesday = weekdayAfter(3, 133);
    await clearDay(CHEN, wednesday);
    const id = await insertAppointment({ practitionerEmail: CHEN, patient: '陳小姐', date: wednesday, start: '09:00', end: '10:00' });
    await insertAppointment({ practitionerEmail: CHEN, patient: '王先生', date: wednesday, start: '11:00', end: '12:00' });

    await calendar.gotoDay(chenId, wednesday);
    // 10:30-11:30 overlaps 王先生's 11:00.
    await dragTo(page, calendar.dayGrid(), calendar.event(/^陳小姐 - 初診評估/), '10:30');
    const dialog = moveDialog(page);
    await dialog.getByRole('button', { name: 'Move', exact: true }).click();
    await expect(dialog.getByRole('alert')).toHaveText('That time is not available, so the appointment keeps its old time. Pick another time.');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
    await expect(calendar.event(/^陳小姐 - 初診評估/)).toContainText('09:00');
    expect(await appointmentRow(id)).toMatchObject({ date: wednesday, start: '09:00', end: '10:00' });
    expect(await outboxJobsFor('line.push', id)).toEqual([]);
  });
});

test.describe('Drag an appointment in the week grid', () => {
  // A Wednesday 161-167 days out and the Thursday after it belong to this test.
  test('drag to the next day of the week, confirm: it moved to that day and time, with one LINE change notice', async ({ page, hasTouch }) => {
    await signInAs(page.request, CHEN);
    const api = new CalendarApi(page.request);
    const week = new WeekTeamPage(page, hasTouch);
    const chenId = await api.practitionerId('Dr. Chen');
    const wednesday = weekdayAfter(3, 161);
    const thursday = weekdayAfter(4, 162); // the day after that Wednesday
    await clearDay(CHEN, wednesday);
    await clearDay(CHEN, thursday);
    const id = await insertAppointment({ practitionerEmail: CHEN, patient: '陳小姐', date: wednesday, start: '09:00', end: '10:00' });

    await week.gotoWeek(chenId, wednesday);
    const block = week.weekEvent(/^陳小姐 - 初診評估/);
    expect(await week.columnOf(block)).toBe(wednesday);
    await block.scrollIntoViewIfNeeded();
    await page.evaluate((y) => window.scrollBy(0, y), (await block.boundingBox())!.y - 120);
    const from = (await block.boundingBox())!;
    const column = (await week.weekGrid().locator(`[data-date="${thursday}"]`).last().boundingBox())!;
    const row = (await week.weekGrid().locator('[data-time="15:00:00"]').last().boundingBox())!;
    expect(row.y + row.height, 'the target row is on screen').toBeLessThan(page.viewportSize()!.height);
    await page.mouse.move(from.x + from.width / 2, from.y + 6);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2, from.y + 20, { steps: 4 });
    await page.mouse.move(column.x + column.width / 2, row.y + 6, { steps: 12 });
    await page.mouse.up();

    const dialog = moveDialog(page);
    await expect(dialog).toContainText(/Move 陳小姐 from Wed, \w+ \d+ 09:00 to Thu, \w+ \d+ 15:00\?/);
    await dialog.getByRole('button', { name: 'Move', exact: true }).click();
    await expect(dialog).toBeHidden();
    expect(await appointmentRow(id)).toMatchObject({ date: thursday, start: '15:00', end: '16:00', status: 'confirmed' });
    await expect.poll(async () => (await changeNoticesTo(page.request, thursday, '15:00-16:00')).length, { timeout: 15_000 }).toBe(1);
    await week.gotoWeek(chenId, wednesday);
    expect(await week.columnOf(week.weekEvent(/^陳小姐 - 初診評估/))).toBe(thursday);
  });
});
