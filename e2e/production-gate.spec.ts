import { expect, test } from '@playwright/test';

// This project runs against `next start` without AUTH_DEV_LOGIN: a production deployment.
test('production without AUTH_DEV_LOGIN has no demo sign-in at all', async ({ page, request }) => {
  const providers = await (await request.get('/api/auth/providers')).json();
  expect(Object.keys(providers)).not.toContain('dev');

  const { csrfToken } = await (await request.get('/api/auth/csrf')).json();
  const res = await request.post('/api/auth/callback/dev', { form: { csrfToken, email: 'chen@clinic.test' }, maxRedirects: 0 });
  expect(res.status()).not.toBe(200);
  expect(await (await request.get('/api/auth/session')).json()).toBeNull();
  expect((await request.get('/api/clinic/practitioners')).status()).toBe(401);

  await page.goto('/signin');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveCount(0);
});
