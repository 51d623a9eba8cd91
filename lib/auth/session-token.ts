import 'server-only';
import { getToken } from '@auth/core/jwt';

const SECURE_COOKIE = '__Secure-authjs.session-token';
const COOKIE = 'authjs.session-token';

/**
 * Verified session cookies, by their exact text: opening one (HKDF, then JWE decryption through
 * WebCrypto) is most of what a signed-in read costs beyond Next.js itself, and a browser sends the
 * same cookie until Auth.js refreshes it. The same text under the same secret verifies the same way,
 * so a remembered answer is the answer; it is kept only until the token's own `exp`, and never for
 * a cookie that failed (garbage cannot crowd out real sessions). Bounded; the oldest goes first.
 */
const verified = new Map<string, { secret: string; id: number; expiresAt: number }>();
const MAX_VERIFIED = 2_000;

/** The session cookie's text in a Cookie header (its chunks `name.0`, `name.1`… included), or null. */
function sessionCookieText(cookieHeader: string, name: string): string | null {
  let text = '';
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const cookie = part.slice(0, eq).trim();
    if (cookie === name || cookie.startsWith(`${name}.`)) text += `${cookie}=${part.slice(eq + 1).trim()};`;
  }
  return text || null;
}

/**
 * The member id of a verified Auth.js session cookie (JWT strategy), from a request's Cookie
 * header alone: no Next.js request context, and no new cookie written (Auth.js's `auth()` encrypts
 * a refreshed token on every call, which a read never needs). Which cookie to read: `secure` when
 * the caller knows the request's protocol (routes: HTTPS reads the `__Secure-` cookie); otherwise the
 * cookie's own name tells whether it was set over HTTPS, so pages read it locally and behind Vercel.
 * `now` (ms) is when an expiry is judged; tests move it.
 */
export async function sessionUserId(cookieHeader: string | null, o: { secure?: boolean; now?: number } = {}): Promise<number | null> {
  const secret = process.env.AUTH_SECRET;
  if (!secret || !cookieHeader) return null;
  const secureCookie = o.secure ?? cookieHeader.includes(SECURE_COOKIE);
  const text = sessionCookieText(cookieHeader, secureCookie ? SECURE_COOKIE : COOKIE);
  if (text === null) return null;
  const now = o.now ?? Date.now();
  const known = verified.get(text);
  if (known && known.secret === secret && known.expiresAt > now) return known.id;
  if (known) verified.delete(text);
  // Only the cookie is passed on: getToken would otherwise also read an Authorization bearer.
  const token = await getToken({ req: { headers: { cookie: cookieHeader } }, secret, secureCookie });
  const id = Number(token?.uid);
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  // Auth.js always sets exp; a token without one is judged again each time.
  if (typeof token?.exp !== 'number') return id;
  const expiresAt = token.exp * 1000;
  if (expiresAt <= now) return null;
  if (verified.size >= MAX_VERIFIED) verified.delete(verified.keys().next().value!);
  verified.set(text, { secret, id, expiresAt });
  return id;
}
