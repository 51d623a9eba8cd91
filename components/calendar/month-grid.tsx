'use client';

import { useRouter } from 'next/navigation';
import { useRef } from 'react';
import { addMonths } from '@/lib/time/dates';
import { CalendarDrawing } from './calendar-drawing';
import { dayHref, monthHref } from './calendar-time';
import { GridPlaceholder } from './grid-placeholder';
import type { MonthCalendarProps } from './month-calendar';
import { useSwipe } from './use-swipe';

/*
 * The server draws the month with FullCalendar into the page's HTML, counts included, and the browser
 * keeps that drawing (calendar-drawing.tsx): FullCalendar's code (~75 KB gzip) and its render (a long
 * task on a phone) stay out of the page's load. Taps and keys are handled here, on the section, the same
 * way whoever drew the grid. `typeof window` is a build-time constant in Next.js bundles, so the browser's
 * bundle has no `require` of FullCalendar below, only the on-demand import.
 */
const serverCalendar =
  typeof window === 'undefined'
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- server-only branch, see above
      (require('./month-calendar') as typeof import('./month-calendar')).MonthCalendar
    : null;
const loadCalendar = () => import('./month-calendar').then((m) => m.MonthCalendar);

interface Props extends MonthCalendarProps {
  practitionerId: number;
  /** the section's accessible name */
  label: string;
}

/** The month grid's section: the drawing, a tap or Enter on a day opens it, a sideways swipe changes month. */
export function MonthGrid({ practitionerId, label, ...calendar }: Props) {
  const router = useRouter();
  const { handlers, swiping } = useSwipe((direction) =>
    router.push(monthHref(practitionerId, addMonths(calendar.month, direction === 'next' ? 1 : -1))),
  );

  const pressedAt = useRef<{ x: number; y: number } | null>(null);
  const dayOf = (target: EventTarget | null) =>
    target instanceof Element ? target.closest('[role="cell"][data-date]')?.getAttribute('data-date') : null;
  const openDay = (date: string) => router.push(dayHref(practitionerId, date));

  return (
    <section
      aria-label={label}
      className="touch-pan-y touch-pinch-zoom px-1 pb-6"
      {...handlers}
      onPointerDown={(e) => {
        pressedAt.current = { x: e.clientX, y: e.clientY };
      }}
      onClick={(e) => {
        // The day under the finger, as FullCalendar's dateClick has it: the browser moves a tap's click
        // towards the nearest link (near a cell's bottom edge, the next week's day number).
        const at = pressedAt.current;
        pressedAt.current = null;
        const pressed = at ? document.elementFromPoint(at.x, at.y) : e.target;
        const date = pressed instanceof Node && e.currentTarget.contains(pressed) ? dayOf(pressed) : null;
        // The tap that ends a swipe opens nothing.
        if (date && !swiping()) openDay(date);
      }}
      onKeyDown={(e) => {
        // The day number is a link (role="link", focusable): Enter or Space opens its day.
        if (e.key !== 'Enter' && e.key !== ' ') return;
        const date = e.target instanceof Element && e.target.closest('[role="link"]') ? dayOf(e.target) : null;
        if (!date) return;
        e.preventDefault();
        openDay(date);
      }}
    >
      <CalendarDrawing key={calendar.month} server={serverCalendar} load={loadCalendar} props={calendar} placeholder={<GridPlaceholder />} />
    </section>
  );
}
