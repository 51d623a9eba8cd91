import 'server-only';
import { getToken } from '@auth/core/jwt';

const SECURE_COOKIE = '__Secure-authjs.session-token';

/**
 * The member id of a verified Auth.js session cookie (JWT strategy), from a request's Cookie
 * header alone: no Next.js request context, and no new cookie written (Auth.js's `auth()` encrypts
 * a refreshed token on every call, which a read never needs). Which cookie to read: `secure` when
 * the caller knows the request's protocol (routes: HTTPS reads the `__Secure-` cookie); otherwise the
 * cookie's own name tells whether it was set over HTTPS, so pages read it locally and behind Vercel.
 */
export async function sessionUserId(cookieHeader: string | null, o: { secure?: boolean } = {}): Promise<number | null> {
  const secret = process.env.AUTH_SECRET;
  if (!secret || !cookieHeader) return null;
  const secureCookie = o.secure ?? cookieHeader.includes(SECURE_COOKIE);
  // Only the cookie is passed on: getToken would otherwise also read an Authorization bearer.
  const token = await getToken({ req: { headers: { cookie: cookieHeader } }, secret, secureCookie });
  const id = Number(token?.uid);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}
