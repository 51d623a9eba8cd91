import { expect, test } from '@playwright/test';
import { AppShell } from './pages/app-shell';
import { SignInPage } from './pages/sign-in-page';
import { signInAs } from './support/auth';

test("a signed-out visit is sent to sign-in, and the demo sign-in opens the practitioner's calendar", async ({ page }) => {
  await page.goto('/calendar');
  await expect(page).toHaveURL(/\/signin/);
  const signIn = new SignInPage(page);
  await signIn.signInAs('chen@clinic.test');
  await expect(page).toHaveURL(/\/calendar/);
  await expect(page.getByRole('link', { name: "Dr. Chen's Schedule" })).toBeVisible();

  const shell = new AppShell(page);
  expect(await shell.horizontalOverflow()).toBeLessThanOrEqual(0);
  const menu = await shell.openProfileMenu('Dr. Chen');
  await menu.getByRole('menuitem', { name: 'Availability Settings' }).click();
  await expect(page).toHaveURL(/\/settings\/availability/);
  await expect(page.getByRole('heading', { name: 'Default Working Hours' })).toBeVisible();
});

test('an unknown email cannot sign in', async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.signInAs('stranger@example.com');
  await expect(page.getByRole('alert').filter({ hasText: 'not a member of any clinic' })).toBeVisible();
  expect(await (await page.request.get('/api/auth/session')).json()).toBeNull();
});

test('the API refuses a request without a session or key', async ({ request }) => {
  const res = await request.get('/api/clinic/practitioners');
  expect(res.status()).toBe(401);
  expect(await res.json()).toEqual({ error: 'unauthorized', message: expect.any(String) });
});

test("an admin switches between the clinic's practitioners", async ({ page }) => {
  await signInAs(page.request, 'admin@clinic.test');
  await page.goto('/calendar');
  const shell = new AppShell(page);
  await expect(shell.practitionerSwitcher()).toBeVisible();
  await shell.practitionerSwitcher().selectOption({ label: 'Dr. Lin' });
  await expect(page.getByRole('link', { name: "Dr. Lin's Schedule" })).toBeVisible();
  await expect(page).toHaveURL(/practitioner=\d+/);
  expect(await shell.horizontalOverflow()).toBeLessThanOrEqual(0);
});

test("a member of one clinic gets 404 for another clinic's practitioner", async ({ page, browser }) => {
  // Learn the other clinic's practitioner id as its own member sees it.
  const other = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  await signInAs(other.request, 'other@clinic.test');
  const [foreign] = await (await other.request.get('/api/clinic/practitioners')).json();
  await other.close();
  expect(foreign.name).toBe('Dr. Other');

  await signInAs(page.request, 'chen@clinic.test');
  const practitioners = await (await page.request.get('/api/clinic/practitioners')).json();
  expect(practitioners.map((p: { name: string }) => p.name)).toEqual(['Dr. Chen', 'Dr. Lin']);
  const res = await page.goto(`/calendar?practitioner=${foreign.id}`);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await expect(page.getByText('Dr. Other')).toHaveCount(0);
});

test('signing out ends the session', async ({ page }) => {
  await signInAs(page.request, 'lin@clinic.test');
  await page.goto('/calendar');
  const menu = await new AppShell(page).openProfileMenu('Dr. Lin');
  await menu.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin/);
  expect(await (await page.request.get('/api/auth/session')).json()).toBeNull();
});
