'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { parseTime } from '@/lib/availability/time';
import type { ActionState } from '@/lib/errors';
import { useSheetAction } from './use-sheet-action';
import { Sheet, SheetButton } from '../ui/sheet';
import { fromEndInput, toTimeInput } from './calendar-time';

type Result = ActionState<unknown>;
export interface ExceptionActions {
  createException: (practitionerId: number, body: { date: string; start_time?: string; end_time?: string }, confirm?: boolean) => Promise<Result>;
  updateException: (practitionerId: number, exceptionId: number, body: { start_time: string | null; end_time: string | null }, confirm?: boolean) => Promise<Result>;
  deleteException: (practitionerId: number, exceptionId: number) => Promise<Result>;
}

interface Conflict { calendar_event_id: number; start_time: string; end_time: string; patient: string }

interface Props {
  practitionerId: number;
  date: string;
  dateLabel: string;
  /** the exception being edited, else a new one */
  exceptionId: number | null;
  initial: { start: string; end: string; allDay: boolean };
  actions: ExceptionActions;
  onClose: () => void;
}

/**
 * The design's Add Exception Flow as a bottom sheet: times or all day, then Save. Appointments it
 * would cover come back as a warning; "Save anyway" repeats the request confirmed.
 */
export function ExceptionSheet({ practitionerId, date, dateLabel, exceptionId, initial, actions, onClose }: Props) {
  const t = useTranslations('calendar');
  const router = useRouter();
  const [start, setStart] = useState(initial.start);
  const [end, setEnd] = useState(toTimeInput(initial.end));
  const [allDay, setAllDay] = useState(initial.allDay);
  const [conflicts, setConflicts] = useState<Conflict[] | null>(null);
  const action = useSheetAction(t('errorNetwork'));
  const { pending, error, setError } = action;

  function run(call: () => Promise<Result>) {
    action.run(call, {
      ok: () => {
        onClose();
        router.refresh();
      },
      warning: (details) => setConflicts((details.conflicting_appointments ?? []) as Conflict[]),
    });
  }

  function save(confirm: boolean) {
    const endTime = fromEndInput(end);
    if (!allDay) {
      const s = parseTime(start);
      const e = parseTime(endTime);
      if (s === null || e === null) return setError(t('errorTimes'));
      if (s >= e) return setError(t('errorRange'));
    }
    const times = allDay ? { start_time: null, end_time: null } : { start_time: start, end_time: endTime };
    if (exceptionId === null) {
      run(() => actions.createException(practitionerId, allDay ? { date } : { date, start_time: start, end_time: endTime }, confirm));
    } else {
      run(() => actions.updateException(practitionerId, exceptionId, times, confirm));
    }
  }

  const editing = exceptionId !== null;
  const footer = conflicts ? (
    <>
      <SheetButton onClick={onClose}>{t('cancel')}</SheetButton>
      <SheetButton primary disabled={pending} onClick={() => save(true)}>{t('saveAnyway')}</SheetButton>
    </>
  ) : (
    <>
      {editing ? (
        <button type="button" disabled={pending} onClick={() => run(() => actions.deleteException(practitionerId, exceptionId))}
          className="mr-auto h-11 rounded-full px-4 font-medium text-danger hover:bg-exception-soft disabled:opacity-50">{t('delete')}</button>
      ) : null}
      <SheetButton onClick={onClose}>{t('cancel')}</SheetButton>
      <SheetButton primary disabled={pending} onClick={() => save(false)}>{pending ? t('saving') : t('save')}</SheetButton>
    </>
  );

  return (
    <Sheet title={editing ? t('editUnavailability') : t('addUnavailability')} onClose={onClose} footer={footer}>
      <p className="text-sm text-muted">{dateLabel}</p>
      <fieldset disabled={conflicts !== null || pending} className="mt-3 flex flex-col gap-3">
        <label className="flex min-h-11 items-center gap-3">
          <input type="checkbox" className="size-5" checked={allDay} onChange={(e) => setAllDay(e.target.checked)} />
          {t('allDay')}
        </label>
        {allDay ? null : (
          <div className="grid grid-cols-2 gap-3">
            <label className="flex min-w-0 flex-col text-sm">{t('startTime')}
              <input type="time" step={300} value={start} onChange={(e) => setStart(e.target.value)}
                className="h-11 min-w-0 rounded-lg border border-line bg-surface px-2 text-base" />
            </label>
            <label className="flex min-w-0 flex-col text-sm">{t('endTime')}
              <input type="time" step={300} value={end} onChange={(e) => setEnd(e.target.value)}
                className="h-11 min-w-0 rounded-lg border border-line bg-surface px-2 text-base" />
            </label>
          </div>
        )}
      </fieldset>
      {error ? <p role="alert" className="mt-3 text-sm text-danger">{error}</p> : null}
      {conflicts ? (
        <section aria-labelledby="conflicts-title" className="mt-4 rounded-2xl bg-exception-soft p-3">
          <h3 id="conflicts-title" className="font-medium">{t('conflictTitle')}</h3>
          <p className="mt-1 text-sm text-muted">{t('conflictBody')}</p>
          <ul className="mt-2 flex flex-col gap-1">
            {conflicts.map((c) => (
              <li key={c.calendar_event_id} className="rounded-xl bg-surface px-3 py-2">
                {t('conflictLine', { start: c.start_time, end: c.end_time, patient: c.patient })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Sheet>
  );
}
