'use client';

import FullCalendar from '@fullcalendar/react';
import dayGridPlugin from '@fullcalendar/react/daygrid';
import interactionPlugin from '@fullcalendar/react/interaction';
import { sharedOptions, themePlugin } from './fullcalendar-setup';
import { wallDate } from './calendar-time';

interface Props {
  month: string;
  /** confirmed appointments per date of the month */
  counts: Record<string, number>;
  locale: string;
  now: string;
  /** the accessible name of a day: its date and count */
  dayLabel: (dateText: string, count: number | null) => string;
  onOpenDay: (date: string) => void;
  /** true right after a swipe: the tap that ended it opens nothing */
  swiping: () => boolean;
}

/** FullCalendar's month grid: a number badge per day, tap a day to open it. Client only (see month-view). */
export function MonthGrid({ month, counts, locale, now, dayLabel, onOpenDay, swiping }: Props) {
  const countOf = (d: Date) => counts[wallDate(d)] ?? null;
  return (
    <FullCalendar
      {...sharedOptions(locale, now)}
      plugins={[dayGridPlugin, interactionPlugin, themePlugin]}
      initialView="dayGridMonth"
      initialDate={`${month}-01`}
      fixedWeekCount={false}
      showNonCurrentDates
      // The day number is FullCalendar's nav link: a real, keyboard-usable link named by date and count.
      navLinks
      navLinkHint={(dateText: string, date: Date) => dayLabel(dateText, countOf(date))}
      navLinkDayClick={(date: Date) => onOpenDay(wallDate(date))}
      dateClick={(info) => {
        if (!swiping()) onOpenDay(wallDate(info.date));
      }}
      dayCellClass="min-h-18 cursor-pointer"
      // Our own day number and badge replace the theme's small number pill.
      dayCellTopClass="justify-center"
      dayCellTopInnerClass="m-0 h-auto w-auto flex-col rounded-none bg-transparent py-1 hover:bg-transparent"
      dayCellTopContent={(info) => {
        const count = countOf(info.date);
        return (
          <span className="flex flex-col items-center gap-1">
            <span
              className={`flex size-7 items-center justify-center rounded-full text-sm ${info.isToday ? 'bg-primary font-medium text-white' : info.isOther ? 'text-muted' : 'text-ink'}`}
            >
              {info.dayNumberText}
            </span>
            {count ? (
              <span className="flex h-6 min-w-6 items-center justify-center rounded-md bg-appointment px-1.5 text-xs font-medium text-appointment-ink">
                {count}
              </span>
            ) : null}
          </span>
        );
      }}
    />
  );
}
