'use client';

import { useTranslations } from 'next-intl';
import type { ActionState } from '@/lib/errors';

/** A server action's answer as the client sees it: also `network` when no answer came back. */
export type ActionOutcome<T = unknown> = ActionState<T> | { status: 'network' };

export const IDLE = { status: 'idle' } as const;
export const NETWORK_FAILURE = { status: 'network' } as const;

/** The dotted paths the server named as invalid: zod's fieldErrors, or an AppError's details.issues. */
function invalidPaths(outcome: ActionOutcome | null): string[] {
  if (outcome?.status !== 'error') return [];
  const fromIssues = (outcome.details as { issues?: Array<{ path?: string[] }> } | undefined)?.issues?.map((i) => (i.path ?? []).join('.')) ?? [];
  return [...Object.keys(outcome.fieldErrors ?? {}), ...fromIssues];
}

/**
 * Turns an action's error into the interface's language. Server messages are English for the API
 * and logs; the interface shows the catalog's sentence for the error code (`errors.<code>`) instead,
 * so the zh-TW screen never shows an English server sentence.
 */
export function useActionErrors() {
  const t = useTranslations('errors');
  return {
    /** the form-level message of a failed or warned outcome, else null */
    message(outcome: ActionOutcome | null): string | null {
      if (!outcome) return null;
      if (outcome.status === 'network') return t('network');
      if (outcome.status !== 'error' && outcome.status !== 'warning') return null;
      return t.has(outcome.code) ? t(outcome.code) : t('internal_error');
    },
    /** whether the server refused the field at `path` (or anything under it) */
    hasFieldError(outcome: ActionOutcome | null, path: string): boolean {
      return invalidPaths(outcome).some((p) => p === path || p.startsWith(`${path}.`));
    },
    /** the generic message for a refused field, when the form has no more specific one */
    fieldMessage: () => t('invalid_field'),
  };
}
