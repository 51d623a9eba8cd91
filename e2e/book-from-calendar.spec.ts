import { expect, test } from '@playwright/test';
import { BookingSheet } from './pages/booking-sheet';
import { CalendarApi, CalendarPage } from './pages/calendar-page';
import { signInAs } from './support/auth';
import { clearDay, weekdayAfter, withDb } from './support/db';

// Issue 14, item 1: book from the calendar. Dates 91-104 days out belong to this spec: Tuesdays on
// phones, Thursdays on desktops (Dr. Chen works 09:00-17:00 on both), so the projects never meet.

const CHEN = 'chen@clinic.test';
const LIN = 'lin@clinic.test';

/** Confirmed appointments of a patient on a date: their starts, from the database. */
async function bookedStarts(patient: string, date: string): Promise<string[]> {
  return withDb(async (db) => {
    const { rows } = await db.query<{ start: string }>(
      `SELECT to_char(e.start_time, 'HH24:MI') AS start FROM calendar_events e
         JOIN appointments a ON a.calendar_event_id = e.id JOIN patients p ON p.id = a.patient_id
        WHERE p.full_name = $1 AND e.date = $2 AND a.status = 'confirmed' ORDER BY e.start_time`,
      [patient, date],
    );
    return rows.map((r) => r.start);
  });
}

test.describe('Book from the calendar', () => {
  let chenId: number;
  let calendar: CalendarPage;
  let sheet: BookingSheet;

  test.beforeEach(async ({ page, hasTouch }) => {
    await signInAs(page.request, CHEN);
    chenId = await new CalendarApi(page.request).practitionerId('Dr. Chen');
    calendar = new CalendarPage(page, hasTouch);
    sheet = new BookingSheet(page);
  });

  const dayFor = (projectName: string, minDays: number) => weekdayAfter(projectName === 'phone' ? 2 : 4, minDays);

  test('tap a free time, create a new patient, pick the type and book: in the grid and the database, once despite a double tap', async ({}, testInfo) => {
    const date = dayFor(testInfo.project.name, 91);
    await clearDay(CHEN, date);
    const name = `新病患${testInfo.project.name === 'phone' ? '甲' : '乙'}${Date.now() % 100000}`;

    await calendar.gotoDay(chenId, date);
    await calendar.tapTime('10:00');
    await sheet.expectOpen();
    await sheet.newPatient({ name, phone: '0912-000-111' });
    await sheet.chooseType('初診評估 (60 min)');
    // The tapped time is one of the engine's offered starts: preselected.
    await expect(sheet.start('10:00')).toHaveAttribute('aria-checked', 'true');
    await calendar.screenshot('booking-sheet');
    await sheet.bookButton().dblclick();
    await expect(sheet.root).toBeHidden();

    await expect(calendar.event(new RegExp(`^${name} - 初診評估`))).toBeVisible();
    expect(await bookedStarts(name, date)).toEqual(['10:00']);
    await calendar.screenshot('booked');
  });

  test('outside working hours: the warning first, then Book anyway; the appointment is flagged Outside Hours', async ({}, testInfo) => {
    const date = dayFor(testInfo.project.name, 98);
    await clearDay(CHEN, date);
    await calendar.gotoDay(chenId, date);
    await calendar.addButton().click();
    await sheet.expectOpen();
    await sheet.findPatient('陳小', '陳小姐');
    await sheet.chooseType('一般複診 (30 min)');
    await sheet.otherTime('18:30');
    await sheet.bookButton().click();
    await expect(sheet.warning()).toContainText('Outside working hours');
    expect(await bookedStarts('陳小姐', date)).toEqual([]);
    await calendar.screenshot('outside-hours-warning');
    await sheet.bookAnywayButton().click();
    await expect(sheet.root).toBeHidden();

    const booked = calendar.event(/^陳小姐 - 一般複診/);
    await expect(booked).toBeVisible();
    await expect(booked).toContainText('Outside Hours');
    expect(await bookedStarts('陳小姐', date)).toEqual(['18:30']);
  });

  test('the sheet hands over to unavailability; a colleague gets no booking affordance', async ({ page }, testInfo) => {
    const date = dayFor(testInfo.project.name, 91);
    await calendar.gotoDay(chenId, date);
    await calendar.tapTime('15:00');
    await sheet.expectOpen();
    await sheet.switchToUnavailable();
    const unavailable = calendar.sheet('Add unavailability');
    await expect(unavailable.getByLabel('Start time')).toHaveValue('15:00');
    await unavailable.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);

    // Dr. Lin may read Dr. Chen's calendar but not book into it.
    await signInAs(page.request, LIN);
    await calendar.gotoDay(chenId, date);
    await expect(calendar.addButton()).toHaveCount(0);
    await calendar.tapTime('16:00');
    await expect(page.getByRole('dialog')).toHaveCount(0);
  });
});
