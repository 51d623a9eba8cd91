import { expect, test } from '@playwright/test';
import { CalendarApi, CalendarPage } from './pages/calendar-page';
import { appointmentRow, changeNoticesTo, MoveSheet } from './pages/move-sheet';
import { signInAs } from './support/auth';
import { clearDay, clinicToday, insertAppointment, weekdayAfter } from './support/db';

// Moving an appointment through its sheet (phone and desktop), a refused move, and attendance.
// Dates 126-140 days out belong to this spec (the phone project the first week, the desktop the
// second), and, for attendance, days about 130 days ago.
const CHEN = 'chen@clinic.test';
const LIN = 'lin@clinic.test';
const ADMIN = 'admin@clinic.test';
const week = () => (test.info().project.name === 'phone' ? 126 : 133);

/** `date` moved by `days` (YYYY-MM-DD arithmetic in UTC). */
function plusDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

test.describe('Move an appointment and mark attendance', () => {
  let api: CalendarApi;
  let calendar: CalendarPage;

  test.beforeEach(async ({ page, hasTouch }) => {
    api = new CalendarApi(page.request);
    calendar = new CalendarPage(page, hasTouch);
  });

  test("the practitioner moves an appointment through its sheet to the next day's offered start; the patient gets one LINE notice", async ({
    page,
  }) => {
    await signInAs(page.request, CHEN);
    const chenId = await api.practitionerId('Dr. Chen');
    const thursday = weekdayAfter(4, week());
    const friday = plusDays(thursday, 1);
    await clearDay(CHEN, thursday);
    await clearDay(CHEN, friday);
    const id = await insertAppointment({ practitionerEmail: CHEN, patient: '陳小姐', date: thursday, start: '10:00', end: '11:00' });
    // Friday 09:00 is taken: it is not offered.
    await insertAppointment({ practitionerEmail: CHEN, patient: '王先生', date: friday, start: '09:00', end: '10:00' });

    await calendar.gotoDay(chenId, thursday);
    await calendar.tapEvent(/^陳小姐 - 初診評估/);
    const sheet = calendar.sheet('陳小姐 - 初診評估');
    // Not started yet: no attendance buttons.
    await expect(sheet.getByRole('button', { name: 'No-show' })).toHaveCount(0);
    const move = new MoveSheet(page, sheet);
    await move.open();
    // The same day first: its own 10:00 is not offered, the rest of Thursday is.
    await expect(move.start('11:00')).toBeVisible();
    await expect(move.start('10:00')).toHaveCount(0);
    await move.nextDay();
    await expect(move.start('14:00')).toBeVisible();
    await expect(move.starts().getByRole('button')).toHaveText(['10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00']);
    await calendar.screenshot('move-sheet-starts');
    await move.pick('14:00');
    await expect(sheet).toContainText(/Move 陳小姐 from Thu, \w+ \d+ 10:00 to Fri, \w+ \d+ 14:00\? The patient gets a LINE notice\./);
    await calendar.screenshot('move-sheet-confirm');
    await move.confirm();
    await expect(sheet).toBeHidden();
    await expect(calendar.event(/^陳小姐 - 初診評估/)).toHaveCount(0);

    expect(await appointmentRow(id)).toMatchObject({ date: friday, start: '14:00', end: '15:00', practitioner: CHEN, status: 'confirmed' });
    await expect.poll(async () => (await changeNoticesTo(page.request, friday, '14:00-15:00')).length, { timeout: 15_000 }).toBe(1);
    await calendar.gotoDay(chenId, friday);
    await expect(calendar.event(/^陳小姐 - 初診評估/)).toContainText('14:00');
  });

  test('a move into a time taken meanwhile is refused: the old time is kept, the sheet says why and offers the rest', async ({ page }) => {
    await signInAs(page.request, ADMIN);
    const linId = await api.practitionerId('Dr. Lin');
    const tuesday = weekdayAfter(2, week());
    await clearDay(LIN, tuesday);
    const id = await insertAppointment({ practitionerEmail: LIN, patient: '林先生', date: tuesday, start: '13:00', end: '14:00' });

    await calendar.gotoDay(linId, tuesday);
    await calendar.tapEvent(/^林先生 - 初診評估/);
    const sheet = calendar.sheet('林先生 - 初診評估');
    const move = new MoveSheet(page, sheet);
    await move.open();
    // The admin may pick the calendar too.
    await expect(sheet.getByLabel('Practitioner')).toHaveValue(String(linId));
    await expect(move.start('15:00')).toBeVisible();
    // Someone else books 15:00 while the sheet is open.
    await insertAppointment({ practitionerEmail: LIN, patient: '張太太', date: tuesday, start: '15:00', end: '16:00' });
    await move.pick('15:00');
    await move.confirm();
    await expect(sheet.getByRole('alert')).toHaveText('That time is not available, so the appointment keeps its old time. Pick another time.');
    await calendar.screenshot('move-refused');
    expect(await appointmentRow(id)).toMatchObject({ date: tuesday, start: '13:00', end: '14:00', practitioner: LIN });
    // The starts are read again: 15:00 is gone; another one goes through.
    await expect(move.start('16:00')).toBeVisible();
    await expect(move.start('15:00')).toHaveCount(0);
    await move.pick('16:00');
    await move.confirm();
    await expect(sheet).toBeHidden();
    expect(await appointmentRow(id)).toMatchObject({ date: tuesday, start: '16:00', end: '17:00', practitioner: LIN });
    await expect.poll(async () => (await changeNoticesTo(page.request, tuesday, '16:00-17:00')).length, { timeout: 15_000 }).toBe(1);
    expect(await changeNoticesTo(page.request, tuesday, '15:00-16:00')).toEqual([]);
  });

  test('an appointment that has started is marked a no-show; the day grid shows the badge, in English and Chinese', async ({ page, hasTouch }) => {
    await signInAs(page.request, CHEN);
    const chenId = await api.practitionerId('Dr. Chen');
    // About 130 days ago: long started, whatever the time of day now.
    const past = plusDays(clinicToday(), test.info().project.name === 'phone' ? -130 : -131);
    await clearDay(CHEN, past);
    const id = await insertAppointment({ practitionerEmail: CHEN, patient: '王先生', date: past, start: '10:00', end: '11:00' });

    await calendar.gotoDay(chenId, past);
    await calendar.tapEvent(/^王先生 - 初診評估/);
    const sheet = calendar.sheet('王先生 - 初診評估');
    const attendance = sheet.getByRole('group', { name: 'Attendance' });
    await expect(attendance.getByRole('button', { name: 'Arrived' })).toHaveAttribute('aria-pressed', 'false');
    await attendance.getByRole('button', { name: 'No-show' }).click();
    await expect(attendance.getByRole('button', { name: 'No-show' })).toHaveAttribute('aria-pressed', 'true');
    await expect(attendance.getByRole('button', { name: 'Clear mark' })).toBeVisible();
    expect(await appointmentRow(id)).toMatchObject({ attendance: 'no_show', status: 'confirmed' });
    await calendar.screenshot('attendance-sheet');
    await sheet.getByRole('button', { name: 'Close' }).click();
    await expect(sheet).toBeHidden();
    await expect(calendar.event(/^王先生 - 初診評估/)).toContainText('✗ No-show');
    await calendar.screenshot('attendance-badge');

    await page.context().addCookies([{ name: 'locale', value: 'zh-TW', url: page.url() }]);
    await page.goto(`/calendar?practitioner=${chenId}&date=${past}`);
    const block = page.getByRole('region', { name: '日檢視' }).getByRole('button', { name: /^王先生 - 初診評估/ });
    await expect(block).toContainText('✗ 未到');
    if (hasTouch) await block.tap();
    else await block.click();
    const zhSheet = page.getByRole('dialog', { name: '王先生 - 初診評估' });
    await zhSheet.getByRole('group', { name: '出席' }).getByRole('button', { name: '清除標記' }).click();
    await expect(zhSheet.getByRole('button', { name: '清除標記' })).toHaveCount(0);
    expect(await appointmentRow(id)).toMatchObject({ attendance: null });
  });
});
