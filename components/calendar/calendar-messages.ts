import 'server-only';
import { getLocale, getMessages, getTimeZone } from 'next-intl/server';
import type { SheetMessages } from './lazy-sheet';

/** What the calendar's sheets need of the catalog: their own texts and the action errors' (ui/action-error). */
export async function sheetMessages(): Promise<SheetMessages> {
  const [locale, timeZone, messages] = await Promise.all([getLocale(), getTimeZone(), getMessages()]);
  return {
    locale,
    timeZone,
    messages: { calendar: messages.calendar, calendarMove: messages.calendarMove, calendarBook: messages.calendarBook, errors: messages.errors },
  };
}
