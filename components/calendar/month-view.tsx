import Link from 'next/link';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { addDays, addMonths, monthRange } from '@/lib/time/dates';
import { buttonVariants } from '../ui/button';
import { Input } from '../ui/input';
import { sheetMessages } from './calendar-messages';
import { dateAsUtc, monthHref } from './calendar-time';
import { ClearExceptionsButton } from './clear-exceptions-button';
import type { ClearExceptions } from './clear-exceptions-sheet';
import { MonthGrid } from './month-grid';
import { MonthPicker } from './month-picker';
import { ViewSwitcher } from './view-switcher';

/** The long date of a shown day: one formatter per language for the process (making one is the cost). */
const longDateFormats = new Map<string, Intl.DateTimeFormat>();
function longDate(locale: string, date: string): string {
  let format = longDateFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
    longDateFormats.set(locale, format);
  }
  return format.format(dateAsUtc(date));
}

interface Props {
  practitionerId: number;
  practitionerName: string;
  /** YYYY-MM */
  month: string;
  days: Array<{ date: string; appointment_count: number; exception_count?: number }>;
  /** the clinic's now, `YYYY-MM-DDTHH:MM:00` */
  now: string;
  canManage: boolean;
  clearExceptions: ClearExceptions;
}

/**
 * The design's Monthly Calendar View: a count per day, months by buttons, picker or swipe. Drawn on the
 * server, grid included (month-grid.tsx); the browser gets only the small interactive parts.
 */
export async function MonthView({ practitionerId, practitionerName, month, days, now, canManage, clearExceptions }: Props) {
  const t = await getTranslations('calendar');
  const format = await getFormatter();
  const locale = await getLocale();
  const range = monthRange(month)!;
  const last = addDays(range.first, range.days - 1);
  const monthLabel = format.dateTime(dateAsUtc(range.first), { year: 'numeric', month: 'long', timeZone: 'UTC' });
  const counts = Object.fromEntries(days.map((d) => [d.date, d.appointment_count]));
  const unavailable = Object.fromEntries(days.filter((d) => d.exception_count).map((d) => [d.date, d.exception_count!]));
  // Every date the grid can show (whole weeks around the month): its link's name, with the count in the month.
  const labels: Record<string, string> = {};
  for (let date = addDays(range.first, -6); date <= addDays(last, 6); date = addDays(date, 1)) {
    const dateText = longDate(locale, date);
    const count = counts[date];
    const label = count === undefined ? dateText : t('dayLabel', { date: dateText, count });
    labels[date] = unavailable[date] ? t('dayLabelUnavailable', { label }) : label;
  }
  const navButton = buttonVariants({ variant: 'ghost', size: 'icon' });

  return (
    <div className="flex flex-col">
      <div className="flex items-center gap-1 px-2 pt-2">
        <Link href={monthHref(practitionerId, addMonths(month, -1))} aria-label={t('previousMonth')} className={navButton}>
          ‹
        </Link>
        <h1 className="min-w-0 flex-1 text-center text-xl font-medium">
          <span className="sr-only sm:not-sr-only">{t('title', { name: practitionerName })} - </span>
          {monthLabel}
        </h1>
        <Link href={monthHref(practitionerId, addMonths(month, 1))} aria-label={t('nextMonth')} className={navButton}>
          ›
        </Link>
      </div>
      <div className="flex flex-wrap items-center justify-between gap-2 px-3 pb-2">
        <MonthPicker practitionerId={practitionerId}>
          <span className="sr-only">{t('chooseMonth')}</span>
          <Input key={month} type="month" defaultValue={month} required className="w-44 rounded-full px-3" />
        </MonthPicker>
        {canManage ? (
          <ClearExceptionsButton
            practitionerId={practitionerId}
            from={range.first}
            to={last}
            clearExceptions={clearExceptions}
            label={t('clearOpen')}
            intl={await sheetMessages()}
            className={buttonVariants({ size: 'sm' })}
          />
        ) : null}
      </div>
      <ViewSwitcher
        current="month"
        practitionerId={practitionerId}
        // The other views open on today when it is in this month, else on the month's first day.
        date={now.slice(0, 7) === month ? now.slice(0, 10) : range.first}
        className="justify-center px-2 pb-2"
      />
      <MonthGrid
        key={month}
        practitionerId={practitionerId}
        label={t('monthGrid')}
        month={month}
        counts={counts}
        unavailable={unavailable}
        labels={labels}
        locale={locale}
        // The grid shows today's date, not the time: one drawing serves the whole day (server-drawing.ts).
        now={`${now.slice(0, 10)}T00:00:00`}
      />
    </div>
  );
}
