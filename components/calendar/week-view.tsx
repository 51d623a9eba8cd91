import Link from 'next/link';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import type { WeekViewDto } from '@/lib/queries/week';
import { addDays } from '@/lib/time/dates';
import { buttonVariants } from '../ui/button';
import { cn } from '../ui/cn';
import type { CancelAppointment, SheetMove } from './appointment-sheet';
import { sheetMessages } from './calendar-messages';
import { dateAsUtc } from './calendar-time';
import type { ExceptionActions } from './exception-sheet';
import { repeatsOf, type CalendarT } from './repeat-rule';
import { ViewSwitcher } from './view-switcher';
import { PHONE_DAYS, weekHref } from './view-links';
import { WeekBoard, type WeekBooking } from './week-board';

interface Props {
  practitionerId: number;
  practitionerName: string;
  /** the page's date: the desktop shows its Monday-Sunday week, a phone three days from it */
  anchor: string;
  monday: string;
  week: WeekViewDto;
  /** the clinic's now, `YYYY-MM-DDTHH:MM:00` */
  now: string;
  canManage: boolean;
  actions: ExceptionActions & { cancelAppointment: CancelAppointment };
  move: SheetMove | null;
  booking: WeekBooking | null;
}

/**
 * One practitioner's week: seven columns on a desktop, three days on a phone (swiped by three, as
 * Google Calendar's 3-day view). The server draws the header for both (CSS shows one); the grid is
 * drawn in the browser, which knows its width (week-board.tsx).
 */
export async function WeekView({ practitionerId, practitionerName, anchor, monday, week, now, canManage, actions, move, booking }: Props) {
  const t = await getTranslations('calendar');
  const tw = await getTranslations('calendarViews');
  const tm = await getTranslations('calendarMove');
  const format = await getFormatter();
  const locale = await getLocale();
  const range = (from: string, to: string) =>
    format.dateTimeRange(dateAsUtc(from), dateAsUtc(to), { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
  const dateLabels = Object.fromEntries(
    week.days.map((d) => [
      d.date,
      format.dateTime(dateAsUtc(d.date), { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' }),
    ]),
  );
  const navButton = buttonVariants({ variant: 'ghost', size: 'icon' });
  const phone = 'lg:hidden';
  const desktop = 'hidden lg:inline-flex';
  // (cn: tailwind-merge lets `hidden` win over the button's own `inline-flex`)

  return (
    <div className="flex flex-col">
      <div className="flex flex-wrap items-center gap-1 px-2 pt-2 pb-1">
        <h1 className="min-w-0 flex-1 px-2 text-lg font-medium">
          <span className="sr-only sm:not-sr-only">{t('title', { name: practitionerName })} - </span>
          <span className={phone}>{range(anchor, addDays(anchor, PHONE_DAYS - 1))}</span>
          <span className="hidden lg:inline">{range(monday, addDays(monday, 6))}</span>
        </h1>
        <Link href={weekHref(practitionerId, addDays(anchor, -PHONE_DAYS))} aria-label={tw('previousDays')} className={cn(navButton, phone)}>
          ‹
        </Link>
        <Link href={weekHref(practitionerId, addDays(anchor, PHONE_DAYS))} aria-label={tw('nextDays')} className={cn(navButton, phone)}>
          ›
        </Link>
        <Link href={weekHref(practitionerId, addDays(monday, -7))} aria-label={tw('previousWeek')} className={cn(navButton, desktop)}>
          ‹
        </Link>
        <Link href={weekHref(practitionerId, addDays(monday, 7))} aria-label={tw('nextWeek')} className={cn(navButton, desktop)}>
          ›
        </Link>
        <ViewSwitcher current="week" practitionerId={practitionerId} date={anchor} className="w-full justify-center sm:w-auto" />
      </div>
      {canManage ? null : <p className="px-4 pb-2 text-sm text-muted">{t('readOnly', { name: practitionerName })}</p>}
      <WeekBoard
        practitionerId={practitionerId}
        anchor={anchor}
        monday={monday}
        days={week.days}
        now={now}
        locale={locale}
        canManage={canManage}
        actions={actions}
        move={move}
        booking={booking}
        dateLabels={dateLabels}
        intl={await sheetMessages()}
        labels={{
          section: tw('weekGrid'),
          unavailable: t('unavailable'),
          outsideHours: t('outsideHours'),
          syncFailed: t('syncFailed'),
          allDay: t('allDay'),
          busyGoogle: t('busyGoogle'),
          repeats: repeatsOf(week.days, t as unknown as CalendarT, locale),
          arrived: tm('arrived'),
          noShow: tm('noShow'),
        }}
      />
    </div>
  );
}
