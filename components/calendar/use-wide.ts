'use client';

import { useSyncExternalStore } from 'react';
import { WIDE_MIN_PX } from './view-links';

const query = `(min-width: ${WIDE_MIN_PX}px)`;

function subscribe(onChange: () => void) {
  const list = window.matchMedia(query);
  list.addEventListener('change', onChange);
  return () => list.removeEventListener('change', onChange);
}

/**
 * true on a desktop-wide window, false on a phone's, null on the server and while React hydrates (the
 * grids are drawn in the browser only, so nothing of them is drawn before the width is known).
 */
export function useWide(): boolean | null {
  return useSyncExternalStore<boolean | null>(
    subscribe,
    () => window.matchMedia(query).matches,
    () => null,
  );
}
