import FullCalendar from '@fullcalendar/react';
import dayGridPlugin from '@fullcalendar/react/daygrid';
import { wallDate } from './calendar-time';
import { sharedOptions, themePlugin } from './fullcalendar-setup';

export interface MonthCalendarProps {
  /** YYYY-MM */
  month: string;
  /** confirmed appointments per date of the month */
  counts: Record<string, number>;
  /** availability exceptions per date (occurrences of repeating ones included): a red mark */
  unavailable?: Record<string, number>;
  /** the accessible name of each shown date's link: its date and, in the month, its count */
  labels: Record<string, string>;
  locale: string;
  /** the clinic's now, `YYYY-MM-DDTHH:MM:00` */
  now: string;
}

const ignore = () => undefined;

/**
 * FullCalendar's month grid: a number badge per day. A pure drawing: taps and keys are handled by the
 * grid's section around it (month-grid.tsx), the same way whether the server or the browser drew it.
 */
export function MonthCalendar({ month, counts, unavailable = {}, labels, locale, now }: MonthCalendarProps) {
  const countOf = (d: Date) => counts[wallDate(d)] ?? null;
  return (
    <FullCalendar
      {...sharedOptions(locale, now)}
      plugins={[dayGridPlugin, themePlugin]}
      initialView="dayGridMonth"
      initialDate={`${month}-01`}
      fixedWeekCount={false}
      showNonCurrentDates
      // The day number is FullCalendar's nav link: a keyboard-usable link named by date and count.
      navLinks
      navLinkHint={(dateText: string, date: Date) => labels[wallDate(date)] ?? dateText}
      navLinkDayClick={ignore}
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
            {/* Named by the day's link (labels); the mark itself is decoration. */}
            {unavailable[wallDate(info.date)] ? <span aria-hidden data-unavailable className="h-1.5 w-5 rounded-full bg-exception" /> : null}
          </span>
        );
      }}
    />
  );
}
