'use client';

import FullCalendar from '@fullcalendar/react';
import interactionPlugin from '@fullcalendar/react/interaction';
import timeGridPlugin from '@fullcalendar/react/timegrid';
import type { DayEventDto } from '@/lib/queries/calendar';
import { dayOfWeek } from '@/lib/time/dates';
import { dayGridHours, fcDateTime, wallTime } from './calendar-time';
import { sharedOptions, themePlugin } from './fullcalendar-setup';

export interface DayGridLabels {
  unavailable: string;
  outsideHours: string;
  syncFailed: string;
  allDay: string;
  busyGoogle: string;
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
}

/** Design tokens as FullCalendar event colors (it sets them as CSS variables, so var() works). */
function colorOf(e: DayEventDto): string {
  if (e.type === 'availability_exception') return 'var(--color-exception)';
  return e.outside_hours ? 'var(--color-outside-hours)' : 'var(--color-appointment)';
}

/** FullCalendar's one-day time grid: working hours plain, the rest grayed, events as blocks. Client only. */
export function DayGrid({ date, defaultSchedule, events, busy, locale, now, labels, onTapTime, onTapEvent, swiping }: Props) {
  const dow = dayOfWeek(date);
  // Working hours and events outside 07:00-22:00 widen the grid: a 06:30 start can be seen and tapped.
  const hours = dayGridHours(defaultSchedule, [...events, ...busy]);
  // No working hours that day: a business-hours entry for another weekday grays out the whole day.
  const businessHours =
    defaultSchedule.length > 0
      ? defaultSchedule.map((i) => ({ daysOfWeek: [dow], startTime: i.start_time, endTime: i.end_time }))
      : [{ daysOfWeek: [(dow + 1) % 7], startTime: '00:00', endTime: '00:01' }];

  return (
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
      events={[
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
          title: e.type === 'appointment' ? e.title : labels.unavailable,
          ...(e.start_time && e.end_time
            ? { start: fcDateTime(date, e.start_time), end: fcDateTime(date, e.end_time), allDay: false }
            : { start: date, allDay: true }),
          color: colorOf(e),
          contrastColor: '#ffffff',
          extendedProps: { dto: e },
        })),
      ]}
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
