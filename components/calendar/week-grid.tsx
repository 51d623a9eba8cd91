'use client';

import FullCalendar from '@fullcalendar/react';
import interactionPlugin from '@fullcalendar/react/interaction';
import timeGridPlugin from '@fullcalendar/react/timegrid';
import type { DayEventDto, DayViewDto } from '@/lib/queries/calendar';
import { dayOfWeek } from '@/lib/time/dates';
import { visibleHours, fcDateTime, wallDate, wallTime } from './calendar-time';
import { sharedOptions, themePlugin } from './fullcalendar-setup';
import { exceptionTitle } from './repeat-rule';

export interface WeekGridLabels {
  unavailable: string;
  outsideHours: string;
  syncFailed: string;
  allDay: string;
  busyGoogle: string;
  arrived: string;
  noShow: string;
  /** repeating exceptions: each rule in words (repeat-rule.ts repeatsOf) */
  repeats?: Record<string, string>;
}

/** A drop of an appointment on another time: resolve to keep it there, reject to put it back. */
export type MoveDrop = (move: { event: DayEventDto; fromDate: string; date: string; start: string }) => Promise<boolean>;

interface Props {
  /** consecutive days, each as the day view has it */
  days: DayViewDto[];
  locale: string;
  now: string;
  labels: WeekGridLabels;
  /** a tap on empty time: its date and start, or null for the all-day row */
  onTapTime: ((date: string, start: string | null) => void) | null;
  onTapEvent: (event: DayEventDto, date: string) => void;
  /** a tap on a day's header */
  onOpenDay: (date: string) => void;
  swiping: () => boolean;
  /** drag appointments to move them (desktop); null: not draggable */
  onMove: MoveDrop | null;
}

/** Design tokens as FullCalendar event colors (it sets them as CSS variables, so var() works). */
function colorOf(e: DayEventDto): string {
  if (e.type === 'availability_exception') return 'var(--color-exception)';
  return e.outside_hours ? 'var(--color-outside-hours)' : 'var(--color-appointment)';
}

/** The grid's hours: 07:00-22:00 widened around every shown day's working hours and timed events. */
export function weekGridHours(days: DayViewDto[]): { min: string; max: string } {
  return visibleHours(
    days.flatMap((d) =>
      [...d.default_schedule, ...d.events, ...d.busy].flatMap((e) => (e.start_time && e.end_time ? [{ start: e.start_time, end: e.end_time }] : [])),
    ),
  );
}

/**
 * FullCalendar's time grid over several days (seven on a desktop, three on a phone): each day's
 * working hours plain, the rest grayed, its events as blocks coloured as in the day view. Client only.
 */
