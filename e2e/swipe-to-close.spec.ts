import { expect, test } from '@playwright/test';
import { CalendarApi, CalendarPage } from './pages/calendar-page';
import { signInAs } from './support/auth';
import { clearDay, weekdayAfter } from './support/db';

const CHEN = 'chen@clinic.test';

// Phone only (playwright.config.ts): the bottom sheet and its swipe-down gesture.

test('a bottom sheet closes when swiped down by its handle, and nothing is saved', async ({ page }) => {
  const friday = weekdayAfter(5, 84);
  await signInAs(page.request, CHEN);
  const api = new CalendarApi(page.request);
  const chenId = await api.practitionerId('Dr. Chen');
  await clearDay(CHEN, friday);
  const calendar = new CalendarPage(page, true);
  await calendar.gotoDay(chenId, friday);

  await calendar.addButton().tap();
  await page.getByRole('dialog', { name: 'Book an appointment' }).getByRole('button', { name: 'Unavailable', exact: true }).tap();
  const sheet = calendar.sheet('Add unavailability');
  await expect(sheet).toBeVisible();
  // Once slid in, the sheet sits at the bottom of the screen, full width (not a centered dialog).
  const viewport = page.viewportSize()!;
  await expect
    .poll(async () => {
      const box = (await sheet.boundingBox())!;
      return [box.width, Math.round(box.y + box.height)];
    })
    .toEqual([viewport.width, viewport.height]);
  await page.waitForTimeout(600); // vaul ignores drags in the first 500 ms after opening
  await page.screenshot({ path: test.info().outputPath('bottom-sheet.png') });

  await calendar.swipeDown(sheet.locator('[data-vaul-handle]'), 400);
  await expect(sheet).toBeHidden();
  await expect(calendar.addButton()).toBeVisible();
  expect(await api.exceptions(chenId, friday)).toEqual([]);
});
