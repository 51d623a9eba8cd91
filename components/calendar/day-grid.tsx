'use client';

import FullCalendar from '@fullcalendar/react';
import interactionPlugin from '@fullcalendar/react/interaction';
import timeGridPlugin from '@fullcalendar/react/timegrid';
import { Suspense, useMemo, useState } from 'react';
import type { AppointmentEventDto, DayEventDto } from '@/lib/queries/calendar';
import { dayOfWeek } from '@/lib/time/dates';
import { useMediaQuery } from '../ui/use-media-query';
import { dayGridHours, fcDateTime, wallDate, wallTime } from './calendar-time';
import { sharedOptions, themePlugin } from './fullcalendar-setup';
import { lazySheet, type SheetMessages } from './lazy-sheet';
import { exceptionTitle } from './repeat-rule';
import type { MoveAppointment, MoveTarget, RescheduleAction } from './move-confirm';

const MoveConfirm = lazySheet(() => import('./move-confirm').then((m) => m.MoveConfirm));

/** A desktop pointer (mouse, trackpad): appointments can be dragged; phones move them through the sheet. */
const FINE_POINTER = '(pointer: fine)';

export interface DayGridLabels {
  unavailable: string;
  outsideHours: string;
  syncFailed: string;
  allDay: string;
  busyGoogle: string;
  /** repeating exceptions: each rule in words (repeat-rule.ts repeatsOf) */
  repeats?: Record<string, string>;
  /** the attendance badges (day view) */
  arrived?: string;
  noShow?: string;
}

/** Dragging appointments to move them (staff who may manage the calendar): the confirmation's needs. */
export interface GridMove {
  practitionerId: number;
  reschedule: RescheduleAction;
  intl: SheetMessages;
}

interface Props {
  date: string;
  defaultSchedule: Array<{ start_time: string; end_time: string }>;
  events: DayEventDto[];
  /** the practitioner's own Google events counted as busy: grey blocks, no titles, not tappable */
  busy: Array<{ start_time: string | null; end_time: string | null }>;
  locale: string;
  now: string;
  labels: DayGridLabels;
  /** a tap on empty time: its start, or null for the all-day row */
  onTapTime: ((start: string | null) => void) | null;
  onTapEvent: (event: DayEventDto) => void;
  swiping: () => boolean;
  /** null: appointments cannot be dragged (not a manager) */
  move?: GridMove | null;
}

/** Design tokens as FullCalendar event colors (it sets them as CSS variables, so var() works). */
function colorOf(e: DayEventDto): string {
  if (e.type === 'availability_exception') return 'var(--color-exception)';
  return e.outside_hours ? 'var(--color-outside-hours)' : 'var(--color-appointment)';
}

