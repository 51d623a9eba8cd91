'use client';

import { useRouter } from 'next/navigation';
import { useLocale, useTranslations } from 'next-intl';
import { useState } from 'react';
import { parseTime } from '@/lib/availability/time';
import type { ActionState } from '@/lib/errors';
import { useActionErrors } from '../ui/action-error';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { TimeInput } from '../ui/time-input';
import { ResponsiveDialog } from '../ui/responsive-dialog';
import { useAction } from '../ui/use-action';
import { fromEndInput, toTimeInput } from './calendar-time';
import { RepeatControl } from './repeat-control';
import { repeatFormOf, ruleOfForm } from './repeat-rule';

type Result = ActionState<unknown>;
/** Which occurrences of a repeating exception a change or deletion concerns (the route's query). */
type Scope = 'this' | 'following' | 'all';
type Target = { scope: Scope; occurrence_date: string };
export interface ExceptionActions {
  createException: (
    practitionerId: number,
    body: { date: string; start_time?: string; end_time?: string; recurrence?: string },
    confirm?: boolean,
  ) => Promise<Result>;
  updateException: (
    practitionerId: number,
    exceptionId: number,
    body: { start_time: string | null; end_time: string | null; recurrence?: string | null },
    confirm?: boolean,
    target?: Target,
  ) => Promise<Result>;
  deleteException: (practitionerId: number, exceptionId: number, target?: Target) => Promise<Result>;
}

interface Conflict {
  calendar_event_id: number;
  date?: string;
  start_time: string;
  end_time: string;
  patient: string;
}

interface Props {
  practitionerId: number;
  date: string;
  dateLabel: string;
  /** the exception being edited, else a new one */
  exceptionId: number | null;
  /** `recurrence` and `occurrenceDate`: an occurrence of a repeating exception (its series' id is exceptionId) */
  initial: { start: string; end: string; allDay: boolean; recurrence?: string | null; occurrenceDate?: string | null };
  actions: ExceptionActions;
  onClose: () => void;
}

/** Which time field a client-side check refused, and why (a catalog key of `calendar`). */
type LocalError = { field: 'start' | 'end'; key: 'errorTimes' | 'errorRange' } | null;

/**
 * The design's add/edit sheet for an unavailable period (all day or a time range). A period over
 * confirmed appointments comes back as a warning listing them; "Save anyway" sends the same request confirmed.
 */
