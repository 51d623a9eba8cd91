import Link from 'next/link';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import type { DayViewDto } from '@/lib/queries/calendar';
import { addDays } from '@/lib/time/dates';
import { buttonVariants } from '../ui/button';
import { cn } from '../ui/cn';
import type { CancelAppointment, SheetMove } from './appointment-sheet';
import { sheetMessages } from './calendar-messages';
import { dateAsUtc, dayHref, monthHref } from './calendar-time';
import { ClinicDayNote } from './clinic-day-note';
import { DayBoard, type DayBooking } from './day-board';
import type { ExceptionActions } from './exception-sheet';
import { repeatsOf, type CalendarT } from './repeat-rule';
import { ViewSwitcher } from './view-switcher';

interface Props {
  practitionerId: number;
  practitionerName: string;
  day: DayViewDto;
  /** the clinic's now, `YYYY-MM-DDTHH:MM:00` */
  now: string;
  canManage: boolean;
  /** booking from a tapped time: null when the caller may not manage this calendar */
  booking?: Omit<DayBooking, 'addLabel'> | null;
  actions: ExceptionActions & { cancelAppointment: CancelAppointment };
  /** moving and attendance: null when the caller may not manage this calendar */
  move?: SheetMove | null;
}

/**
 * The design's Daily View: hours, appointments and unavailability; tap to add, edit or delete. Drawn on
 * the server, grid included; the grid and its sheets are day-board.tsx.
 */
export async function DayView({ practitionerId, practitionerName, day, now, canManage, actions, move = null, booking = null }: Props) {
  const t = await getTranslations('calendar');
  const tm = await getTranslations('calendarMove');
  const format = await getFormatter();
  const locale = await getLocale();
  const { date } = day;
  const when = dateAsUtc(date);
  const dateLabel = format.dateTime(when, { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
  const shortLabel = format.dateTime(when, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });
  const toMonth = monthHref(practitionerId, date.slice(0, 7));
  const navButton = buttonVariants({ variant: 'ghost', size: 'icon' });

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
      <ViewSwitcher current="day" practitionerId={practitionerId} date={date} className="justify-center px-2 pb-1" />
      {canManage ? null : <p className="px-4 pb-2 text-sm text-muted">{t('readOnly', { name: practitionerName })}</p>}
      {day.clinic_day ? <ClinicDayNote clinicDay={day.clinic_day} /> : null}
      <DayBoard
        practitionerId={practitionerId}
        day={day}
        now={now}
        locale={locale}
        canManage={canManage}
        actions={actions}
        booking={booking ? { ...booking, addLabel: (await getTranslations('calendarBook'))('addAppointment') } : null}
        move={move}
        dateLabel={dateLabel}
        intl={await sheetMessages()}
        labels={{
          section: t('dayGrid'),
          addUnavailability: t('addUnavailability'),
          unavailable: t('unavailable'),
          outsideHours: t('outsideHours'),
          syncFailed: t('syncFailed'),
          allDay: t('allDay'),
          busyGoogle: t('busyGoogle'),
          repeats: repeatsOf([day], t as unknown as CalendarT, locale),
          arrived: tm('arrived'),
          noShow: tm('noShow'),
        }}
        addButtonClass={cn(
          buttonVariants(),
          'fixed right-4 bottom-6 z-40 size-14 rounded-2xl px-0 bg-primary-soft text-3xl font-normal shadow-lg hover:bg-primary-soft',
        )}
      />
    </div>
  );
}
