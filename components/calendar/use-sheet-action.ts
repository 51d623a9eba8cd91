'use client';

import { useRef, useState, useTransition } from 'react';
import type { ActionState } from '@/lib/errors';

/**
 * Runs a sheet's server action once at a time (a double tap sends one request), and routes its
 * answer: ok and warning to the caller, errors (and a lost connection) to `error`.
 */
export function useSheetAction(networkError: string) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const inFlight = useRef(false);

  function run<T>(call: () => Promise<ActionState<T>>, on: { ok: (data: T) => void; warning?: (details: Record<string, unknown>) => void }) {
    if (inFlight.current) return;
    inFlight.current = true;
    setError(null);
    startTransition(async () => {
      try {
        const result = await call();
        if (result.status === 'ok') on.ok(result.data);
        else if (result.status === 'warning') on.warning?.(result.details);
        else if (result.status === 'error') setError(result.message);
      } catch {
        setError(networkError);
      } finally {
        inFlight.current = false;
      }
    });
  }

  return { run, pending, error, setError };
}