export function ExceptionSheet({ practitionerId, date, dateLabel, exceptionId, initial, actions, onClose }: Props) {
  const t = useTranslations('calendar');
  const router = useRouter();
  const errors = useActionErrors();
  const [start, setStart] = useState(initial.start);
  const [end, setEnd] = useState(toTimeInput(initial.end));
  const [allDay, setAllDay] = useState(initial.allDay);
  const [conflicts, setConflicts] = useState<Conflict[] | null>(null);
  const [local, setLocal] = useState<LocalError>(null);
  const locale = useLocale();
  const [repeat, setRepeat] = useState(() => repeatFormOf(initial.recurrence ?? null, date));
  // Saving or deleting an occurrence first asks which occurrences (Google Calendar's question).
  const [ask, setAsk] = useState<{ kind: 'save' | 'delete'; confirm: boolean } | null>(null);
  // The scope chosen for a save that came back with a warning: "Save anyway" keeps it.
  const [lastScope, setLastScope] = useState<Scope | undefined>(undefined);
  const occurrence = exceptionId !== null && initial.occurrenceDate ? initial.occurrenceDate : null;
  const rule = ruleOfForm(repeat, date);
  const ruleChanged = rule !== (initial.recurrence ?? null);
  const { run: runAction, pending, state, reset } = useAction<unknown>();

  function run(call: () => Promise<Result>) {
    setLocal(null);
    runAction(call, {
      ok: () => {
        onClose();
        router.refresh();
      },
      warning: (details) => setConflicts((details.conflicting_appointments ?? []) as Conflict[]),
    });
  }

  function save(confirm: boolean, scope?: Scope) {
    const endTime = fromEndInput(end);
    if (!allDay) {
      const s = parseTime(start);
      const e = parseTime(endTime);
      reset();
      if (s === null) return setLocal({ field: 'start', key: 'errorTimes' });
      if (e === null) return setLocal({ field: 'end', key: 'errorTimes' });
      if (s >= e) return setLocal({ field: 'end', key: 'errorRange' });
    }
    const times = allDay ? { start_time: null, end_time: null } : { start_time: start, end_time: endTime };
    const repeats = rule ? { recurrence: rule } : {};
    if (exceptionId === null) {
      run(() =>
        actions.createException(practitionerId, { ...(allDay ? { date } : { date, start_time: start, end_time: endTime }), ...repeats }, confirm),
      );
    } else if (occurrence && !scope) {
      setAsk({ kind: 'save', confirm });
    } else {
      setLastScope(scope);
      const body = { ...times, ...(ruleChanged ? { recurrence: rule } : {}) };
      const target = occurrence && scope ? { scope, occurrence_date: occurrence } : undefined;
      run(() => actions.updateException(practitionerId, exceptionId, body, confirm, target));
    }
  }

  function remove(scope?: Scope) {
    if (exceptionId === null) return;
    if (occurrence && !scope) return setAsk({ kind: 'delete', confirm: false });
    const target = occurrence && scope ? { scope, occurrence_date: occurrence } : undefined;
    run(() => actions.deleteException(practitionerId, exceptionId, target));
  }

  function choose(scope: Scope) {
    const asked = ask!;
    setAsk(null);
    if (asked.kind === 'delete') remove(scope);
    else save(asked.confirm, scope);
  }

  // The server's refusal of a field shows beside it; anything else once, under the form.
  const serverField = (path: 'start_time' | 'end_time') => (errors.hasFieldError(state, path) ? errors.fieldMessage() : null);
  const startError = local?.field === 'start' ? t(local.key) : serverField('start_time');
  const endError = local?.field === 'end' ? t(local.key) : serverField('end_time');
  const formError = state.status === 'warning' || startError || endError ? null : errors.message(state);

  const editing = exceptionId !== null;
  const footer = ask ? (
    <Button onClick={() => setAsk(null)}>{t('cancel')}</Button>
  ) : conflicts ? (
    <>
      <Button onClick={onClose}>{t('cancel')}</Button>
      <Button variant="primary" disabled={pending} onClick={() => save(true, lastScope)}>
        {t('saveAnyway')}
      </Button>
    </>
  ) : (
    <>
      {editing ? (
        <Button variant="dangerText" size="sm" className="mr-auto text-base" disabled={pending} onClick={() => remove()}>
          {t('delete')}
        </Button>
      ) : null}
      <Button onClick={onClose}>{t('cancel')}</Button>
      <Button variant="primary" disabled={pending} onClick={() => save(false)}>
        {pending ? t('saving') : t('save')}
      </Button>
    </>
  );

  return (
    <ResponsiveDialog title={editing ? t('editUnavailability') : t('addUnavailability')} description={dateLabel} onClose={onClose} footer={footer}>
      {ask ? (
        <section role="group" aria-labelledby="scope-title" className="mb-4 flex flex-col gap-2 rounded-2xl bg-exception-soft p-3">
          <h3 id="scope-title" className="font-medium">
            {ask.kind === 'delete' ? t('scopeDelete') : t('scopeSave')}
          </h3>
          {/* One occurrence cannot take a new rule: only "following" or "all" can. */}
          {(['this', 'following', 'all'] as const)
            .filter((s) => !(s === 'this' && ask.kind === 'save' && ruleChanged))
            .map((s) => (
              <Button
                key={s}
                variant={s === 'this' ? 'primary' : 'secondary'}
                className="w-full justify-start"
                disabled={pending}
                onClick={() => choose(s)}
              >
                {t(s === 'this' ? 'scopeThis' : s === 'following' ? 'scopeFollowing' : 'scopeAll')}
              </Button>
            ))}
        </section>
      ) : null}
      <fieldset disabled={conflicts !== null || pending || ask !== null} className="flex flex-col gap-3">
        <label className="flex min-h-11 items-center gap-3">
          <input type="checkbox" className="size-5" checked={allDay} onChange={(e) => setAllDay(e.target.checked)} />
          {t('allDay')}
        </label>
        {allDay ? null : (
          <div className="grid grid-cols-2 items-start gap-3">
            <Field label={t('startTime')} error={startError}>
              {(control) => <TimeInput {...control} value={start} onChange={(e) => setStart(e.target.value)} />}
            </Field>
            <Field label={t('endTime')} error={endError}>
              {(control) => <TimeInput {...control} value={end} onChange={(e) => setEnd(e.target.value)} />}
            </Field>
          </div>
        )}
        <RepeatControl date={occurrence ?? date} form={repeat} onChange={setRepeat} />
      </fieldset>
      {formError ? (
        <p role="alert" className="mt-3 text-sm text-danger">
          {formError}
        </p>
      ) : null}
      {conflicts ? (
        <section aria-labelledby="conflicts-title" className="mt-4 rounded-2xl bg-exception-soft p-3">
          <h3 id="conflicts-title" className="font-medium">
            {t('conflictTitle')}
          </h3>
          <p className="mt-1 text-sm text-muted">{t('conflictBody')}</p>
          <ul className="mt-2 flex flex-col gap-1">
            {conflicts.map((c) => (
              <li key={c.calendar_event_id} className="rounded-xl bg-surface px-3 py-2">
                {c.date && rule
                  ? t('conflictLineDated', { date: conflictDate(locale, c.date), start: c.start_time, end: c.end_time, patient: c.patient })
                  : t('conflictLine', { start: c.start_time, end: c.end_time, patient: c.patient })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </ResponsiveDialog>
  );
}

const conflictDate = (locale: string, date: string) =>
  new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', weekday: 'short', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
