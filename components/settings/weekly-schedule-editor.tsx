'use client';

import { useTranslations } from 'next-intl';
import { useRef, useState } from 'react';
import { copyDay, WEEKDAYS, type Interval, type Weekday, type WeeklySchedule } from '@/lib/availability';
import type { ActionState } from '@/lib/errors';
import { weekFromInput, weekToDto, type WeeklyScheduleDto } from '@/lib/schemas/weekly-schedule';
import { NETWORK_FAILURE, useActionErrors, type ActionOutcome } from '../ui/action-error';
import { Button } from '../ui/button';
import { cn } from '../ui/cn';
import { ResponsiveDialog } from '../ui/responsive-dialog';
import { CopyHoursControl, type CopyHours } from './copy-hours-control';
import { DayIntervals } from './day-intervals';

interface AppointmentLine {
  calendar_event_id: number;
  date: string;
  time: string;
  patient: string;
}
type SaveResult = ActionState<{ schedule: WeeklyScheduleDto; outsideHours: AppointmentLine[] }>;

interface Props {
  practitionerId: number;
  practitionerName: string;
  initial: WeeklyScheduleDto;
  initialOutsideHours: AppointmentLine[];
  editable: boolean;
  save: (practitionerId: number, schedule: WeeklyScheduleDto, confirm: boolean) => Promise<SaveResult>;
  /** "Copy hours from…" a colleague (left out: no colleague to copy from) */
  copyHours?: { colleagues: Array<{ id: number; name: string }>; copy: CopyHours };
}

/** The lines in their order, grouped by date (the list comes sorted by date and time). */
function groupByDate(lines: AppointmentLine[]): Array<[string, AppointmentLine[]]> {
  const groups = new Map<string, AppointmentLine[]>();
  for (const line of lines) groups.set(line.date, [...(groups.get(line.date) ?? []), line]);
  return [...groups];
}

/**
 * The weekly hours form. Every change saves itself (one request at a time, the latest week wins);
 * a change that leaves appointments outside hours opens a warning and saves only on confirm.
 */
