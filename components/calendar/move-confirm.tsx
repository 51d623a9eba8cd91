'use client';

/*
 * The confirmation of a move (reschedule), shared by every grid that drags appointments (day, week,
 * team) and by the appointment sheet's Move step.
 *
 * Use it as a lazy sheet (it needs next-intl's provider, which lazySheet brings):
 *
 *   const MoveConfirm = lazySheet(() => import('./move-confirm').then((m) => m.MoveConfirm));
 *   <MoveConfirm
 *     intl={intl}                       // SheetMessages from the server page (calendar-messages.ts sheetMessages())
 *     appointment={{ calendar_event_id, patient_name, practitioner_id, date, start_time }}
 *     to={{ date, start_time, practitioner_id?, practitioner_name? }}   // practitioner_* only when it changes
 *     actions={{ reschedule }}          // the server action rescheduleAppointmentAction (app/(app)/calendar/move-actions.ts), passed down as a prop
 *     onDone={(ok) => { if (!ok) info.revert(); close(); }}
 *   />
 *
 * It asks "Move 王小明 from Thu, Nov 26 10:00 to Fri, Nov 27 14:00? The patient gets a LINE notice.";
 * Move calls the action; on success it refreshes the page's data (router.refresh) and calls
 * onDone(true). A refusal (409 slot_unavailable when the time was taken meanwhile, or any other error)
 * is shown in the dialog, the appointment keeping its old time; closing it then, or Cancel, calls
 * onDone(false), on which a grid reverts the dragged event.
 */

import { useRouter } from 'next/navigation';
import { useFormatter, useTranslations } from 'next-intl';
import { useRef } from 'react';
import type { ActionState } from '@/lib/errors';
import type { SlotDto } from '@/lib/schemas/responses';
import { useActionErrors, type ActionOutcome } from '../ui/action-error';
import { Button } from '../ui/button';
import { ResponsiveDialog } from '../ui/responsive-dialog';
import { useAction } from '../ui/use-action';
import { dateAsUtc } from './calendar-time';

/** rescheduleAppointmentAction's shape */
export type RescheduleAction = (
  calendarEventId: number,
  body: { date: string; start_time: string; practitioner_id?: number },
) => Promise<ActionState<unknown>>;
/** offeredMoveStartsAction's shape */
export type OfferedStartsAction = (
  calendarEventId: number,
  practitionerId: number,
  date: string,
) => Promise<ActionState<{ practitioner_id: number; date: string; slots: SlotDto[] }>>;
/** markAttendanceAction's shape */
export type MarkAttendanceAction = (
  practitionerId: number,
  calendarEventId: number,
  attendance: 'arrived' | 'no_show' | null,
) => Promise<ActionState<unknown>>;

/** The calendar's move and attendance actions, handed down from the page. */
export interface MoveActions {
  reschedule: RescheduleAction;
  offeredStarts: OfferedStartsAction;
  markAttendance: MarkAttendanceAction;
}

export interface MoveAppointment {
  calendar_event_id: number;
  patient_name: string;
  practitioner_id: number;
  /** its current date and start, `YYYY-MM-DD` and `HH:MM` */
  date: string;
  start_time: string;
}

export interface MoveTarget {
  date: string;
  start_time: string;
  /** only when the appointment changes calendars */
  practitioner_id?: number;
  practitioner_name?: string;
}

interface Props {
  appointment: MoveAppointment;
  to: MoveTarget;
  actions: { reschedule: RescheduleAction };
  onDone: (ok: boolean) => void;
}

/** "Thu, Nov 26 10:00" in the interface's language, clinic wall-clock time. */
export function useMomentText() {
  const format = useFormatter();
  return (date: string, time: string) =>
    `${format.dateTime(dateAsUtc(date), { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' })} ${time}`;
}

/** The confirmation's sentence, shared with the appointment sheet's Move step. */
export function useMoveQuestion() {
  const t = useTranslations('calendarMove');
  const moment = useMomentText();
  return (a: MoveAppointment, to: MoveTarget) =>
    [
      t('question', { patient: a.patient_name, from: moment(a.date, a.start_time), to: moment(to.date, to.start_time) }),
      to.practitioner_id !== undefined && to.practitioner_id !== a.practitioner_id && to.practitioner_name
        ? t('intoCalendar', { practitioner: to.practitioner_name })
        : null,
      t('lineNotice'),
    ]
      .filter(Boolean)
      .join(' ');
}

/** A refused move in words: a taken time says so (the old time kept); anything else as the error catalog has it. */
export function useMoveError() {
  const t = useTranslations('calendarMove');
  const errors = useActionErrors();
  return (outcome: ActionOutcome | null) => {
    if (outcome?.status === 'error' && outcome.code === 'slot_unavailable') return t('slotTaken');
    return errors.message(outcome);
  };
}

/** Asks before moving; see the comment at the top of this file. */
export function MoveConfirm({ appointment, to, actions, onDone }: Props) {
  const t = useTranslations('calendarMove');
  const router = useRouter();
  const question = useMoveQuestion();
  const moveError = useMoveError();
  const { run, pending, state } = useAction<unknown>();
  const error = moveError(state);
  // Closing calls onDone once, whether it closes by Move's success, Cancel, Escape or a swipe.
  const finished = useRef(false);
  const finish = (ok: boolean) => {
    if (finished.current) return;
    finished.current = true;
    onDone(ok);
  };

  function move() {
    run(
      () =>
        actions.reschedule(appointment.calendar_event_id, {
          date: to.date,
          start_time: to.start_time,
          ...(to.practitioner_id !== undefined ? { practitioner_id: to.practitioner_id } : {}),
        }),
      {
        ok: () => {
          router.refresh();
          finish(true);
        },
      },
    );
  }

  const footer = error ? (
    <Button variant="primary" onClick={() => finish(false)}>
      {t('close')}
    </Button>
  ) : (
    <>
      <Button disabled={pending} onClick={() => finish(false)}>
        {t('cancel')}
      </Button>
      <Button variant="primary" disabled={pending} onClick={move}>
        {pending ? t('moving') : t('move')}
      </Button>
    </>
  );

  return (
    <ResponsiveDialog title={t('title')} onClose={() => finish(false)} footer={footer}>
      <p>{question(appointment, to)}</p>
      {error ? (
        <p role="alert" className="mt-3 text-sm text-danger">
          {error}
        </p>
      ) : null}
    </ResponsiveDialog>
  );
}
