import { createTranslator } from 'next-intl';
import { LOCALE_COOKIE, pickLocale, type Locale } from './locale';

/**
 * The reader's language for a route's answer, as pages choose it: the `locale` cookie, else
 * Accept-Language. Reads the request alone (no Next.js request scope), like the route wrapper.
 */
export function requestLocale(req: Request): Locale {
  const pair = req.headers
    .get('cookie')
    ?.split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${LOCALE_COOKIE}=`));
  return pickLocale(pair?.slice(LOCALE_COOKIE.length + 1), req.headers.get('accept-language'));
}

/** A translator of one namespace of a locale's catalog, outside React (route handlers). */
export async function catalogTranslator(
  locale: Locale,
  namespace: string,
): Promise<(key: string, values?: Record<string, string | number>) => string> {
  const messages = (await import(`../messages/${locale}.json`)).default;
  const t = createTranslator({ locale, messages, namespace: namespace as never });
  return (key, values) => t(key as never, values as never);
}
