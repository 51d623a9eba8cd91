'use client';

import { startTransition, useActionState, useRef } from 'react';
import type { ActionState } from '@/lib/errors';
import { IDLE, NETWORK_FAILURE, type ActionOutcome } from './action-error';

interface Handlers<T> {
  ok?: (data: T) => void;
  warning?: (details: Record<string, unknown>) => void;
}
interface Job<T> {
  call: () => Promise<ActionState<T>>;
  on: Handlers<T>;
}

/**
 * Runs a server action through `useActionState`: one call at a time (a double tap sends one
 * request), every answer kept as `state` (errors with their code and field errors, for the form to
 * show), `ok` and `warning` handed to the caller, a lost connection as the `network` outcome.
 */
export function useAction<T>() {
  const inFlight = useRef(false);
  const [state, dispatch, pending] = useActionState<ActionOutcome<T>, Job<T> | 'reset'>(async (_previous, job) => {
    if (job === 'reset') return IDLE;
    try {
      const result = await job.call();
      if (result.status === 'ok') job.on.ok?.(result.data);
      else if (result.status === 'warning') job.on.warning?.(result.details);
      return result;
    } catch {
      return NETWORK_FAILURE;
    } finally {
      inFlight.current = false;
    }
  }, IDLE);

  function run(call: () => Promise<ActionState<T>>, on: Handlers<T> = {}) {
    if (inFlight.current) return;
    inFlight.current = true;
    startTransition(() => dispatch({ call, on }));
  }

  /** forget the last answer (its errors), e.g. when the form is edited or validated on the client */
  function reset() {
    if (inFlight.current) return;
    startTransition(() => dispatch('reset'));
  }

  return { state, pending, run, reset };
}