export function WeekGrid({ days, locale, now, labels, onTapTime, onTapEvent, onOpenDay, swiping, onMove }: Props) {
  const first = days[0]!.date;
  const hours = weekGridHours(days);
  // Each shown date has its own weekday (at most seven days): its working hours are that weekday's.
  const businessHours = days.flatMap((d) =>
    d.default_schedule.map((i) => ({ daysOfWeek: [dayOfWeek(d.date)], startTime: i.start_time, endTime: i.end_time })),
  );
  // No working hours on any shown day: an entry that recurs only long ago grays every day out (an
  // empty list would gray nothing).
  const grayed =
    businessHours.length > 0
      ? businessHours
      : [{ daysOfWeek: [1], startTime: '00:00', endTime: '00:01', startRecur: '1970-01-01', endRecur: '1970-01-02' }];

  return (
    <FullCalendar
      {...sharedOptions(locale, now)}
      plugins={[timeGridPlugin, interactionPlugin, themePlugin]}
      initialView="timeGrid"
      duration={{ days: days.length }}
      initialDate={first}
      allDaySlot
      allDayText={labels.allDay}
      slotMinTime={hours.min}
      slotMaxTime={hours.max}
      slotDuration="00:30:00"
      slotHeaderInterval="01:00"
      nowIndicator
      businessHours={grayed}
      nonBusinessHoursClass="bg-grayed"
      slotMinHeight={44}
      // A day's header opens that day.
      navLinks
      navLinkDayClick={(date: Date) => onOpenDay(wallDate(date))}
      dayHeaderFormat={{ weekday: 'short', day: 'numeric' }}
      editable={onMove !== null}
      eventStartEditable={onMove !== null}
      eventDurationEditable={false}
      events={days.flatMap((d) => [
        // The clinic calendar's holiday or make-up workday, named across the top of its day (nothing to open).
        ...(d.clinic_day
          ? [
              {
                id: `clinic-day-${d.date}`,
                title: d.clinic_day.name,
                start: d.date,
                allDay: true,
                color: d.clinic_day.kind === 'closed' ? 'var(--color-exception)' : 'var(--color-busy)',
                contrastColor: '#ffffff',
                editable: false,
                extendedProps: { busy: true },
              },
            ]
          : []),
        ...d.busy.map((b, i) => ({
          id: `busy-${d.date}-${i}`,
          title: labels.busyGoogle,
          ...(b.start_time && b.end_time
            ? { start: fcDateTime(d.date, b.start_time), end: fcDateTime(d.date, b.end_time), allDay: false }
            : { start: d.date, allDay: true }),
          color: 'var(--color-busy)',
          contrastColor: '#ffffff',
          editable: false,
          extendedProps: { busy: true },
        })),
        ...d.events.map((e) => ({
          // A repeating exception's occurrences share their series' event: one id per day, so none stands for another.
          id: e.type === 'availability_exception' && e.occurrence_date ? `${e.calendar_event_id}@${e.occurrence_date}` : String(e.calendar_event_id),
          title: e.type === 'appointment' ? e.title : exceptionTitle(labels.unavailable, e, labels.repeats),
          ...(e.start_time && e.end_time
            ? { start: fcDateTime(d.date, e.start_time), end: fcDateTime(d.date, e.end_time), allDay: false }
            : { start: d.date, allDay: true }),
          color: colorOf(e),
          contrastColor: '#ffffff',
          // Only appointments move by drag; exceptions are changed in their sheet.
          editable: e.type === 'appointment',
          extendedProps: { dto: e, date: d.date },
        })),
      ])}
      eventClick={(info) => {
        info.jsEvent.preventDefault();
        // Busy time from Google is the practitioner's own, a clinic day the admin's: nothing to open here.
        if (info.event.extendedProps.busy) return;
        onTapEvent(info.event.extendedProps.dto as DayEventDto, info.event.extendedProps.date as string);
      }}
      dateClick={
        onTapTime
          ? (info) => {
              if (!swiping()) onTapTime(wallDate(info.date), info.allDay ? null : wallTime(info.date));
            }
          : undefined
      }
      eventDrop={(info) => {
        const start = info.event.start;
        if (!onMove || !start || info.event.allDay) {
          info.revert();
          return;
        }
        void onMove({
          event: info.event.extendedProps.dto as DayEventDto,
          fromDate: info.event.extendedProps.date as string,
          date: wallDate(start),
          start: wallTime(start),
        }).then((kept) => {
          if (!kept) info.revert();
        });
      }}
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
            {dto.type === 'appointment' && dto.attendance ? (
              <span className={`w-fit rounded bg-white px-1 font-medium ${dto.attendance === 'no_show' ? 'text-danger' : 'text-success'}`}>
                {dto.attendance === 'no_show' ? labels.noShow : labels.arrived}
              </span>
            ) : null}
            {dto.gcal_sync_status === 'sync_failed' ? (
              <span className="w-fit rounded bg-white/90 px-1 text-danger">⚠ {labels.syncFailed}</span>
            ) : null}
          </span>
        );
      }}
      eventTimeFormat={{ hour: '2-digit', minute: '2-digit', hour12: false, hourCycle: 'h23' }}
      slotHeaderFormat={{ hour: '2-digit', minute: '2-digit', hour12: false, hourCycle: 'h23' }}
    />
  );
}
