'use client';

import { useRouter } from 'next/navigation';
import { lazy, Suspense, useCallback, useState } from 'react';
import type { AppointmentEventDto, DayEventDto, DayViewDto, ExceptionEventDto } from '@/lib/queries/calendar';
import { addDays } from '@/lib/time/dates';
import type { CancelAppointment, SheetMove } from './appointment-sheet';
import type { BookingActions } from './booking-sheet';
import { dayHref, exceptionInitial, oneHourFrom } from './calendar-time';
import type { ExceptionActions } from './exception-sheet';
import type { MoveAppointment, MoveTarget } from './move-confirm';
import { GridPlaceholder } from './grid-placeholder';
import { lazySheet, type SheetMessages } from './lazy-sheet';
import { useSwipe } from './use-swipe';
import { useWide } from './use-wide';
import { PHONE_DAYS, weekHref } from './view-links';
import type { MoveDrop, WeekGridLabels } from './week-grid';

// FullCalendar's time grid (~75 KB gzip) loads on demand, as the day view's does (day-board.tsx).
const WeekGrid = lazy(() => import('./week-grid').then((m) => ({ default: m.WeekGrid })));
const ExceptionSheet = lazySheet(() => import('./exception-sheet').then((m) => m.ExceptionSheet));
const AppointmentSheet = lazySheet(() => import('./appointment-sheet').then((m) => m.AppointmentSheet));
const MoveConfirm = lazySheet(() => import('./move-confirm').then((m) => m.MoveConfirm));
const BookingSheet = lazySheet(() => import('./booking-sheet').then((m) => m.BookingSheet));

export interface WeekBooking {
  actions: BookingActions;
  /** whom the sheet may book for */
  practitioners: ReadonlyArray<{ id: number; name: string }>;
}

type Open =
  | { kind: 'book'; date: string; start: string }
  | { kind: 'add'; date: string; start: string; end: string; allDay: boolean }
  | { kind: 'exception'; date: string; event: ExceptionEventDto }
  | { kind: 'appointment'; date: string; event: AppointmentEventDto }
  | { kind: 'move'; appointment: MoveAppointment; to: MoveTarget; done: (ok: boolean) => void };

interface Props {
  practitionerId: number;
  /** the page's date: a desktop shows its Monday-Sunday week, a phone three days from it */
  anchor: string;
  /** the Monday of the anchor's week */
  monday: string;
  /** every day the page loaded (the desktop's week and the phone's three days), by date */
  days: DayViewDto[];
  now: string;
  locale: string;
  canManage: boolean;
  actions: ExceptionActions & { cancelAppointment: CancelAppointment };
  /** moving (drag on a desktop, the sheet's Move step) and attendance: null when the caller may not manage this calendar */
  move: SheetMove | null;
  /** booking from a tap on free time (booking-sheet.tsx), for staff who may manage this calendar; null: not offered */
  booking: WeekBooking | null;
  /** each loaded date as the sheets show it */
  dateLabels: Record<string, string>;
  labels: WeekGridLabels & { section: string };
  intl: SheetMessages;
}

