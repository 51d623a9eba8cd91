'use client';

import dynamic from 'next/dynamic';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useFormatter, useLocale, useTranslations } from 'next-intl';
import { useCallback, useState } from 'react';
import type { AppointmentEventDto, DayEventDto, DayViewDto, ExceptionEventDto } from '@/lib/queries/calendar';
import { addDays } from '@/lib/time/dates';
import { Button, buttonVariants } from '../ui/button';
import { cn } from '../ui/cn';
import { AppointmentSheet, type CancelAppointment } from './appointment-sheet';
import { dateAsUtc, dayHref, monthHref, oneHourFrom } from './calendar-time';
import { ExceptionSheet, type ExceptionActions } from './exception-sheet';
import { GridPlaceholder } from './grid-placeholder';
import { useSwipe } from './use-swipe';

// FullCalendar renders on the server too, where the zone and clock differ: the browser draws it alone.
const DayGrid = dynamic(() => import('./day-grid').then((m) => m.DayGrid), { ssr: false, loading: () => <GridPlaceholder tall /> });

type Open =
  | { kind: 'add'; start: string; end: string; allDay: boolean }
  | { kind: 'exception'; event: ExceptionEventDto }
  | { kind: 'appointment'; event: AppointmentEventDto };

interface Props {
  practitionerId: number;
  practitionerName: string;
  day: DayViewDto;
  /** the clinic's now, `YYYY-MM-DDTHH:MM:00` */
  now: string;
  canManage: boolean;
  actions: ExceptionActions & { cancelAppointment: CancelAppointment };
}

const navButton = buttonVariants({ variant: 'ghost', size: 'icon' });

/** The design's Daily View: hours, appointments and unavailability; tap to add, edit or delete. */
export function DayView({ practitionerId, practitionerName, day, now, canManage, actions }: Props) {
  const t = useTranslations('calendar');
  const format = useFormatter();
  const locale = useLocale();
  const router = useRouter();
  const [open, setOpen] = useState<Open | null>(null);
  const close = useCallback(() => setOpen(null), []);
  const { date } = day;
  const when = dateAsUtc(date);
  const dateLabel = format.dateTime(when, { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
  const shortLabel = format.dateTime(when, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });
  const toMonth = monthHref(practitionerId, date.slice(0, 7));
  const { handlers, swiping } = useSwipe((direction) => router.push(dayHref(practitionerId, addDays(date, direction === 'next' ? 1 : -1))));

  const addAt = (start: string | null) =>
    setOpen(start === null ? { kind: 'add', ...oneHourFrom('09:00'), allDay: true } : { kind: 'add', ...oneHourFrom(start), allDay: false });
  const tapEvent = (event: DayEventDto) =>
    setOpen(event.type === 'appointment' ? { kind: 'appointment', event } : canManage ? { kind: 'exception', event } : null);

  return (
    <div className="flex flex-col">
      <div className="flex items-center gap-1 px-2 pt-2 pb-1">
        <Link href={toMonth} aria-label={t('backToMonth')} className={navButton}>
          ←
        </Link>
        <h1 className="min-w-0 flex-1 text-lg font-medium">
          <span className="sr-only sm:not-sr-only">{t('title', { name: practitionerName })} - </span>
          <Link href={toMonth} className={cn(buttonVariants({ variant: 'ghost', size: 'sm' }), 'px-2 text-lg')}>
            <span className="sm:hidden">{shortLabel}</span>
            <span className="hidden sm:inline">{dateLabel}</span>
          </Link>
        </h1>
        <Link href={dayHref(practitionerId, addDays(date, -1))} aria-label={t('previousDay')} className={navButton}>
          ‹
        </Link>
        <Link href={dayHref(practitionerId, addDays(date, 1))} aria-label={t('nextDay')} className={navButton}>
          ›
        </Link>
      </div>
      {canManage ? null : <p className="px-4 pb-2 text-sm text-muted">{t('readOnly', { name: practitionerName })}</p>}
      <section aria-label={t('dayGrid')} className="touch-pan-y touch-pinch-zoom px-1 pb-24" {...handlers}>
        <DayGrid
          key={date}
          date={date}
          defaultSchedule={day.default_schedule}
          events={day.events}
          busy={day.busy}
          locale={locale}
          now={now}
          labels={{
            unavailable: t('unavailable'),
            outsideHours: t('outsideHours'),
            syncFailed: t('syncFailed'),
            allDay: t('allDay'),
            busyGoogle: t('busyGoogle'),
          }}
          onTapTime={canManage ? addAt : null}
          onTapEvent={tapEvent}
          swiping={swiping}
        />
      </section>
      {canManage ? (
        <Button
          aria-label={t('addUnavailability')}
          onClick={() => addAt('09:00')}
          className="fixed right-4 bottom-6 z-40 size-14 rounded-2xl px-0 bg-primary-soft text-3xl font-normal shadow-lg hover:bg-primary-soft"
        >
          +
        </Button>
      ) : null}
      {open?.kind === 'add' ? (
        <ExceptionSheet
          practitionerId={practitionerId}
          date={date}
          dateLabel={dateLabel}
          exceptionId={null}
          initial={open}
          actions={actions}
          onClose={close}
        />
      ) : null}
      {open?.kind === 'exception' ? (
        <ExceptionSheet
          practitionerId={practitionerId}
          date={date}
          dateLabel={dateLabel}
          exceptionId={open.event.exception_id}
          initial={{ start: open.event.start_time ?? '09:00', end: open.event.end_time ?? '10:00', allDay: open.event.start_time === null }}
          actions={actions}
          onClose={close}
        />
      ) : null}
      {open?.kind === 'appointment' ? (
        <AppointmentSheet
          practitionerId={practitionerId}
          appointment={open.event}
          dateLabel={dateLabel}
          canManage={canManage}
          cancelAppointment={actions.cancelAppointment}
          onClose={close}
        />
      ) : null}
    </div>
  );
}
