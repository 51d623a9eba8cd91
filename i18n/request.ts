import { cookies, headers } from 'next/headers';
import { _createCache } from 'next-intl';
import { getRequestConfig } from 'next-intl/server';
import { LOCALE_COOKIE, pickLocale, type Locale } from './locale';

/*
 * One cache of compiled messages per language for the whole process. next-intl makes a new one for
 * every request, so every page parsed each of its ICU messages again; a compiled message depends only
 * on its text, its language and the formats (none of them per request), and formatting it keeps no
 * state. next-intl passes `_cache` from this config on to its translators.
 */
const compiled = new Map<Locale, ReturnType<typeof _createCache>>();
function compiledMessages(locale: Locale): ReturnType<typeof _createCache> {
  let cache = compiled.get(locale);
  if (!cache) compiled.set(locale, (cache = _createCache()));
  return cache;
}

/*
 * The zone next-intl formats in when a call names none: the server's own, as next-intl would resolve it
 * (it makes an Intl.DateTimeFormat per request to ask); resolved once here. The app's dates name their
 * zone where it matters (the clinic's, or UTC for wall-clock dates).
 */
const serverTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

export default getRequestConfig(async () => {
  const locale = pickLocale((await cookies()).get(LOCALE_COOKIE)?.value, (await headers()).get('accept-language'));
  const messages = (await import(`../messages/${locale}.json`)).default;
  return { locale, messages, timeZone: serverTimeZone, _cache: compiledMessages(locale) } as {
    locale: Locale;
    messages: typeof messages;
    timeZone: string;
  };
});
