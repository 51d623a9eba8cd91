'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { ActionState } from '@/lib/errors';
import type { AppointmentEventDto } from '@/lib/queries/calendar';
import { useActionErrors } from '../ui/action-error';
import { Button } from '../ui/button';
import { ResponsiveDialog } from '../ui/responsive-dialog';
import { useAction } from '../ui/use-action';

export type CancelAppointment = (practitionerId: number, calendarEventId: number) => Promise<ActionState<unknown>>;

interface Props {
  practitionerId: number;
  appointment: AppointmentEventDto;
  dateLabel: string;
  canManage: boolean;
  cancelAppointment: CancelAppointment;
  onClose: () => void;
}

/** An appointment's details; its one action is deletion (no rescheduling), confirmed first. */
export function AppointmentSheet({ practitionerId, appointment: a, dateLabel, canManage, cancelAppointment, onClose }: Props) {
  const t = useTranslations('calendar');
  const router = useRouter();
  const errors = useActionErrors();
  const [confirming, setConfirming] = useState(false);
  const { run, pending, state } = useAction<unknown>();
  const error = errors.message(state);

  function remove() {
    run(() => cancelAppointment(practitionerId, a.calendar_event_id), {
      ok: () => {
        onClose();
        router.refresh();
      },
    });
  }

  const footer = confirming ? (
    <>
      <Button disabled={pending} onClick={() => setConfirming(false)}>
        {t('keep')}
      </Button>
      <Button variant="danger" disabled={pending} onClick={remove}>
        {t('delete')}
      </Button>
    </>
  ) : (
    <>
      {canManage ? (
        <Button variant="dangerText" size="sm" className="mr-auto text-base" onClick={() => setConfirming(true)}>
          {t('deleteAppointment')}
        </Button>
      ) : null}
      <Button onClick={onClose}>{t('close')}</Button>
    </>
  );

  return (
    <ResponsiveDialog title={a.title} onClose={onClose} footer={footer}>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
        <dt className="text-sm text-muted">{t('patient')}</dt>
        <dd>{a.patient_name}</dd>
        <dt className="text-sm text-muted">{t('phone')}</dt>
        <dd>
          {a.patient_phone ? (
            <a href={`tel:${a.patient_phone.replace(/[^\d+]/g, '')}`} className="text-primary underline">
              {a.patient_phone}
            </a>
          ) : (
            '—'
          )}
        </dd>
        <dt className="text-sm text-muted">{t('appointmentType')}</dt>
        <dd>{a.appointment_type_name}</dd>
        <dt className="text-sm text-muted">{t('when')}</dt>
        <dd>{t('whenValue', { date: dateLabel, start: a.start_time, end: a.end_time })}</dd>
      </dl>
      {a.outside_hours ? (
        <p className="mt-3 w-fit rounded-full bg-outside-hours px-3 py-1 text-sm font-medium text-outside-hours-ink">{t('outsideHours')}</p>
      ) : null}
      {a.gcal_sync_status === 'sync_failed' ? <p className="mt-2 text-sm text-danger">⚠ {t('syncFailed')}</p> : null}
      {confirming ? <p className="mt-4 font-medium">{t('deleteConfirm')}</p> : null}
      {error ? (
        <p role="alert" className="mt-3 text-sm text-danger">
          {error}
        </p>
      ) : null}
    </ResponsiveDialog>
  );
}
