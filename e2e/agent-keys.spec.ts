import { expect, test } from '@playwright/test';
import { AppShell } from './pages/app-shell';
import { signInAs } from './support/auth';

test('a clinic admin creates an AI agent key, the agent uses it, and revoking it locks the agent out', async ({ page, playwright }) => {
  await signInAs(page.request, 'admin@clinic.test');
  await page.goto('/calendar');
  const menu = await new AppShell(page).openProfileMenu('Clinic Admin');
  await menu.getByRole('menuitem', { name: 'AI agent keys' }).click();
  await expect(page).toHaveURL(/\/settings\/agent-keys/);

  const name = `E2E agent ${test.info().project.name} ${Date.now()}`;
  await page.getByLabel('Key name').fill(name);
  await page.getByRole('button', { name: 'Create key' }).click();
  const dialog = page.getByRole('dialog', { name: 'Copy the new key now' });
  await expect(dialog).toBeVisible();
  const key = await dialog.getByLabel('New agent key').inputValue();
  expect(key).toMatch(/^cbk_[A-Za-z0-9_-]{40,}$/);
  await page.screenshot({ path: test.info().outputPath('new-key.png'), fullPage: true });
  await dialog.getByRole('button', { name: 'Done' }).click();

  const agent = await playwright.request.newContext({
    baseURL: test.info().project.use.baseURL,
    extraHTTPHeaders: { authorization: `Bearer ${key}` },
  });
  const before = await agent.get('/api/clinic/practitioners');
  expect(before.status()).toBe(200);
  expect((await before.json()).map((p: { name: string }) => p.name)).toEqual(['Dr. Chen', 'Dr. Lin']);

  const row = page.getByRole('listitem').filter({ hasText: name });
  await expect(row).toContainText('Starts with cbk_');
  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await page
    .getByRole('dialog', { name: `Revoke ${name}?` })
    .getByRole('button', { name: 'Revoke' })
    .click();
  await expect(row).toContainText('Revoked');
  expect((await agent.get('/api/clinic/practitioners')).status()).toBe(401);
  await agent.dispose();
});

test('practitioners have no agent keys page', async ({ page }) => {
  await signInAs(page.request, 'chen@clinic.test');
  await page.goto('/calendar');
  const menu = await new AppShell(page).openProfileMenu('Dr. Chen');
  await expect(menu.getByRole('menuitem', { name: 'AI agent keys' })).toHaveCount(0);
  await expect(menu.getByRole('menuitem', { name: 'Clinic', exact: true })).toHaveCount(0);
  expect((await page.goto('/settings/agent-keys'))?.status()).toBe(404);
});

test("the profile menu takes a clinic admin to the clinic's settings", async ({ page }) => {
  await signInAs(page.request, 'admin@clinic.test');
  await page.goto('/calendar');
  const menu = await new AppShell(page).openProfileMenu('Clinic Admin');
  await menu.getByRole('menuitem', { name: 'Clinic', exact: true }).click();
  await expect(page).toHaveURL(/\/settings\/clinic$/);
});
