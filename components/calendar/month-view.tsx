import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { addMonths, dateOfDayNumber, dayNumber, monthRange } from '@/lib/time/dates';
import { buttonVariants } from '../ui/button';
import { Input } from '../ui/input';
import { sheetMessages } from './calendar-messages';
import { monthHref } from './calendar-time';
import { ClearExceptionsButton } from './clear-exceptions-button';
import { dayLabels, type DayLabelTemplates } from './day-labels';
import type { ClearExceptions } from './clear-exceptions-sheet';
import { MonthGrid } from './month-grid';
import { MonthPicker } from './month-picker';
import { ViewSwitcher } from './view-switcher';

/**
 * A day as text in the page's language (`day`: "November 24, 2026"; `month`: "November 2026"), from
 * its day number: one formatter per language and kind for the process (making one is the cost, and
 * next-intl's formatter makes one per request), and no Date per day.
 */
const dayFormats = new Map<string, Intl.DateTimeFormat>();
const MS_PER_DAY = 86_400_000;
function dayText(locale: string, kind: 'day' | 'month', day: number): string {
  const key = `${kind} ${locale}`;
  let format = dayFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', ...(kind === 'day' ? { day: 'numeric' } : {}), timeZone: 'UTC' });
    dayFormats.set(key, format);
  }
  return format.format(day * MS_PER_DAY);
}

/** The day links' wordings per language, for the process (day-labels.ts). */
const labelTemplates = new Map<string, DayLabelTemplates>();
function labelTemplatesOf(locale: string): DayLabelTemplates {
  let templates = labelTemplates.get(locale);
  if (!templates) labelTemplates.set(locale, (templates = { counted: new Map() }));
  return templates;
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
  const locale = await getLocale();
  const range = monthRange(month)!;
  const first = dayNumber(range.first)!;
  const last = dateOfDayNumber(first + range.days - 1);
  const monthLabel = dayText(locale, 'month', first);
  const counts = Object.fromEntries(days.map((d) => [d.date, d.appointment_count]));
  const unavailable = Object.fromEntries(days.filter((d) => d.exception_count).map((d) => [d.date, d.exception_count!]));
  // Every date the grid can show (whole weeks around the month): its link's name, with the count in the month.
  const dates: string[] = [];
  for (let n = first - 6; n < first + range.days + 6; n++) dates.push(dateOfDayNumber(n));
  const labels = dayLabels({
    dates,
    dateText: (date) => dayText(locale, 'day', dayNumber(date)!),
    counts,
    unavailable,
    counted: (date, count) => t('dayLabel', { date, count }),
    withUnavailable: (label) => t('dayLabelUnavailable', { label }),
    templates: labelTemplatesOf(locale),
  });
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
