import { expect, test, type Page } from '@playwright/test';
import { SignInPage } from './pages/sign-in-page';
import { withDb } from './support/db';

// The production sign-in: Auth.js's real Google provider (discovery, PKCE, code exchange, id_token
// checks) against the fake OpenID issuer of test/fakes/google-oidc.ts, which the app on PORT uses
// through AUTH_GOOGLE_ISSUER.
const GOOGLE = process.env.E2E_GOOGLE_URL!;

interface FakeRequests {
  authorizations: Array<{ params: Record<string, string>; email: string | null }>;
  tokenRequests: Array<{ params: Record<string, string>; status: number; body: Record<string, unknown> }>;
}

/** Tells the fake issuer which Google account the next authorization signs in (and forgets the past). */
async function chooseGoogleAccount(email: string): Promise<void> {
  const res = await fetch(`${GOOGLE}/__control`, { method: 'POST', body: JSON.stringify({ reset: true, email }) });
  expect(res.ok).toBe(true);
}

async function fakeRequests(): Promise<FakeRequests> {
  return (await fetch(`${GOOGLE}/__requests`)).json() as Promise<FakeRequests>;
}

async function clickSignInWithGoogle(page: Page): Promise<void> {
  await new SignInPage(page).goto();
  await page.getByRole('button', { name: 'Sign in with Google' }).click();
}

test('Sign in with Google goes through the issuer and opens the calendar, storing the refresh token', async ({ page }) => {
  await chooseGoogleAccount('chen@clinic.test');
  await clickSignInWithGoogle(page);
  await expect(page).toHaveURL(/\/calendar/);
  await expect(page.getByRole('link', { name: "Dr. Chen's Schedule" })).toBeVisible();
  const session = await (await page.request.get('/api/auth/session')).json();
  expect(session.user.email).toBe('chen@clinic.test');

  const { authorizations, tokenRequests } = await fakeRequests();
  expect(authorizations).toHaveLength(1);
  const auth = authorizations[0]!;
  expect(auth.email).toBe('chen@clinic.test');
  expect(auth.params).toMatchObject({
    response_type: 'code',
    client_id: 'e2e-google-client',
    access_type: 'offline',
    prompt: 'consent',
    code_challenge_method: 'S256',
  });
  expect(auth.params.redirect_uri).toMatch(/\/api\/auth\/callback\/google$/);
  expect(auth.params.scope!.split(' ')).toEqual(expect.arrayContaining(['openid', 'email', 'https://www.googleapis.com/auth/calendar']));

  // One code exchange, accepted: client secret, code, redirect URI and the PKCE verifier all checked.
  expect(tokenRequests).toHaveLength(1);
  const exchange = tokenRequests[0]!;
  expect(exchange.status).toBe(200);
  expect(exchange.params.code_verifier).toBeTruthy();
  const issued = exchange.body as { refresh_token: string; access_token: string };

  const rows = await withDb(
    async (db) =>
      (
        await db.query<{ refresh_token: string; access_token: string; scope: string; type: string; expires_at: number }>(
          `SELECT a.refresh_token, a.access_token, a.scope, a.type, a.expires_at FROM accounts a JOIN users u ON u.id = a.user_id
      WHERE u.email = 'chen@clinic.test' AND a.provider = 'google'`,
        )
      ).rows,
  );
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ refresh_token: issued.refresh_token, access_token: issued.access_token, type: 'oidc' });
  expect(rows[0]!.scope).toContain('https://www.googleapis.com/auth/calendar');
  expect(rows[0]!.expires_at).toBeGreaterThan(Date.now() / 1000);
});

test("a Google account that is no clinic's member is refused", async ({ page }) => {
  await chooseGoogleAccount('stranger@gmail.test');
  await clickSignInWithGoogle(page);
  await expect(page).toHaveURL(/\/signin\?error=/);
  await expect(page.getByRole('alert').filter({ hasText: 'not a member of any clinic' })).toBeVisible();
  expect(await (await page.request.get('/api/auth/session')).json()).toBeNull();

  // The issuer signed the stranger in and handed out tokens: the app itself refused them.
  const { authorizations, tokenRequests } = await fakeRequests();
  expect(authorizations.map((a) => a.email)).toEqual(['stranger@gmail.test']);
  expect(tokenRequests.map((t) => t.status)).toEqual([200]);
  const strangers = await withDb(async (db) => (await db.query(`SELECT 1 FROM users WHERE lower(email) = 'stranger@gmail.test'`)).rowCount);
  expect(strangers).toBe(0);
});
