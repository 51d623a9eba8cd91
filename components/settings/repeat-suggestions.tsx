'use client';

import { useTranslations } from 'next-intl';
import { useState, useSyncExternalStore } from 'react';
import { repeatSuggestionKey, type RepeatSuggestion } from '@/lib/availability/repeated-exceptions';
import type { ActionState } from '@/lib/errors';
import type { RepeatExceptionsInput } from '@/lib/schemas/repeat-suggestion';
import { useActionErrors } from '../ui/action-error';
import { Button } from '../ui/button';
import { ResponsiveDialog } from '../ui/responsive-dialog';
import { useAction } from '../ui/use-action';

interface Conflict {
  calendar_event_id: number;
  date?: string;
  start_time: string;
  end_time: string;
  patient: string;
}
export type RepeatExceptions = (practitionerId: number, input: RepeatExceptionsInput, confirm: boolean) => Promise<ActionState<{ replaced: number }>>;

interface Props {
  practitionerId: number;
  suggestions: RepeatSuggestion[];
  repeat: RepeatExceptions;
}

/** Dismissals live on this device: a suggestion is a nudge, not clinic data. */
const storageKey = (practitionerId: number) => `clinic-bot:repeat-suggestions-dismissed:${practitionerId}`;

const CHANGED = 'clinic-bot:repeat-suggestions-dismissed';

function parseDismissed(raw: string | null): string[] {
  try {
    const value: unknown = JSON.parse(raw ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('storage', onChange);
  window.addEventListener(CHANGED, onChange);
  return () => {
    window.removeEventListener('storage', onChange);
    window.removeEventListener(CHANGED, onChange);
  };
}

function readRaw(practitionerId: number): string {
  try {
    return window.localStorage.getItem(storageKey(practitionerId)) ?? '[]';
  } catch {
    return '[]';
  }
}

/**
 * "You blocked Wednesdays 14:00–18:00 4 times. Make it repeat every week?": one card per habit the
 * settings page found; "Repeat every week" turns the single exceptions into one weekly series.
 */
export function RepeatSuggestions({ practitionerId, suggestions, repeat }: Props) {
  const t = useTranslations('repeatSuggestion');
  const errors = useActionErrors();
  // Known in the browser only (localStorage): the server's HTML holds no card, so it and the first render agree.
  const raw = useSyncExternalStore(
    subscribe,
    () => readRaw(practitionerId),
    () => null,
  );
  const dismissed = raw === null ? null : parseDismissed(raw);
  const [done, setDone] = useState<string[]>([]);
  // Put away on this page at once, also where storage is refused (private mode).
  const [putAway, setPutAway] = useState<string[]>([]);
  const [warning, setWarning] = useState<{ suggestion: RepeatSuggestion; conflicts: Conflict[] } | null>(null);
  const { state, pending, run } = useAction<{ replaced: number }>();

  function dismiss(key: string) {
    setPutAway((keys) => [...keys, key]);
    try {
      window.localStorage.setItem(storageKey(practitionerId), JSON.stringify([...(dismissed ?? []), key]));
    } catch {
      // Private mode without storage: put away for this visit only.
    }
    window.dispatchEvent(new Event(CHANGED));
  }

  function submit(s: RepeatSuggestion, confirm: boolean) {
    run(() => repeat(practitionerId, { weekday: s.weekday, start_time: s.start, end_time: s.end }, confirm), {
      ok: () => {
        setWarning(null);
        setDone((d) => [...d, repeatSuggestionKey(s)]);
      },
      warning: (details) => setWarning({ suggestion: s, conflicts: (details.conflicting_appointments ?? []) as Conflict[] }),
    });
  }

  if (dismissed === null) return null;
  const visible = suggestions.filter((s) => ![...dismissed, ...putAway, ...done].includes(repeatSuggestionKey(s)));
  const error = state.status === 'error' || state.status === 'network' ? errors.message(state) : null;

  return (
    <div className="px-4 pt-2">
      <p role="status" className="text-sm text-muted">
        {done.length > 0 ? t('done') : ''}
      </p>
      {visible.map((s) => {
        const key = repeatSuggestionKey(s);
        const values = { weekday: s.weekday, start: s.start ?? '', end: s.end ?? '', count: s.dates.length };
        return (
          <section key={key} aria-label={t('label')} className="my-2 rounded-2xl border border-line bg-primary-soft p-4">
            <p className="text-sm">{s.start ? t('body', values) : t('bodyAllDay', values)}</p>
            {error && !warning ? (
              <p role="alert" className="mt-1 text-sm text-danger">
                {error}
              </p>
            ) : null}
            <div className="mt-2 flex flex-wrap justify-end gap-2">
              <Button size="sm" onClick={() => dismiss(key)}>
                {t('dismiss')}
              </Button>
              <Button size="sm" variant="primary" disabled={pending} onClick={() => submit(s, false)}>
                {t('repeat')}
              </Button>
            </div>
          </section>
        );
      })}
      {warning ? (
        <ResponsiveDialog
          title={t('warningTitle')}
          description={t('warningBody')}
          onClose={() => setWarning(null)}
          footer={
            <>
              <Button onClick={() => setWarning(null)}>{t('cancel')}</Button>
              <Button variant="primary" disabled={pending} onClick={() => submit(warning.suggestion, true)}>
                {t('repeatAnyway')}
              </Button>
            </>
          }
        >
          <ul className="flex flex-col gap-1" aria-label={t('warningTitle')}>
            {warning.conflicts.map((c) => (
              <li key={`${c.calendar_event_id}-${c.date ?? ''}`} className="rounded-xl bg-grayed px-3 py-2">
                {t('appointmentLine', { date: c.date ?? '', start: c.start_time, end: c.end_time, patient: c.patient })}
              </li>
            ))}
          </ul>
          {error ? (
            <p role="alert" className="mt-2 text-sm text-danger">
              {error}
            </p>
          ) : null}
        </ResponsiveDialog>
      ) : null}
    </div>
  );
}
