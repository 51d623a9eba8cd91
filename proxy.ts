// Redirects only: signed-out page requests go to /signin. Authorization lives in every page,
// server action and route handler (a proxy check does not protect server actions).
export { auth as proxy } from '@/auth';

export const config = {
  matcher: ['/((?!api/|_next/|signin|favicon.ico|.*\\.(?:png|svg|ico|css|js|woff2?)$).*)'],
};