/** FullCalendar's one-day time grid: working hours plain, the rest grayed, events as blocks. Client only. */
export function DayGrid({ date, defaultSchedule, events, busy, locale, now, labels, onTapTime, onTapEvent, swiping, move = null }: Props) {
  const dow = dayOfWeek(date);
  // Drag to move: a manager with a mouse (touch screens scroll and swipe the grid; they move through the sheet).
  const finePointer = useMediaQuery(FINE_POINTER);
  const draggable = move !== null && finePointer;
  const [moving, setMoving] = useState<{ appointment: MoveAppointment; to: MoveTarget; revert: () => void } | null>(null);
  // Working hours and events outside 07:00-22:00 widen the grid: a 06:30 start can be seen and tapped.
  const hours = dayGridHours(defaultSchedule, [...events, ...busy]);
  // No working hours that day: a business-hours entry for another weekday grays out the whole day.
  const businessHours =
    defaultSchedule.length > 0
      ? defaultSchedule.map((i) => ({ daysOfWeek: [dow], startTime: i.start_time, endTime: i.end_time }))
      : [{ daysOfWeek: [(dow + 1) % 7], startTime: '00:00', endTime: '00:01' }];

  // Kept while nothing it is made of changes: FullCalendar resets its events whenever it is handed a
  // new array, and a dropped block must stay where it was dropped while the confirmation asks.
  const fcEvents = useMemo(
    () => [
      ...busy.map((b, i) => ({
        id: `busy-${i}`,
        title: labels.busyGoogle,
        ...(b.start_time && b.end_time
          ? { start: fcDateTime(date, b.start_time), end: fcDateTime(date, b.end_time), allDay: false }
          : { start: date, allDay: true }),
        color: 'var(--color-busy)',
        contrastColor: '#ffffff',
        extendedProps: { busy: true },
      })),
      ...events.map((e) => ({
        id: String(e.calendar_event_id),
        title: e.type === 'appointment' ? e.title : exceptionTitle(labels.unavailable, e, labels.repeats),
        ...(e.start_time && e.end_time
          ? { start: fcDateTime(date, e.start_time), end: fcDateTime(date, e.end_time), allDay: false }
          : { start: date, allDay: true }),
        color: colorOf(e),
        contrastColor: '#ffffff',
        // Appointments only: exceptions and Google's busy time stay put; the length is the type's.
        editable: draggable && e.type === 'appointment' && e.start_time !== null,
        durationEditable: false,
        extendedProps: { dto: e },
      })),
    ],
    [busy, events, date, draggable, labels.busyGoogle, labels.unavailable, labels.repeats],
  );

  return (
    <>
      <FullCalendar
        {...sharedOptions(locale, now)}
        plugins={[timeGridPlugin, interactionPlugin, themePlugin]}
        initialView="timeGridDay"
        initialDate={date}
        dayHeaders={false}
        allDaySlot
        allDayText={labels.allDay}
        slotMinTime={hours.min}
        slotMaxTime={hours.max}
        slotDuration="00:30:00"
        slotHeaderInterval="01:00"
        nowIndicator
        businessHours={businessHours}
        events={fcEvents}
        editable={false}
        // Timed rows only: an appointment cannot become all-day.
        eventAllow={(span) => !span.allDay}
        eventDrop={(info) => {
          const dto = info.event.extendedProps.dto as DayEventDto | undefined;
          const start = info.event.start;
          if (!move || !start || info.event.allDay || dto?.type !== 'appointment') {
            info.revert();
            return;
          }
          setMoving({
            appointment: {
              calendar_event_id: dto.calendar_event_id,
              patient_name: dto.patient_name,
              practitioner_id: move.practitionerId,
              date,
              start_time: dto.start_time,
            },
            to: { date: wallDate(start), start_time: wallTime(start) },
            revert: info.revert,
          });
        }}
        eventClick={(info) => {
          info.jsEvent.preventDefault();
          // Busy time from Google is the practitioner's own: nothing of ours to open.
          if (info.event.extendedProps.busy) return;
          onTapEvent(info.event.extendedProps.dto as DayEventDto);
        }}
        dateClick={
          onTapTime
            ? (info) => {
                if (!swiping()) onTapTime(info.allDay ? null : wallTime(info.date));
              }
            : undefined
        }
        nonBusinessHoursClass="bg-grayed"
        // 30-minute rows of at least 44px: every half hour is a comfortable tap target.
        slotMinHeight={44}
        eventContent={(info) => {
          if (info.event.extendedProps.busy) {
            return (
              <span className="block truncate px-1 text-xs font-medium">
                {info.event.title}
                {info.timeText ? ` · ${info.timeText}` : ''}
              </span>
            );
          }
          const dto = info.event.extendedProps.dto as DayEventDto;
          return (
            <span className="flex min-w-0 flex-col gap-0.5 px-1 text-xs leading-tight">
              <span className="truncate font-medium">{info.event.title}</span>
              {info.timeText ? <span className="truncate">{info.timeText}</span> : null}
              {dto.type === 'appointment' && dto.outside_hours ? (
                <span className="w-fit rounded bg-white px-1 font-medium text-outside-hours">{labels.outsideHours}</span>
              ) : null}
              {dto.type === 'appointment' && dto.attendance ? <AttendanceBadge dto={dto} labels={labels} /> : null}
              {dto.gcal_sync_status === 'sync_failed' ? (
                <span className="w-fit rounded bg-white/90 px-1 text-danger">⚠ {labels.syncFailed}</span>
              ) : null}
            </span>
          );
        }}
        eventTimeFormat={{ hour: '2-digit', minute: '2-digit', hour12: false, hourCycle: 'h23' }}
        slotHeaderFormat={{ hour: '2-digit', minute: '2-digit', hour12: false, hourCycle: 'h23' }}
      />
      <Suspense>
        {moving && move ? (
          <MoveConfirm
            intl={move.intl}
            appointment={moving.appointment}
            to={moving.to}
            actions={{ reschedule: move.reschedule }}
            onDone={(ok) => {
              // Cancelled or refused: the block goes back where it was (the server kept the old time).
              if (!ok) moving.revert();
              setMoving(null);
            }}
          />
        ) : null}
      </Suspense>
    </>
  );
}

/** Arrived (✓) or no-show (✗) on the event's block, in words. */
function AttendanceBadge({ dto, labels }: { dto: AppointmentEventDto; labels: DayGridLabels }) {
  const arrived = dto.attendance === 'arrived';
  const text = arrived ? labels.arrived : labels.noShow;
  if (!text) return null;
  return (
    <span
      data-attendance={dto.attendance}
      className={arrived ? 'w-fit rounded bg-white px-1 font-medium text-primary' : 'w-fit rounded bg-white px-1 font-medium text-danger'}
    >
      {arrived ? '✓' : '✗'} {text}
    </span>
  );
}
