'use client';

import { useRouter } from 'next/navigation';
import { lazy, Suspense, useCallback, useState } from 'react';
import type { AppointmentEventDto, DayEventDto, DayViewDto, ExceptionEventDto } from '@/lib/queries/calendar';
import { addDays } from '@/lib/time/dates';
import type { CancelAppointment, SheetMove } from './appointment-sheet';
import type { BookingActions } from './booking-sheet';
import { dayHref, exceptionInitial, oneHourFrom } from './calendar-time';
import { useHydrating } from './calendar-drawing';
import type { DayGridLabels } from './day-grid';
import type { ExceptionActions } from './exception-sheet';
import { GridPlaceholder } from './grid-placeholder';
import { lazySheet, type SheetMessages } from './lazy-sheet';
import { useSwipe } from './use-swipe';

/*
 * The day's grid is drawn in the browser only: FullCalendar's time grid places its axis, rows and events
 * by measuring them, which a server's drawing cannot do (kept as the server drew it, it would show
 * misplaced rows and no events). It is imported on demand, so that its code (~75 KB gzip) stays out of
 * the calendar pages' first load, the month's included; the server's HTML has its placeholder.
 */
const DayGrid = lazy(() => import('./day-grid').then((m) => ({ default: m.DayGrid })));
// The sheets (dialogs, drawers, forms) load when one first opens.
const ExceptionSheet = lazySheet(() => import('./exception-sheet').then((m) => m.ExceptionSheet));
const AppointmentSheet = lazySheet(() => import('./appointment-sheet').then((m) => m.AppointmentSheet));
const BookingSheet = lazySheet(() => import('./booking-sheet').then((m) => m.BookingSheet));

type Open =
  | { kind: 'book'; start: string | null }
  | { kind: 'add'; start: string; end: string; allDay: boolean }
  | { kind: 'exception'; event: ExceptionEventDto }
  | { kind: 'appointment'; event: AppointmentEventDto };

interface Props {
  practitionerId: number;
  day: DayViewDto;
  /** the clinic's now, `YYYY-MM-DDTHH:MM:00` */
  now: string;
  locale: string;
  canManage: boolean;
  actions: ExceptionActions & { cancelAppointment: CancelAppointment };
  /** the day's date as the sheets show it */
  dateLabel: string;
  labels: DayGridLabels & { section: string; addUnavailability: string };
  intl: SheetMessages;
  /** the "+" button's classes, from the server (ui/button's variants) */
  addButtonClass: string;
  /** moving (drag on a desktop, the sheet's Move) and attendance, for staff who may manage the calendar */
  move?: SheetMove | null;
  /**
   * Booking from the calendar, for staff who may manage it: a tap on free time (and "+") opens the
   * booking sheet, which can switch to unavailability. Without it they add unavailability directly.
   */
  booking?: DayBooking | null;
}

export interface DayBooking {
  actions: BookingActions;
  /** whom the sheet may book for (this calendar's practitioner) */
  practitioners: ReadonlyArray<{ id: number; name: string }>;
  /** the "+" button's name when it opens the booking sheet */
  addLabel: string;
}

/** The day's grid and what it opens: tap empty time to add unavailability, an event to see or edit it. */
export function DayBoard({
  practitionerId,
  day,
  now,
  locale,
  canManage,
  actions,
  dateLabel,
  labels,
  intl,
  addButtonClass,
  move = null,
  booking = null,
}: Props) {
  const router = useRouter();
  const [open, setOpen] = useState<Open | null>(null);
  const close = useCallback(() => setOpen(null), []);
  const { date } = day;
  const hydrating = useHydrating();
  const { handlers, swiping } = useSwipe((direction) => router.push(dayHref(practitionerId, addDays(date, direction === 'next' ? 1 : -1))));

  const addAt = (start: string | null) =>
    setOpen(
      start === null
        ? { kind: 'add', ...oneHourFrom('09:00'), allDay: true }
        : booking
          ? { kind: 'book', start }
          : { kind: 'add', ...oneHourFrom(start), allDay: false },
    );
  const tapEvent = (event: DayEventDto) =>
    setOpen(event.type === 'appointment' ? { kind: 'appointment', event } : canManage ? { kind: 'exception', event } : null);

  return (
    <>
      <section aria-label={labels.section} className="touch-pan-y touch-pinch-zoom px-1 pb-24" {...handlers}>
        {hydrating ? (
          <GridPlaceholder tall />
        ) : (
          <Suspense fallback={<GridPlaceholder tall />}>
            <DayGrid
              key={date}
              date={date}
              defaultSchedule={day.default_schedule}
              events={day.events}
              busy={day.busy}
              locale={locale}
              now={now}
              labels={labels}
              onTapTime={canManage ? addAt : null}
              onTapEvent={tapEvent}
              swiping={swiping}
              move={move ? { practitionerId, reschedule: move.actions.reschedule, intl } : null}
            />
          </Suspense>
        )}
      </section>
      {canManage ? (
        <button
          type="button"
          aria-label={booking ? booking.addLabel : labels.addUnavailability}
          onClick={() => (booking ? setOpen({ kind: 'book', start: null }) : addAt('09:00'))}
          className={addButtonClass}
        >
          +
        </button>
      ) : null}
      <Suspense>
        {open?.kind === 'book' && booking ? (
          <BookingSheet
            intl={intl}
            practitioners={booking.practitioners}
            practitionerId={practitionerId}
            date={date}
            dateLabel={dateLabel}
            start={open.start}
            actions={booking.actions}
            onClose={close}
            onUnavailable={() => setOpen({ kind: 'add', ...oneHourFrom(open.start ?? '09:00'), allDay: false })}
          />
        ) : null}
        {open?.kind === 'add' ? (
          <ExceptionSheet
            intl={intl}
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
            intl={intl}
            practitionerId={practitionerId}
            date={date}
            dateLabel={dateLabel}
            exceptionId={open.event.exception_id}
            initial={exceptionInitial(open.event)}
            actions={actions}
            onClose={close}
          />
        ) : null}
        {open?.kind === 'appointment' ? (
          <AppointmentSheet
            intl={intl}
            practitionerId={practitionerId}
            appointment={open.event}
            dateLabel={dateLabel}
            canManage={canManage}
            cancelAppointment={actions.cancelAppointment}
            onClose={close}
            date={date}
            now={now}
            move={move}
          />
        ) : null}
      </Suspense>
    </>
  );
}
