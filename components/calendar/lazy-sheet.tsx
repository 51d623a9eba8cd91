'use client';

import type { AbstractIntlMessages } from 'next-intl';
import { lazy, type ComponentType } from 'react';

/** The messages a sheet needs, handed down by the server page (calendar-messages.ts). */
export interface SheetMessages {
  locale: string;
  timeZone: string;
  messages: AbstractIntlMessages;
}

/**
 * A sheet (dialog or drawer, its form) that loads when it first opens, with next-intl's provider
 * around it: the calendar's pages draw every text on the server, so their first load carries no
 * client-side i18n (use-intl and its ICU parser, ~12 KB gzip); the sheets bring it with them.
 */
export function lazySheet<P extends object>(load: () => Promise<ComponentType<P>>) {
  return lazy(async () => {
    const [Sheet, { NextIntlClientProvider }] = await Promise.all([load(), import('next-intl')]);
    function SheetWithMessages({ intl, ...props }: P & { intl: SheetMessages }) {
      return (
        <NextIntlClientProvider locale={intl.locale} timeZone={intl.timeZone} messages={intl.messages}>
          <Sheet {...(props as P)} />
        </NextIntlClientProvider>
      );
    }
    return { default: SheetWithMessages };
  });
}