export function WeeklyScheduleEditor({ practitionerId, practitionerName, initial, initialOutsideHours, editable, save, copyHours }: Props) {
  const t = useTranslations('settings');
  const errors = useActionErrors();
  const [draft, setDraft] = useState(() => weekFromInput(initial));
  const [outsideHours, setOutsideHours] = useState(initialOutsideHours);
  const [status, setStatus] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; outcome: ActionOutcome }>({ kind: 'idle' });
  const [warning, setWarning] = useState<{ week: WeeklySchedule; affected: AppointmentLine[] } | null>(null);
  const committed = useRef(weekFromInput(initial));
  const inFlight = useRef(false);
  const queued = useRef<WeeklySchedule | null>(null);

  async function persist(week: WeeklySchedule, confirm = false): Promise<void> {
    if (inFlight.current) {
      queued.current = week;
      return;
    }
    inFlight.current = true;
    setStatus({ kind: 'saving' });
    let result: SaveResult | typeof NETWORK_FAILURE;
    try {
      result = await save(practitionerId, weekToDto(week), confirm);
    } catch {
      result = NETWORK_FAILURE;
    }
    inFlight.current = false;
    const next = queued.current;
    queued.current = null;
    if (result.status === 'ok') {
      committed.current = weekFromInput(result.data.schedule);
      setOutsideHours(result.data.outsideHours);
      setStatus({ kind: 'saved' });
      if (next) await persist(next);
    } else if (next) {
      await persist(next);
    } else if (result.status === 'warning') {
      setStatus({ kind: 'idle' });
      setWarning({ week, affected: (result.details.affected_appointments ?? []) as AppointmentLine[] });
    } else if (result.status === 'error' || result.status === 'network') {
      // Refused or lost: the form shows what is really saved, and says why in the interface's language.
      setDraft(committed.current);
      setStatus({ kind: 'error', outcome: result });
    }
  }

  function change(week: WeeklySchedule) {
    setDraft(week);
    void persist(week);
  }

  return (
    <div>
      <p className="px-4 pb-2 text-sm text-muted">{editable ? t('intro') : t('readOnly', { name: practitionerName })}</p>
      {editable && copyHours && copyHours.colleagues.length > 0 ? (
        <CopyHoursControl
          practitionerId={practitionerId}
          practitionerName={practitionerName}
          colleagues={copyHours.colleagues}
          copy={copyHours.copy}
          disabled={warning !== null || status.kind === 'saving'}
          onCopied={(week) => {
            // The copy is saved: the form shows it as the committed week.
            committed.current = weekFromInput(week.schedule);
            setDraft(committed.current);
            setOutsideHours(week.outsideHours);
            setStatus({ kind: 'saved' });
          }}
        />
      ) : null}
      <p role="status" aria-live="polite" className={cn('px-4 text-sm', status.kind === 'error' ? 'text-danger' : 'text-muted')}>
        {status.kind === 'saving'
          ? t('saving')
          : status.kind === 'saved'
            ? t('saved')
            : status.kind === 'error'
              ? t('errorSave', { message: errors.message(status.outcome) ?? '' })
              : ''}
      </p>
      {WEEKDAYS.map((day) => (
        <DayIntervals
          key={day}
          day={day}
          intervals={draft[day]}
          editable={editable}
          disabled={warning !== null}
          onChange={(intervals: Interval[]) => change({ ...draft, [day]: intervals })}
          onCopy={(to: Weekday[]) => change(copyDay(draft, day, to))}
        />
      ))}
      <section aria-labelledby="outside-hours" className="px-4 py-4">
        <h3 id="outside-hours" className="font-medium">
          {t('outsideHoursTitle')}
        </h3>
        {outsideHours.length === 0 ? (
          <p className="mt-1 text-sm text-muted">{t('outsideHoursEmpty')}</p>
        ) : (
          // Grouped by date, one collapsible group each (the nearest open): 40 rows stay one short list on a phone.
          <div className="mt-1 flex flex-col">
            {groupByDate(outsideHours).map(([date, lines], index) => (
              <details key={date} open={index === 0} className="border-b border-line">
                <summary className="min-h-11 cursor-pointer py-3 text-sm font-medium">{t('outsideHoursDay', { date, count: lines.length })}</summary>
                <ul className="pb-1">
                  {lines.map((a) => (
                    <li key={a.calendar_event_id} className="flex min-h-11 items-center justify-between gap-2 text-sm">
                      <span>{t('outsideHoursLine', { time: a.time, patient: a.patient })}</span>
                      <span className="rounded-full bg-outside-hours px-2 py-0.5 text-xs font-medium text-outside-hours-ink">
                        {t('outsideHoursBadge')}
                      </span>
                    </li>
                  ))}
                </ul>
              </details>
            ))}
          </div>
        )}
      </section>
      {warning ? (
        <ResponsiveDialog
          title={t('warningTitle')}
          description={t('warningBody')}
          onClose={() => {
            setWarning(null);
            setDraft(committed.current);
          }}
          footer={
            <>
              <Button
                onClick={() => {
                  setWarning(null);
                  setDraft(committed.current);
                }}
              >
                {t('cancel')}
              </Button>
              <Button
                variant="primary"
                onClick={() => {
                  const week = warning.week;
                  setWarning(null);
                  void persist(week, true);
                }}
              >
                {t('saveAnyway')}
              </Button>
            </>
          }
        >
          <ul className="flex flex-col gap-1" aria-label={t('warningTitle')}>
            {warning.affected.map((a) => (
              <li key={a.calendar_event_id} className="rounded-xl bg-grayed px-3 py-2">
                {t('appointmentLine', { date: a.date, time: a.time, patient: a.patient })}
              </li>
            ))}
          </ul>
        </ResponsiveDialog>
      ) : null}
    </div>
  );
}
