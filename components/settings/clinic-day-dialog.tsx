'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { ActionState } from '@/lib/errors';
import type { ClinicDayDto, ClosedDayAppointmentDto } from '@/lib/schemas/responses';
import { useActionErrors } from '../ui/action-error';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { Input } from '../ui/input';
import { ResponsiveDialog } from '../ui/responsive-dialog';
import { useAction } from '../ui/use-action';
import { ClosedDayAppointments } from './clinic-closed-day-appointments';

export const WEEKDAY_SELECT = 'h-11 min-w-0 rounded-lg border border-line bg-surface px-2 text-base text-ink aria-invalid:border-danger';

export interface ClinicDayActions {
  add: (input: unknown, confirm: unknown) => Promise<ActionState<ClinicDayDto>>;
  update: (day: unknown, input: unknown, confirm: unknown) => Promise<ActionState<ClinicDayDto>>;
}

interface Props {
  /** the day being changed, or none: a new day */
  day: ClinicDayDto | null;
  /** a new day's starting date */
  defaultDate: string;
  actions: ClinicDayActions;
  onClose: () => void;
  onSaved: () => void;
}

/** Add or change one day of the clinic calendar: closed with a name, or a make-up workday with the weekday whose hours it takes. */
export function ClinicDayDialog({ day, defaultDate, actions, onClose, onSaved }: Props) {
  const t = useTranslations('clinicHolidays');
  const errors = useActionErrors();
  const [date, setDate] = useState(day?.date ?? defaultDate);
  const [kind, setKind] = useState<'closed' | 'workday'>(day?.kind ?? 'closed');
  const [name, setName] = useState(day?.name ?? '');
  const [hours, setHours] = useState(String(day?.hours_of_weekday ?? 5));
  const [affected, setAffected] = useState<ClosedDayAppointmentDto[] | null>(null);
  const saving = useAction<ClinicDayDto>();

  const body = () => ({ kind, name, hours_of_weekday: kind === 'workday' ? Number(hours) : null });
  function save(confirm: boolean) {
    saving.run(() => (day ? actions.update(day.date, body(), confirm) : actions.add({ date, ...body() }, confirm)), {
      ok: () => onSaved(),
      warning: (details) => setAffected((details.affected_appointments as ClosedDayAppointmentDto[] | undefined) ?? []),
    });
  }
  const field = (path: string) => (errors.hasFieldError(saving.state, path) ? t(`error_${path}`) : null);
  const failed = saving.state.status === 'warning' ? null : errors.message(saving.state);

  return (
    <ResponsiveDialog
      title={day ? t('editTitle', { date: day.date }) : t('addTitle')}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('cancel')}</Button>
          <Button variant="primary" disabled={saving.pending} onClick={() => save(affected !== null)}>
            {affected ? t('saveAnyway') : t('save')}
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-3">
        {day ? null : (
          <Field label={t('date')} error={field('date')}>
            {(control) => <Input {...control} type="date" value={date} onChange={(e) => setDate(e.target.value)} required />}
          </Field>
        )}
        <fieldset className="flex flex-col gap-2 text-sm">
          <legend className="mb-1">{t('kind')}</legend>
          {(['closed', 'workday'] as const).map((k) => (
            <label key={k} className="flex min-h-11 items-center gap-2">
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} className="size-5" />
              {t(`kind_${k}`)}
            </label>
          ))}
        </fieldset>
        <Field label={t('name')} error={field('name')}>
          {(control) => (
            <Input
              {...control}
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder={kind === 'closed' ? t('namePlaceholderClosed') : t('namePlaceholderWorkday')}
              maxLength={100}
              className="px-3"
            />
          )}
        </Field>
        {kind === 'workday' ? (
          <Field label={t('hoursOf')} error={field('hours_of_weekday')}>
            {(control) => (
              <select {...control} className={WEEKDAY_SELECT} value={hours} onChange={(e) => setHours(e.target.value)}>
                {[1, 2, 3, 4, 5, 6, 0].map((d) => (
                  <option key={d} value={d}>
                    {t(`weekday_${d}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        {affected && affected.length > 0 ? (
          <div className="flex flex-col gap-2" role="alert">
            <p className="text-sm text-ink">{t('closesOver', { count: affected.length })}</p>
            <ClosedDayAppointments appointments={affected} />
          </div>
        ) : null}
        {failed ? (
          <p role="alert" className="text-sm text-danger">
            {failed}
          </p>
        ) : null}
      </div>
    </ResponsiveDialog>
  );
}
