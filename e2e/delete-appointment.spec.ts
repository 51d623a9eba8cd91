import { expect, test } from '@playwright/test';
import { CalendarApi, CalendarPage, countText } from './pages/calendar-page';
import { signInAs } from './support/auth';
import { clearDay, insertAppointment, outboxJobsFor, weekdayAfter } from './support/db';

const CHEN = 'chen@clinic.test';

test.describe('Appointment Deletion', () => {
  let chenId: number;
  let api: CalendarApi;
  let calendar: CalendarPage;
  let appointmentId: number;
  // A Wednesday six weeks out belongs to this spec.
  const wednesday = weekdayAfter(3, 42);
  const month = wednesday.slice(0, 7);

  test.beforeEach(async ({ page, hasTouch }) => {
    await signInAs(page.request, CHEN);
    api = new CalendarApi(page.request);
    chenId = await api.practitionerId('Dr. Chen');
    calendar = new CalendarPage(page, hasTouch);
    await clearDay(CHEN, wednesday);
    await insertAppointment({ practitionerEmail: CHEN, patient: '王先生', date: wednesday, start: '09:00', end: '10:00' });
    appointmentId = await insertAppointment({ practitionerEmail: CHEN, patient: '陳小姐', date: wednesday, start: '10:00', end: '11:00' });
  });

  test('tapping an appointment shows its details; Delete asks first, Keep keeps it', async () => {
    await calendar.gotoDay(chenId, wednesday);
    await calendar.tapEvent(/^陳小姐 - 初診評估/);
    const sheet = calendar.sheet('陳小姐 - 初診評估');
    await expect(sheet.getByRole('definition')).toHaveText(['陳小姐', '0912-345-678', '初診評估', /10:00-11:00$/]);
    await expect(sheet.getByRole('link', { name: '0912-345-678' })).toHaveAttribute('href', 'tel:0912345678');
    await expect(sheet).not.toContainText('Outside Hours');
    await calendar.screenshot('appointment-sheet');

    await sheet.getByRole('button', { name: 'Delete appointment' }).click();
    await expect(sheet).toContainText('Delete this appointment? The patient will be told on LINE.');
    await calendar.screenshot('delete-confirm');
    await sheet.getByRole('button', { name: 'Keep' }).click();
    await expect(sheet.getByRole('button', { name: 'Delete appointment' })).toBeVisible();
    await sheet.getByRole('button', { name: 'Close' }).click();
    await expect(sheet).toBeHidden();
    await expect(calendar.event(/^陳小姐 - 初診評估/)).toBeVisible();
    expect((await api.monthCounts(chenId, month))[wednesday]).toBe(2);
    expect(await outboxJobsFor('line.push', appointmentId)).toEqual([]);
  });

  test('deleting removes the block, lowers the month count and queues the LINE message', async () => {
    expect((await api.monthCounts(chenId, month))[wednesday]).toBe(2);
    await calendar.gotoDay(chenId, wednesday);
    await calendar.tapEvent(/^陳小姐 - 初診評估/);
    const sheet = calendar.sheet('陳小姐 - 初診評估');
    await sheet.getByRole('button', { name: 'Delete appointment' }).click();
    await sheet.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(sheet).toBeHidden();
    await expect(calendar.event(/^陳小姐 - 初診評估/)).toHaveCount(0);
    await expect(calendar.event(/^王先生 - 初診評估/)).toBeVisible();
    await calendar.screenshot('after-delete');

    expect((await api.monthCounts(chenId, month))[wednesday]).toBe(1);
    const jobs = await outboxJobsFor('line.push', appointmentId);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.payload).toMatchObject({ reason: 'appointment_canceled', calendar_event_id: appointmentId });

    await calendar.backToMonth().click();
    await calendar.waitForMonth();
    await expect(calendar.dayLink(wednesday)).toHaveAccessibleName(new RegExp(`: ${countText(1)}$`));
  });

  test("the clinic admin can delete a practitioner's appointment", async ({ page }) => {
    await signInAs(page.request, 'admin@clinic.test');
    await calendar.gotoDay(chenId, wednesday);
    await calendar.tapEvent(/^陳小姐 - 初診評估/);
    const sheet = calendar.sheet('陳小姐 - 初診評估');
    await sheet.getByRole('button', { name: 'Delete appointment' }).click();
    await sheet.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(sheet).toBeHidden();
    await expect(calendar.event(/^陳小姐 - 初診評估/)).toHaveCount(0);
    expect((await api.monthCounts(chenId, month))[wednesday]).toBe(1);
    expect(await outboxJobsFor('line.push', appointmentId)).toHaveLength(1);
  });

  test('a colleague sees the details but cannot delete', async ({ page }) => {
    await signInAs(page.request, 'lin@clinic.test');
    await calendar.gotoDay(chenId, wednesday);
    await calendar.tapEvent(/^陳小姐 - 初診評估/);
    const sheet = calendar.sheet('陳小姐 - 初診評估');
    await expect(sheet).toContainText('0912-345-678');
    await expect(sheet.getByRole('button', { name: /Delete/ })).toHaveCount(0);
    await expect(calendar.addButton()).toHaveCount(0);
  });
});
