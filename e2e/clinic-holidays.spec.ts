import { expect, test } from '@playwright/test';
import { signInAs } from './support/auth';
import { clearDay, weekdayAfter, withDb } from './support/db';

// Issue 16 item 2: the admin closes a day of the clinic calendar (the day view says so and no slot
// is offered), then imports a small office calendar file with a preview first, and removes what
// this spec added. Dates 183-210 days ahead belong to this spec; each project takes its own week.

const ADMIN = 'admin@clinic.test';
const CHEN = 'chen@clinic.test';
const addDaysTo = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

test('an admin closes a day, sees it in the day view with no slots, imports a file with a preview, and removes it all', async ({ page }, info) => {
  // A Wednesday (Dr. Chen works 09:00-12:00 and 14:00-18:00), the Thursday and Saturday after it.
  const closed = weekdayAfter(3, info.project.name === 'phone' ? 183 : 197);
  const thursday = addDaysTo(closed, 1);
  const saturday = addDaysTo(closed, 3);
  const year = closed.slice(0, 4);
  const mine = [closed, thursday, saturday];
  await withDb((db) => db.query(`DELETE FROM clinic_calendar_days WHERE date = ANY($1::date[])`, [mine]));
  for (const d of mine) await clearDay(CHEN, d);
  const chenId = await withDb(async (db) => (await db.query<{ id: number }>(`SELECT id FROM users WHERE email = $1`, [CHEN])).rows[0]!.id);

  await signInAs(page.request, ADMIN);
  const typeId = ((await (await page.request.get('/api/clinic/appointment-types')).json()) as Array<{ id: number }>)[0]!.id;
  const slotsOn = async (date: string) => {
    const res = await page.request.get(`/api/clinic/practitioners/${chenId}/availability/slots?date=${date}&appointment_type_id=${typeId}`);
    expect(res.status()).toBe(200);
    return ((await res.json()) as { available_slots: unknown[] }).available_slots.length;
  };
  expect(await slotsOn(closed)).toBeGreaterThan(0);

  try {
    // Settings → Clinic → Holidays: add a closed day.
    await page.goto(`/settings/clinic/holidays?year=${year}`);
    await page.getByRole('button', { name: 'Add a day' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a day' });
    await dialog.getByLabel('Date').fill(closed);
    await dialog.getByRole('radio', { name: 'Closed (holiday)' }).check();
    await dialog.getByLabel('Name').fill('中秋節');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    const list = page.getByRole('list', { name: year });
    await expect(list.getByRole('listitem').filter({ hasText: '中秋節' })).toContainText('Clinic closed');

    // The day view names it; no slot is offered.
    await page.goto(`/calendar?practitioner=${chenId}&date=${closed}`);
    await expect(page.getByRole('note')).toHaveText('中秋節 · clinic closed');
    expect(await slotsOn(closed)).toBe(0);
    await page.screenshot({ path: info.outputPath('holiday-day-view.png'), fullPage: true });

    // Import a small office calendar file: a preview first, then apply.
    await page.goto(`/settings/clinic/holidays?year=${year}`);
    const compact = (d: string) => d.replace(/-/g, '');
    const csv = `\uFEFF西元日期,星期,是否放假,備註\r\n${compact(thursday)},四,2,端午節\r\n${compact(saturday)},六,0,補行上班\r\n`;
    await page.getByLabel('Office calendar file (CSV)').setInputFiles({ name: `${year}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('region', { name: `What importing ${year} changes` });
    await expect(preview).toContainText('2 to add, 0 to change, 0 to remove, 0 unchanged');
    await expect(preview).toContainText(`Add ${thursday} 端午節`);
    await expect(preview).toContainText(`Add ${saturday} 補行上班`);
    // The preview saved nothing.
    await expect(list.getByRole('listitem').filter({ hasText: '端午節' })).toHaveCount(0);
    await page.screenshot({ path: info.outputPath('holiday-import-preview.png'), fullPage: true });
    await preview.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Imported ${year}: 2 added` })).toBeVisible();
    await expect(list.getByRole('listitem').filter({ hasText: '端午節' })).toContainText('Clinic closed');
    await expect(list.getByRole('listitem').filter({ hasText: '補行上班' })).toContainText("Make-up workday with Friday's hours");
    // The make-up Saturday works with Friday's hours (09:00-17:00: eight one-hour starts at most).
    expect(await slotsOn(saturday)).toBeGreaterThan(4);

    // Remove what this spec added, from the page.
    for (const name of ['中秋節', '端午節', '補行上班']) {
      const date = name === '中秋節' ? closed : name === '端午節' ? thursday : saturday;
      await page.getByRole('button', { name: `Remove ${date} ${name}` }).click();
      await expect(page.getByRole('button', { name: `Remove ${date} ${name}` })).toHaveCount(0);
    }
    expect(await slotsOn(closed)).toBeGreaterThan(0);
  } finally {
    await withDb((db) => db.query(`DELETE FROM clinic_calendar_days WHERE date = ANY($1::date[])`, [mine]));
  }
});
