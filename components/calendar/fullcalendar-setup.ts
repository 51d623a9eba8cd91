import zhTwLocale from '@fullcalendar/react/locales/zh-tw';
import monarchTheme from '@fullcalendar/react/themes/monarch';

/** Options every calendar of ours shares: the theme, the locale, Monday first, clinic wall-clock time. */
export function sharedOptions(locale: string, now: string) {
  return {
    locale: locale === 'zh-TW' ? zhTwLocale : 'en',
    // Dates are clinic wall-clock times written as UTC (see calendar-time.ts): the browser's zone never shifts them.
    timeZone: 'UTC',
    now,
    firstDay: 1,
    headerToolbar: false as const,
    height: 'auto',
  };
}

export const themePlugin = monarchTheme;
