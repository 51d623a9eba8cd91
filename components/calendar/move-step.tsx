'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useState, useTransition } from 'react';
import type { ActionState } from '@/lib/errors';
import type { SlotDto } from '@/lib/schemas/responses';
import { addDays, isValidDate } from '@/lib/time/dates';
import { useActionErrors } from '../ui/action-error';
import { Button } from '../ui/button';
import { cn } from '../ui/cn';
import { Field } from '../ui/field';
import { Input } from '../ui/input';
import type { MoveAppointment, MoveTarget, OfferedStartsAction } from './move-confirm';

export interface MovePractitioner {
  id: number;
  name: string;
}

interface Props {
  appointment: MoveAppointment;
  /** the calendars it may go into: more than one shows a picker (an admin's clinic) */
  practitioners: MovePractitioner[];
  offeredStarts: OfferedStartsAction;
  /** a start was picked: ask before moving */
  onPick: (to: MoveTarget) => void;
  /** the date and calendar looked at, kept by the sheet (they outlive this step: a refusal comes back to them) */
  where: MoveWhere;
  onWhere: (where: MoveWhere) => void;
  /** why the last move was refused, shown above the starts (which are read again) */
  refusal: string | null;
}

export interface MoveWhere {
  date: string;
  practitionerId: number;
}

type Starts = { key: string; outcome: ActionState<{ slots: SlotDto[] }> | { status: 'network' } };

/** The Move step of the appointment sheet: a date (and calendar), the engine's offered starts as chips. */
export function MoveStep({ appointment: a, practitioners, offeredStarts, onPick, where, onWhere, refusal }: Props) {
  const t = useTranslations('calendarMove');
  const tc = useTranslations('calendar');
  const errors = useActionErrors();
  const { date, practitionerId } = where;
  const setDate = (next: (d: string) => string) => onWhere({ date: next(date), practitionerId });
  const [starts, setStarts] = useState<Starts | null>(null);
  const [loading, startLoading] = useTransition();
  const key = `${practitionerId}:${date}`;

  useEffect(() => {
    if (!isValidDate(date)) return;
    let current = true;
    startLoading(async () => {
      let outcome: Starts['outcome'];
      try {
        outcome = await offeredStarts(a.calendar_event_id, practitionerId, date);
      } catch {
        outcome = { status: 'network' };
      }
      if (current) setStarts({ key, outcome });
    });
    return () => {
      current = false;
    };
  }, [a.calendar_event_id, practitionerId, date, key, offeredStarts]);

  const shown = starts?.key === key ? starts.outcome : null;
  const slots = shown?.status === 'ok' ? shown.data.slots : null;
  const error = shown && shown.status !== 'ok' ? errors.message(shown) : null;
  const target = practitioners.find((p) => p.id === practitionerId);

  return (
    <div className="flex flex-col gap-3">
      {refusal ? (
        <p role="alert" className="text-sm text-danger">
          {refusal}
        </p>
      ) : null}
      <div className="flex items-end gap-1">
        <Button variant="ghost" size="icon" aria-label={tc('previousDay')} onClick={() => setDate((d) => (isValidDate(d) ? addDays(d, -1) : a.date))}>
          ‹
        </Button>
        <Field label={t('date')} className="flex-1">
          {(control) => <Input {...control} type="date" value={date} onChange={(e) => onWhere({ date: e.target.value, practitionerId })} />}
        </Field>
        <Button variant="ghost" size="icon" aria-label={tc('nextDay')} onClick={() => setDate((d) => (isValidDate(d) ? addDays(d, 1) : a.date))}>
          ›
        </Button>
      </div>
      {practitioners.length > 1 ? (
        <Field label={t('practitioner')}>
          {(control) => (
            <select
              {...control}
              value={practitionerId}
              onChange={(e) => onWhere({ date, practitionerId: Number(e.target.value) })}
              className="h-11 rounded-lg border border-line bg-surface px-2 text-base text-ink"
            >
              {practitioners.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      <div role="group" aria-label={t('starts')} aria-busy={loading || !shown} className="flex flex-col gap-2">
        <p className="text-sm text-muted">{t('starts')}</p>
        {!shown ? <p className="text-sm text-muted">{t('loading')}</p> : null}
        {error ? (
          <p role="alert" className="text-sm text-danger">
            {error}
          </p>
        ) : null}
        {slots && slots.length === 0 ? <p className="text-sm">{t('noStarts')}</p> : null}
        {slots && slots.length > 0 ? (
          <ul className="flex flex-wrap gap-2">
            {slots.map((s) => (
              <li key={s.start_time}>
                <button
                  type="button"
                  className={cn(
                    'h-11 min-w-16 rounded-full border border-line px-3 text-base font-medium tabular-nums text-primary hover:bg-primary-soft',
                    loading && 'opacity-60',
                  )}
                  onClick={() =>
                    onPick({
                      date,
                      start_time: s.start_time,
                      ...(practitionerId !== a.practitioner_id ? { practitioner_id: practitionerId, practitioner_name: target?.name } : {}),
                    })
                  }
                >
                  {s.start_time}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
