import { NextResponse, type NextRequest } from 'next/server';

// Redirects only: a page request without a session cookie goes to /signin. Verifying the session
// is the job of every page, server action and route (a proxy check does not protect actions).
// Deliberately not Auth.js's `auth` wrapper: that re-issues the session cookie on every request,
// and a prefetch still in flight while the user signs out would then bring the session back.
const SESSION_COOKIES = ['authjs.session-token', '__Secure-authjs.session-token'];

export function proxy(req: NextRequest) {
  const hasSession = req.cookies.getAll().some((c) => SESSION_COOKIES.some((name) => c.name === name || c.name.startsWith(`${name}.`)));
  if (hasSession) return NextResponse.next();
  const url = new URL('/signin', req.url);
  url.searchParams.set('callbackUrl', req.nextUrl.pathname + req.nextUrl.search);
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ['/((?!api/|_next/|signin|favicon.ico|.*\\.(?:png|svg|ico|css|js|woff2?)$).*)'],
};
