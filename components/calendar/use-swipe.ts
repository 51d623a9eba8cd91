'use client';

import { useRef } from 'react';

const MIN_DISTANCE = 60;

/**
 * Horizontal swipes on touch screens, Google Calendar's way of moving in time: left = next,
 * right = previous. Vertical scrolling keeps working (a swipe must be mostly sideways).
 * `swiping()` lets tap handlers ignore the tap that ends a swipe.
 */
export function useSwipe(onSwipe: (direction: 'next' | 'previous') => void) {
  const start = useRef<{ x: number; y: number } | null>(null);
  const moved = useRef(false);

  const isSideways = (dx: number, dy: number) => Math.abs(dx) >= MIN_DISTANCE && Math.abs(dx) > 1.5 * Math.abs(dy);

  const handlers = {
    onTouchStart(e: React.TouchEvent) {
      const t = e.touches[0];
      moved.current = false;
      start.current = e.touches.length === 1 && t ? { x: t.clientX, y: t.clientY } : null;
    },
    onTouchMove(e: React.TouchEvent) {
      const t = e.touches[0];
      if (start.current && t && isSideways(t.clientX - start.current.x, t.clientY - start.current.y)) moved.current = true;
    },
    onTouchEnd(e: React.TouchEvent) {
      const t = e.changedTouches[0];
      const from = start.current;
      start.current = null;
      if (!from || !t) return;
      const dx = t.clientX - from.x;
      if (isSideways(dx, t.clientY - from.y)) {
        moved.current = true;
        onSwipe(dx < 0 ? 'next' : 'previous');
      }
      // FullCalendar's tap handlers ran before this one (they listen on the touched element): done guarding.
      setTimeout(() => {
        moved.current = false;
      }, 0);
    },
    onTouchCancel() {
      start.current = null;
    },
  };
  return { handlers, swiping: () => moved.current };
}
