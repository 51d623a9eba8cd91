'use client';

import dynamic from 'next/dynamic';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useFormatter, useLocale, useTranslations } from 'next-intl';
import { useCallback, useState } from 'react';
import { addDays, addMonths, monthRange } from '@/lib/time/dates';
import { dateAsUtc, dayHref, monthHref } from './calendar-time';
import { Button, buttonVariants } from '../ui/button';
import { Input } from '../ui/input';
import { ClearExceptionsSheet, type ClearExceptions } from './clear-exceptions-sheet';
import { GridPlaceholder } from './grid-placeholder';
import { useSwipe } from './use-swipe';

// FullCalendar renders on the server too, where the zone and clock differ: the browser draws it alone.
const MonthGrid = dynamic(() => import('./month-grid').then((m) => m.MonthGrid), { ssr: false, loading: () => <GridPlaceholder /> });

interface Props {
  practitionerId: number;
  practitionerName: string;
  /** YYYY-MM */
  month: string;
  days: Array<{ date: string; appointment_count: number }>;
  /** the clinic's now, `YYYY-MM-DDTHH:MM:00` */
  now: string;
  canManage: boolean;
  clearExceptions: ClearExceptions;
}

/** The design's Monthly Calendar View: a count per day, months by buttons, picker or swipe. */
export function MonthView({ practitionerId, practitionerName, month, days, now, canManage, clearExceptions }: Props) {
  const t = useTranslations('calendar');
  const format = useFormatter();
  const locale = useLocale();
  const router = useRouter();
  const [clearing, setClearing] = useState(false);
  const closeClear = useCallback(() => setClearing(false), []);
  const counts = Object.fromEntries(days.map((d) => [d.date, d.appointment_count]));
  const monthLabel = format.dateTime(dateAsUtc(`${month}-01`), { year: 'numeric', month: 'long', timeZone: 'UTC' });
  const range = monthRange(month)!;
  const goTo = (m: string) => router.push(monthHref(practitionerId, m));
  const { handlers, swiping } = useSwipe((direction) => goTo(addMonths(month, direction === 'next' ? 1 : -1)));

  return (
    <div className="flex flex-col">
      <div className="flex items-center gap-1 px-2 pt-2">
        <Link
          href={monthHref(practitionerId, addMonths(month, -1))}
          aria-label={t('previousMonth')}
          className={buttonVariants({ variant: 'ghost', size: 'icon' })}
        >
          ‹
        </Link>
        <h1 className="min-w-0 flex-1 text-center text-xl font-medium">
          <span className="sr-only sm:not-sr-only">{t('title', { name: practitionerName })} - </span>
          {monthLabel}
        </h1>
        <Link
          href={monthHref(practitionerId, addMonths(month, 1))}
          aria-label={t('nextMonth')}
          className={buttonVariants({ variant: 'ghost', size: 'icon' })}
        >
          ›
        </Link>
      </div>
      <div className="flex flex-wrap items-center justify-between gap-2 px-3 pb-2">
        <label className="flex items-center">
          <span className="sr-only">{t('chooseMonth')}</span>
          <Input
            type="month"
            value={month}
            required
            onChange={(e) => {
              if (monthRange(e.target.value)) goTo(e.target.value);
            }}
            className="w-44 rounded-full px-3"
          />
        </label>
        {canManage ? (
          <Button size="sm" onClick={() => setClearing(true)}>
            {t('clearOpen')}
          </Button>
        ) : null}
      </div>
      <section aria-label={t('monthGrid')} className="touch-pan-y touch-pinch-zoom px-1 pb-6" {...handlers}>
        <MonthGrid
          key={month}
          month={month}
          counts={counts}
          locale={locale}
          now={now}
          swiping={swiping}
          dayLabel={(dateText, count) => (count === null ? dateText : t('dayLabel', { date: dateText, count }))}
          onOpenDay={(date) => router.push(dayHref(practitionerId, date))}
        />
      </section>
      {clearing ? (
        <ClearExceptionsSheet
          practitionerId={practitionerId}
          from={range.first}
          to={addDays(range.first, range.days - 1)}
          clearExceptions={clearExceptions}
          onClose={closeClear}
        />
      ) : null}
    </div>
  );
}