/** The week's grid (three days on a phone, swiped by three) and the sheets it opens. */
export function WeekBoard({
  practitionerId,
  anchor,
  monday,
  days,
  now,
  locale,
  canManage,
  actions,
  move: sheetMove,
  booking,
  dateLabels,
  labels,
  intl,
}: Props) {
  const router = useRouter();
  const wide = useWide();
  const [open, setOpen] = useState<Open | null>(null);
  const close = useCallback(() => setOpen(null), []);
  const { handlers, swiping } = useSwipe((direction) =>
    router.push(weekHref(practitionerId, addDays(anchor, direction === 'next' ? PHONE_DAYS : -PHONE_DAYS))),
  );

  const first = wide ? monday : anchor;
  const count = wide ? 7 : PHONE_DAYS;
  const byDate = new Map(days.map((d) => [d.date, d]));
  const shown = Array.from({ length: count }, (_, i) => byDate.get(addDays(first, i))).filter((d): d is DayViewDto => d !== undefined);

  // Free time: book there (the booking sheet can switch to unavailability), or add unavailability when
  // booking is not offered; the all-day row is unavailability only.
  const tapTime = (date: string, start: string | null) =>
    setOpen(
      start === null
        ? { kind: 'add', date, ...oneHourFrom('09:00'), allDay: true }
        : booking
          ? { kind: 'book', date, start }
          : { kind: 'add', date, ...oneHourFrom(start), allDay: false },
    );
  // A drop asks first (move-confirm.tsx); the grid puts the event back unless the move is made.
  const move: MoveDrop = ({ event, fromDate, date, start }) =>
    new Promise<boolean>((resolve) => {
      if (event.type !== 'appointment' || !event.start_time) return resolve(false);
      setOpen({
        kind: 'move',
        appointment: {
          calendar_event_id: event.calendar_event_id,
          patient_name: event.patient_name,
          practitioner_id: practitionerId,
          date: fromDate,
          start_time: event.start_time,
        },
        to: { date, start_time: start },
        done: resolve,
      });
    });
  const tapEvent = (event: DayEventDto, date: string) =>
    setOpen(event.type === 'appointment' ? { kind: 'appointment', date, event } : canManage ? { kind: 'exception', date, event } : null);

  return (
    <>
      <section
        aria-label={labels.section}
        data-days={wide === null ? undefined : count}
        className="touch-pan-y touch-pinch-zoom px-1 pb-24"
        {...(wide ? {} : handlers)}
      >
        {wide === null ? (
          <GridPlaceholder tall />
        ) : (
          <Suspense fallback={<GridPlaceholder tall />}>
            <WeekGrid
              key={`${first}-${count}`}
              days={shown}
              locale={locale}
              now={now}
              labels={labels}
              onTapTime={canManage ? tapTime : null}
              onTapEvent={tapEvent}
              onOpenDay={(date) => router.push(dayHref(practitionerId, date))}
              swiping={swiping}
              // Dragging is a desktop's (a phone's touch scrolls and swipes); only for who may change the calendar.
              onMove={wide && sheetMove ? move : null}
            />
          </Suspense>
        )}
      </section>
      <Suspense>
        {open?.kind === 'book' && booking ? (
          <BookingSheet
            intl={intl}
            practitioners={booking.practitioners}
            practitionerId={practitionerId}
            date={open.date}
            dateLabel={dateLabels[open.date] ?? open.date}
            start={open.start}
            actions={booking.actions}
            onClose={close}
            onUnavailable={() => setOpen({ kind: 'add', date: open.date, ...oneHourFrom(open.start), allDay: false })}
          />
        ) : null}
        {open?.kind === 'add' ? (
          <ExceptionSheet
            intl={intl}
            practitionerId={practitionerId}
            date={open.date}
            dateLabel={dateLabels[open.date] ?? open.date}
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
            date={open.date}
            dateLabel={dateLabels[open.date] ?? open.date}
            exceptionId={open.event.exception_id}
            initial={exceptionInitial(open.event)}
            actions={actions}
            onClose={close}
          />
        ) : null}
        {open?.kind === 'move' ? (
          <MoveConfirm
            intl={intl}
            appointment={open.appointment}
            to={open.to}
            actions={{ reschedule: sheetMove!.actions.reschedule }}
            onDone={(ok) => {
              open.done(ok);
              close();
            }}
          />
        ) : null}
        {open?.kind === 'appointment' ? (
          <AppointmentSheet
            intl={intl}
            practitionerId={practitionerId}
            appointment={open.event}
            dateLabel={dateLabels[open.date] ?? open.date}
            canManage={canManage}
            cancelAppointment={actions.cancelAppointment}
            onClose={close}
            date={open.date}
            now={now}
            move={sheetMove}
          />
        ) : null}
      </Suspense>
    </>
  );
}
