import { expect, test } from '@playwright/test';
import { AppShell } from './pages/app-shell';
import { CalendarApi, CalendarPage } from './pages/calendar-page';
import { signInAs } from './support/auth';
import { clinicToday } from './support/db';

// Desktop only (playwright.config.ts): a keyboard, a centered dialog.

test('keyboard only: a sheet opens from its button, traps Tab, closes on Escape and gives focus back; the profile menu works with arrows and switches the language', async ({
  page,
}) => {
  await signInAs(page.request, 'chen@clinic.test');
  const calendar = new CalendarPage(page, false);
  await calendar.gotoMonth(await new CalendarApi(page.request).practitionerId('Dr. Chen'), clinicToday().slice(0, 7));

  const opener = calendar.clearButton();
  await opener.focus();
  await page.keyboard.press('Enter');
  const sheet = calendar.sheet('Clear unavailability');
  await expect(sheet).toBeVisible();
  await expect(sheet.getByLabel('From')).toBeFocused();
  // The page behind is out of reach: hidden from the accessibility tree while the sheet is open.
  await expect(calendar.nextMonth()).toHaveCount(0);

  const focusInSheet = () => sheet.evaluate((el) => el.contains(document.activeElement));
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    expect(await focusInSheet(), `Tab ${i + 1}`).toBe(true);
  }
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Shift+Tab');
    expect(await focusInSheet(), `Shift+Tab ${i + 1}`).toBe(true);
  }

  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
  await expect(opener).toBeFocused();
  await expect(calendar.nextMonth()).toHaveCount(1);

  const shell = new AppShell(page);
  await shell.profileMenuButton('Dr. Chen').focus();
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu', { name: 'Profile menu for Dr. Chen' });
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem', { name: 'Availability Settings' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Calendar' })).toBeFocused();
  await expect(menu.getByRole('menuitemradio', { name: 'English' })).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(shell.profileMenuButton('Dr. Chen')).toBeFocused();

  // The language is a radio group of the menu: End, up to 繁體中文, Enter — the page turns zh-TW.
  await page.keyboard.press('Enter');
  await expect(menu.getByRole('menuitem', { name: 'Availability Settings' })).toBeFocused();
  await page.keyboard.press('End');
  await expect(menu.getByRole('menuitem', { name: 'Sign out' })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(menu.getByRole('menuitemradio', { name: '繁體中文' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('link', { name: 'Dr. Chen 的行程' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Dr. Chen 的個人選單' })).toBeVisible();
});
