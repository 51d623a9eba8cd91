'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { ActionState } from '@/lib/errors';
import type { AppointmentEventDto } from '@/lib/queries/calendar';
import { useActionErrors } from '../ui/action-error';
import { Button } from '../ui/button';
import { cn } from '../ui/cn';
import { ResponsiveDialog } from '../ui/responsive-dialog';
import { useAction } from '../ui/use-action';
import { useMoveError, useMoveQuestion, type MoveActions, type MoveAppointment, type MoveTarget } from './move-confirm';
import { MoveStep, type MovePractitioner, type MoveWhere } from './move-step';

export type CancelAppointment = (practitionerId: number, calendarEventId: number) => Promise<ActionState<unknown>>;

/** Moving and attendance, for staff who may manage the calendar. */
export interface SheetMove {
  actions: MoveActions;
  /** the calendars an appointment may move into: the caller's own, or every practitioner's for an admin */
  practitioners: MovePractitioner[];
}

interface Props {
  practitionerId: number;
  appointment: AppointmentEventDto;
  dateLabel: string;
  canManage: boolean;
  cancelAppointment: CancelAppointment;
  onClose: () => void;
  /** the appointment's date, `YYYY-MM-DD` (with `now` and `move`: Move and attendance) */
  date?: string;
  /** the clinic's now, `YYYY-MM-DDTHH:MM:00`: attendance is marked once the appointment has started */
  now?: string;
  move?: SheetMove | null;
}

type Step = { kind: 'details' } | { kind: 'delete' } | { kind: 'move'; refusal: string | null } | { kind: 'confirm'; to: MoveTarget };

/**
 * An appointment's details and what staff who may manage the calendar can do with it: move it (a
 * date, the engine's offered starts, a confirmation; a refusal keeps the old time and says why), mark
 * attendance once it has started, delete it (confirmed first).
 */
export function AppointmentSheet({ practitionerId, appointment: a, dateLabel, canManage, cancelAppointment, onClose, date, now, move }: Props) {
  const t = useTranslations('calendar');
  const tm = useTranslations('calendarMove');
  const router = useRouter();
  const errors = useActionErrors();
  const question = useMoveQuestion();
  const moveError = useMoveError();
  const [step, setStep] = useState<Step>({ kind: 'details' });
  const [where, setWhere] = useState<MoveWhere>({ date: date ?? '', practitionerId });
  const [attendance, setAttendance] = useState(a.attendance);
  const { run, pending, state, reset } = useAction<unknown>();
  const confirming = step.kind === 'delete';
  const error = step.kind === 'details' || step.kind === 'delete' ? errors.message(state) : null;
  const movable = canManage && move && date ? { ...move, date } : null;
  const moving: MoveAppointment | null = movable
    ? {
        calendar_event_id: a.calendar_event_id,
        patient_name: a.patient_name,
        practitioner_id: practitionerId,
        date: movable.date,
        start_time: a.start_time,
      }
    : null;
  // Started: the clinic's now is at or past its start (both `YYYY-MM-DDTHH:MM:00`).
  const started = Boolean(date && now && `${date}T${a.start_time}:00` <= now);
  const setConfirming = (on: boolean) => {
    reset();
    setStep(on ? { kind: 'delete' } : { kind: 'details' });
  };

  function confirmMove(to: MoveTarget) {
    if (!movable) return;
    run(
      () =>
        movable.actions.reschedule(a.calendar_event_id, {
          date: to.date,
          start_time: to.start_time,
          ...(to.practitioner_id !== undefined ? { practitioner_id: to.practitioner_id } : {}),
        }),
      {
        ok: () => {
          onClose();
          router.refresh();
        },
      },
    );
  }

  function mark(value: 'arrived' | 'no_show' | null) {
    if (!movable) return;
    run(() => movable.actions.markAttendance(practitionerId, a.calendar_event_id, value), {
      ok: () => {
        setAttendance(value);
        router.refresh();
      },
    });
  }

  // A refused move: back to the starts (read again), saying why; the appointment kept its time.
  const refused = step.kind === 'confirm' && state.status !== 'idle' && state.status !== 'ok' ? moveError(state) : null;
  const choosing = step.kind === 'move' || refused !== null;

  function remove() {
    run(() => cancelAppointment(practitionerId, a.calendar_event_id), {
      ok: () => {
        onClose();
        router.refresh();
      },
    });
  }

  const footer = choosing ? (
    <Button
      onClick={() => {
        reset();
        setStep({ kind: 'details' });
      }}
    >
      {tm('back')}
    </Button>
  ) : step.kind === 'confirm' ? (
    <>
      <Button
        disabled={pending}
        onClick={() => {
          reset();
          setStep({ kind: 'move', refusal: null });
        }}
      >
        {tm('back')}
      </Button>
      <Button variant="primary" disabled={pending} onClick={() => confirmMove(step.to)}>
        {pending ? tm('moving') : tm('confirmMove')}
      </Button>
    </>
  ) : confirming ? (
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
      {moving ? (
        <Button
          onClick={() => {
            reset();
            setStep({ kind: 'move', refusal: null });
          }}
        >
          {tm('moveOpen')}
        </Button>
      ) : null}
      <Button onClick={onClose}>{t('close')}</Button>
    </>
  );

  const details = (
    <>
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
      {movable && started ? (
        <div role="group" aria-label={tm('attendance')} className="mt-4 flex flex-wrap items-center gap-2">
          <span className="text-sm text-muted">{tm('attendance')}</span>
          <Button
            aria-pressed={attendance === 'arrived'}
            variant={attendance === 'arrived' ? 'primary' : 'secondary'}
            className={cn(attendance !== 'arrived' && 'border border-line')}
            disabled={pending}
            onClick={() => mark('arrived')}
          >
            {tm('arrived')}
          </Button>
          <Button
            aria-pressed={attendance === 'no_show'}
            variant={attendance === 'no_show' ? 'danger' : 'secondary'}
            className={cn(attendance !== 'no_show' && 'border border-line')}
            disabled={pending}
            onClick={() => mark('no_show')}
          >
            {tm('noShow')}
          </Button>
          {attendance ? (
            <Button variant="ghost" size="sm" disabled={pending} onClick={() => mark(null)}>
              {tm('clearAttendance')}
            </Button>
          ) : null}
        </div>
      ) : null}
      {confirming ? <p className="mt-4 font-medium">{t('deleteConfirm')}</p> : null}
      {error ? (
        <p role="alert" className="mt-3 text-sm text-danger">
          {error}
        </p>
      ) : null}
    </>
  );

  return (
    <ResponsiveDialog title={a.title} onClose={onClose} footer={footer}>
      {choosing && moving && movable ? (
        <MoveStep
          appointment={moving}
          practitioners={movable.practitioners}
          offeredStarts={movable.actions.offeredStarts}
          where={where}
          onWhere={setWhere}
          refusal={step.kind === 'move' ? step.refusal : refused}
          onPick={(to) => {
            reset();
            setStep({ kind: 'confirm', to });
          }}
        />
      ) : step.kind === 'confirm' && moving ? (
        <p className="font-medium">{question(moving, step.to)}</p>
      ) : (
        details
      )}
    </ResponsiveDialog>
  );
}
