import { NextResponse, type NextRequest } from 'next/server';

// Redirects only: a page request without a session cookie goes to /signin. Verifying the session
// is the job of every page, server action and route (a proxy check does not protect actions).
// Deliberately not Auth.js's `auth` wrapper: that re-issues the session cookie on every request,
// and a prefetch still in flight while the user signs out would then bring the session back.
const SESSION_COOKIES = ['authjs.session-token', '__Secure-authjs.session-token'];

/** Pages anyone may open (and post their server actions to) without a session. */
const PUBLIC_PAGES = /^\/signin(?:\/|$)/;

/** The host the request was sent to, as Next.js's own server-action check sees it. */
function requestHost(req: NextRequest): string | null {
  const forwarded = req.headers.get('x-forwarded-host')?.split(',')[0]?.trim();
  return forwarded || req.headers.get('host');
}

/**
 * A server action posted from another origin (CSRF). Next.js refuses it by throwing, which answers
 * 500; here it is refused first with the contract's 403. No Origin header at all is let through,
 * as Next.js does (older clients); an Origin that is not a URL (e.g. `null`) is foreign.
 */
function isForeignServerAction(req: NextRequest): boolean {
  if (req.method !== 'POST' || !req.headers.has('next-action')) return false;
  const origin = req.headers.get('origin');
  if (origin === null) return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return true;
  }
  return originHost === '' || originHost !== requestHost(req);
}

export function proxy(req: NextRequest) {
  if (isForeignServerAction(req)) {
    return NextResponse.json(
      { error: 'forbidden', message: 'Server actions are accepted from this site only' },
      { status: 403, headers: { 'X-Content-Type-Options': 'nosniff' } },
    );
  }
  if (PUBLIC_PAGES.test(req.nextUrl.pathname)) return NextResponse.next();
  // A server action authenticates itself and answers "sign in again" as its own result; a redirect
  // to the sign-in page would only break the client's reading of that answer.
  if (req.method === 'POST' && req.headers.has('next-action')) return NextResponse.next();
  const hasSession = req.cookies.getAll().some((c) => SESSION_COOKIES.some((name) => c.name === name || c.name.startsWith(`${name}.`)));
  if (hasSession) return NextResponse.next();
  const url = new URL('/signin', req.url);
  url.searchParams.set('callbackUrl', req.nextUrl.pathname + req.nextUrl.search);
  return NextResponse.redirect(url);
}

export const config = {
  // Every page path (server actions are posted to pages, /signin included); not the API, /llms.txt (for agents), assets or build files.
  matcher: ['/((?!api/|_next/|favicon.ico|llms\\.txt$|.*\\.(?:png|svg|ico|css|js|woff2?)$).*)'],
};
