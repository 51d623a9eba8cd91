'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { ActionState } from '@/lib/errors';
import type { WeeklyScheduleDto } from '@/lib/schemas/weekly-schedule';
import { useActionErrors } from '../ui/action-error';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { ResponsiveDialog } from '../ui/responsive-dialog';
import { useAction } from '../ui/use-action';

interface AppointmentLine {
  calendar_event_id: number;
  date: string;
  time: string;
  patient: string;
}
export type CopiedWeek = { schedule: WeeklyScheduleDto; outsideHours: AppointmentLine[] };
export type CopyHours = (practitionerId: number, input: { from_practitioner_id: number }, confirm: boolean) => Promise<ActionState<CopiedWeek>>;

interface Props {
  practitionerId: number;
  practitionerName: string;
  /** the clinic's other practitioners, whose hours may be copied */
  colleagues: Array<{ id: number; name: string }>;
  copy: CopyHours;
  onCopied: (week: CopiedWeek) => void;
  disabled?: boolean;
}

/**
 * "Copy hours from…": replaces the whole week with a colleague's. Appointments the copied hours
 * would leave outside ask first, as the weekly hours' own warning does.
 */
export function CopyHoursControl({ practitionerId, practitionerName, colleagues, copy, onCopied, disabled }: Props) {
  const t = useTranslations('scheduleCopy');
  const ts = useTranslations('settings');
  const errors = useActionErrors();
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState(String(colleagues[0]?.id ?? ''));
  const [affected, setAffected] = useState<AppointmentLine[] | null>(null);
  const { state, pending, run, reset } = useAction<CopiedWeek>();

  function close() {
    setOpen(false);
    setAffected(null);
    reset();
  }

  function submit(confirm: boolean) {
    run(() => copy(practitionerId, { from_practitioner_id: Number(from) }, confirm), {
      ok: (week) => {
        onCopied(week);
        close();
      },
      warning: (details) => setAffected((details.affected_appointments ?? []) as AppointmentLine[]),
    });
  }

  const source = colleagues.find((c) => String(c.id) === from)?.name ?? '';
  const error = state.status === 'error' || state.status === 'network' ? errors.message(state) : null;

  return (
    <>
      <Button size="sm" className="mx-2" disabled={disabled} onClick={() => setOpen(true)}>
        {t('open')}
      </Button>
      {open ? (
        <ResponsiveDialog
          title={affected ? ts('warningTitle') : t('title')}
          description={affected ? ts('warningBody') : t('body', { name: practitionerName })}
          onClose={close}
          footer={
            <>
              <Button onClick={close}>{ts('cancel')}</Button>
              <Button variant="primary" disabled={pending || from === ''} onClick={() => submit(affected !== null)}>
                {affected ? t('copyAnyway') : t('copy')}
              </Button>
            </>
          }
        >
          {affected ? (
            <ul className="flex flex-col gap-1" aria-label={ts('warningTitle')}>
              {affected.map((a) => (
                <li key={a.calendar_event_id} className="rounded-xl bg-grayed px-3 py-2">
                  {ts('appointmentLine', { date: a.date, time: a.time, patient: a.patient })}
                </li>
              ))}
            </ul>
          ) : (
            <Field label={t('colleague')}>
              {(control) => (
                <select
                  {...control}
                  className="h-11 min-w-0 rounded-lg border border-line bg-surface px-2 text-base text-ink"
                  value={from}
                  onChange={(e) => {
                    setFrom(e.target.value);
                    reset();
                  }}
                >
                  {colleagues.map((c) => (
                    <option key={c.id} value={String(c.id)}>
                      {c.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          {affected ? <p className="mt-2 text-sm text-muted">{t('from', { name: source })}</p> : null}
          {error ? (
            <p role="alert" className="mt-2 text-sm text-danger">
              {error}
            </p>
          ) : null}
        </ResponsiveDialog>
      ) : null}
    </>
  );
}
