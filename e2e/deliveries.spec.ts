import { expect, test, type APIRequestContext } from '@playwright/test';
import { AppShell } from './pages/app-shell';
import { signInAs } from './support/auth';
import { clearAppointments, insertAppointment } from './support/db';

const LINE = process.env.E2E_LINE_URL!;
const CHEN = 'chen@clinic.test';

interface Push {
  retryKey: string | null;
  status: number | null;
  body: { to: string; messages: Array<{ text: string }> };
}
/** The fake LINE's record of pushes whose text names this date and time. */
const pushesTo = async (request: APIRequestContext, date: string, time: string): Promise<Push[]> =>
  ((await (await request.get(`${LINE}/__pushes`)).json()).pushes as Push[]).filter(
    (p) => p.body.messages[0]?.text.includes(date) && p.body.messages[0]?.text.includes(time),
  );

async function chenId(request: APIRequestContext): Promise<number> {
  return ((await (await request.get('/api/clinic/practitioners')).json()) as Array<{ id: number; name: string }>).find((p) => p.name === 'Dr. Chen')!
    .id;
}

test.describe('Patient notification', () => {
  // A date of its own per project, so the phone and desktop runs do not meet.
  const day = () => (test.info().project.name === 'phone' ? '2031-06-04' : '2031-06-11');
  const marker = () => `${day().slice(0, 4)}年6月${Number(day().slice(8))}日`;

  test.beforeEach(async () => {
    await clearAppointments(CHEN, day());
  });

  test('deleting an appointment sends the patient one LINE message right after the response', async ({ page }) => {
    await signInAs(page.request, CHEN);
    const id = await insertAppointment({ practitionerEmail: CHEN, patient: '陳小姐', date: day(), start: '09:00', end: '10:00' });
    const res = await page.request.delete(`/api/clinic/practitioners/${await chenId(page.request)}/appointments/${id}`);
    expect(res.status()).toBe(200);
    await expect.poll(async () => (await pushesTo(page.request, marker(), '09:00-10:00')).length, { timeout: 15_000 }).toBe(1);
    const [push] = await pushesTo(page.request, marker(), '09:00-10:00');
    expect(push!.status).toBe(200);
    expect(push!.body.messages[0]!.text).toContain('📅 預約取消通知');
    expect(push!.body.messages[0]!.text).toContain('• 治療師：Dr. Chen');
    expect(push!.retryKey).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("a push LINE refused shows as failed on the admin's Deliveries page, and Retry sends it", async ({ page }) => {
    await signInAs(page.request, CHEN);
    const id = await insertAppointment({ practitionerEmail: CHEN, patient: '陳小姐', date: day(), start: '11:00', end: '12:00' });
    await page.request.post(`${LINE}/__control`, { data: { failNext: 1, status: 400 } });
    expect((await page.request.delete(`/api/clinic/practitioners/${await chenId(page.request)}/appointments/${id}`)).status()).toBe(200);
    await expect.poll(async () => (await pushesTo(page.request, marker(), '11:00-12:00')).map((p) => p.status), { timeout: 15_000 }).toEqual([400]);

    await signInAs(page.request, 'admin@clinic.test');
    await page.goto('/calendar');
    const menu = await new AppShell(page).openProfileMenu('Clinic Admin');
    await menu.getByRole('menuitem', { name: 'Deliveries' }).click();
    const failed = page.getByRole('listitem').filter({ hasText: 'Failed' }).filter({ hasText: 'LINE answered 400' }).first();
    await expect(failed).toBeVisible();
    await expect(failed).toContainText('LINE message · To 陳小姐');
    await page.screenshot({ path: test.info().outputPath('deliveries-failed.png'), fullPage: true });
    await failed.getByRole('button', { name: /^Retry delivery/ }).click();
    await expect
      .poll(async () => (await pushesTo(page.request, marker(), '11:00-12:00')).map((p) => p.status), { timeout: 15_000 })
      .toEqual([400, 200]);
    await page.reload();
    await expect(page.getByRole('listitem').filter({ hasText: 'LINE answered 400' })).toHaveCount(0);
  });

  test('practitioners have no Deliveries page', async ({ page }) => {
    await signInAs(page.request, CHEN);
    expect((await page.goto('/settings/deliveries'))?.status()).toBe(404);
  });
});
