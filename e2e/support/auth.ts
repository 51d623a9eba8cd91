import type { APIRequestContext } from '@playwright/test';

/**
 * Signs in through Auth.js's own credentials callback (CSRF token, then POST), the way the sign-in
 * form does; the session cookie lands in the request context shared with the page.
 */
export async function signInAs(request: APIRequestContext, email: string): Promise<void> {
  const { csrfToken } = await (await request.get('/api/auth/csrf')).json();
  const res = await request.post('/api/auth/callback/dev', { form: { csrfToken, email }, maxRedirects: 0 });
  if (res.status() !== 302) throw new Error(`dev sign-in as ${email} answered ${res.status()}`);
  const session = await (await request.get('/api/auth/session')).json();
  if (session?.user?.email !== email) throw new Error(`dev sign-in as ${email} did not create a session`);
}
