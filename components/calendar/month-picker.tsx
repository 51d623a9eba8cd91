'use client';

import { useRouter } from 'next/navigation';
import { monthRange } from '@/lib/time/dates';
import { monthHref } from './calendar-time';

/**
 * Wraps the server-drawn month input (children) and follows its changes: React's change events
 * bubble, so the input itself needs no code of its own here.
 */
export function MonthPicker({ practitionerId, children }: { practitionerId: number; children: React.ReactNode }) {
  const router = useRouter();
  return (
    <label
      className="flex items-center"
      onChange={(e) => {
        const input = e.target;
        if (input instanceof HTMLInputElement && monthRange(input.value)) router.push(monthHref(practitionerId, input.value));
      }}
    >
      {children}
    </label>
  );
}
