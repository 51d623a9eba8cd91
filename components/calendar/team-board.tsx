'use client';

import { Suspense, useCallback, useState, type ReactNode } from 'react';
import { formatTime } from '@/lib/availability/time';
import type { AppointmentEventDto, DayEventDto, ExceptionEventDto } from '@/lib/queries/calendar';
import type { CancelAppointment, SheetMove } from './appointment-sheet';
import type { BookingActions } from './booking-sheet';
import { exceptionInitial, oneHourFrom } from './calendar-time';
import type { ExceptionActions } from './exception-sheet';
import { lazySheet, type SheetMessages } from './lazy-sheet';
import { TEAM_PX_PER_MINUTE } from './view-links';

const ExceptionSheet = lazySheet(() => import('./exception-sheet').then((m) => m.ExceptionSheet));
const AppointmentSheet = lazySheet(() => import('./appointment-sheet').then((m) => m.AppointmentSheet));
const BookingSheet = lazySheet(() => import('./booking-sheet').then((m) => m.BookingSheet));

export interface TeamEvent {
  practitionerId: number;
  canManage: boolean;
  event: DayEventDto;
}

type Open =
  | { kind: 'book'; practitionerId: number; start: string }
  | { kind: 'add'; practitionerId: number; start: string; end: string; allDay: boolean }
  | { kind: 'exception'; practitionerId: number; event: ExceptionEventDto }
  | { kind: 'appointment'; practitionerId: number; canManage: boolean; event: AppointmentEventDto };

interface Props {
  date: string;
  dateLabel: string;
  /** the grid's first minute of the day (its top edge) */
  firstMinute: number;
  columns: Array<{ practitionerId: number; canManage: boolean }>;
  events: Record<string, TeamEvent>;
  actions: ExceptionActions & { cancelAppointment: CancelAppointment };
  /** moving and attendance, for the columns the caller manages (null: none) */
  move: SheetMove | null;
  /** the clinic's now, `YYYY-MM-DDTHH:MM:00` */
  now: string;
  /** booking on a tap of free time, into the tapped column's calendar (the columns the caller manages) */
  booking: { actions: BookingActions; practitioners: ReadonlyArray<{ id: number; name: string }> } | null;
  intl: SheetMessages;
  /** the grid region's accessible name */
  label: string;
  /** the grid, drawn on the server (team-view.tsx) */
  children: ReactNode;
}

/**
 * The team grid's only script: one click handler for the whole grid (no per-column code, however many
 * practitioners), opening an event's sheet or, on a column's free time, the sheet for that practitioner.
 * The region scrolls both ways inside the window's height, so the names (sticky top) and the hours
 * (sticky left) stay in view.
 */
export function TeamBoard({ date, dateLabel, firstMinute, columns, events, actions, move, now, booking, intl, label, children }: Props) {
  const [open, setOpen] = useState<Open | null>(null);
  const close = useCallback(() => setOpen(null), []);
  const managed = new Map(columns.map((c) => [c.practitionerId, c.canManage]));

  function onClick(e: React.MouseEvent<HTMLElement>) {
    if (!(e.target instanceof Element)) return;
    const button = e.target.closest('[data-event]');
    if (button) {
      const found = events[button.getAttribute('data-event') ?? ''];
      if (!found) return;
      const { practitionerId, canManage, event } = found;
      if (event.type === 'appointment') setOpen({ kind: 'appointment', practitionerId, canManage, event });
      else if (canManage) setOpen({ kind: 'exception', practitionerId, event });
      return;
    }
    const column = e.target.closest('[data-column]');
    if (!column) return;
    const practitionerId = Number(column.getAttribute('data-column'));
    if (!managed.get(practitionerId)) return;
    // The half hour under the finger, as the day grid's rows.
    const y = e.clientY - column.getBoundingClientRect().top;
    const minute = Math.min(Math.max(firstMinute + Math.floor(y / TEAM_PX_PER_MINUTE / 30) * 30, 0), 23 * 60 + 30);
    const start = formatTime(minute);
    setOpen(booking ? { kind: 'book', practitionerId, start } : { kind: 'add', practitionerId, ...oneHourFrom(start), allDay: false });
  }

  return (
    <>
      {/* The grid's buttons are real buttons (keyboard included); a tap on free time is the pointer's extra. */}
      <section aria-label={label} className="mx-1 mb-4 max-h-[calc(100dvh-8.5rem)] overflow-auto rounded-lg border border-line" onClick={onClick}>
        {children}
      </section>
      <Suspense>
        {open?.kind === 'book' && booking ? (
          <BookingSheet
            intl={intl}
            practitioners={booking.practitioners}
            practitionerId={open.practitionerId}
            date={date}
            dateLabel={dateLabel}
            start={open.start}
            actions={booking.actions}
            onClose={close}
            onUnavailable={() => setOpen({ kind: 'add', practitionerId: open.practitionerId, ...oneHourFrom(open.start), allDay: false })}
          />
        ) : null}
        {open?.kind === 'add' ? (
          <ExceptionSheet
            intl={intl}
            practitionerId={open.practitionerId}
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
            practitionerId={open.practitionerId}
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
            practitionerId={open.practitionerId}
            appointment={open.event}
            dateLabel={dateLabel}
            canManage={open.canManage}
            cancelAppointment={actions.cancelAppointment}
            onClose={close}
            date={date}
            now={now}
            move={open.canManage ? move : null}
          />
        ) : null}
      </Suspense>
    </>
  );
}
