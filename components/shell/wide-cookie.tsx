import { WIDE_COOKIE, WIDE_MIN_PX } from '../calendar/view-links';

/**
 * A tiny inline script, run as the browser parses the page's start (before anything is painted): it
 * keeps the cookie WIDE_COOKIE at `1` on a desktop-wide window and removes it otherwise, so that the
 * server can open the calendar on the week for a desktop and on the month for a phone without drawing
 * one and replacing it with the other in the browser (see app/(app)/calendar/page.tsx). Not a secret,
 * not a preference: only the window's width class, read again on every full page load. A phone never
 * gets the cookie at all (a cookie set by a page also replaces a Cookie header that a tool such as
 * Lighthouse adds to every request, signing it out).
 */
export function WideCookie() {
  const cookie = `${WIDE_COOKIE}=`;
  const script =
    `matchMedia("(min-width: ${WIDE_MIN_PX}px)").matches` +
    `?document.cookie="${cookie}1;path=/;max-age=31536000;samesite=lax"` +
    `:/(^|; )${cookie}/.test(document.cookie)&&(document.cookie="${cookie};path=/;max-age=0;samesite=lax")`;
  return <script dangerouslySetInnerHTML={{ __html: script }} />;
}
