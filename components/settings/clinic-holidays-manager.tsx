'use client';

import Link from 'next/link';
import { useFormatter, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { ActionState } from '@/lib/errors';
import type { ClinicCalendarImportDto, ClinicDayDto } from '@/lib/schemas/responses';
import { useActionErrors } from '../ui/action-error';
import { Button } from '../ui/button';
import { useAction } from '../ui/use-action';
import { ClinicCalendarImport } from './clinic-calendar-import';
import { ClinicDayDialog, type ClinicDayActions } from './clinic-day-dialog';

interface Props {
  year: number;
  days: ClinicDayDto[];
  /** Taiwan's office calendar of this year ships with the app */
  shipped: boolean;
  actions: ClinicDayActions & {
    remove: (day: unknown) => Promise<ActionState<{ message: string; date: string }>>;
    importCalendar: (input: unknown, dryRun: unknown) => Promise<ActionState<ClinicCalendarImportDto>>;
  };
}

/** The clinic calendar of a year: its holidays (closed) and make-up workdays, each changed or removed here, and the import of a year. */
export function ClinicHolidaysManager({ year, days, shipped, actions }: Props) {
  const t = useTranslations('clinicHolidays');
  const format = useFormatter();
  const router = useRouter();
  const errors = useActionErrors();
  const [editing, setEditing] = useState<ClinicDayDto | 'new' | null>(null);
  const removing = useAction<{ message: string; date: string }>();
  const removeError = errors.message(removing.state);
  // Dates are the clinic's calendar dates: formatted as such, whatever the browser's zone.
  const dateOf = (date: string) =>
    format.dateTime(new Date(`${date}T00:00:00Z`), { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });
  const saved = () => {
    setEditing(null);
    router.refresh();
  };

  return (
    <div className="flex flex-col gap-4 p-4">
      <p className="text-sm text-muted">{t('intro')}</p>
      <nav aria-label={t('years')} className="flex items-center justify-between gap-2">
        <Link
          href={`?year=${year - 1}`}
          className="flex h-11 items-center rounded-full px-4 text-sm text-muted hover:bg-grayed"
          aria-label={t('previousYear', { year: year - 1 })}
        >
          ‹ {year - 1}
        </Link>
        <h2 className="text-lg font-medium">{t('yearTitle', { year })}</h2>
        <Link
          href={`?year=${year + 1}`}
          className="flex h-11 items-center rounded-full px-4 text-sm text-muted hover:bg-grayed"
          aria-label={t('nextYear', { year: year + 1 })}
        >
          {year + 1} ›
        </Link>
      </nav>
      <Button variant="primary" onClick={() => setEditing('new')}>
        {t('add')}
      </Button>
      <ul aria-label={t('yearTitle', { year })} className="flex flex-col divide-y divide-line rounded-2xl border border-line">
        {days.length === 0 ? <li className="p-4 text-sm text-muted">{t('none')}</li> : null}
        {days.map((d) => (
          <li key={d.id} className="flex items-center justify-between gap-3 p-3">
            <div className="min-w-0">
              <p className="font-medium">
                {dateOf(d.date)} · {d.name}
              </p>
              <p className="text-sm text-muted">
                {d.kind === 'closed' ? t('closedLine') : t('workdayLine', { weekday: t(`weekday_${d.hours_of_weekday ?? 5}`) })} ·{' '}
                {t(`source_${d.source}`)}
              </p>
            </div>
            <div className="flex shrink-0 gap-1">
              <Button variant="ghost" className="px-3" onClick={() => setEditing(d)} aria-label={t('editDay', { date: d.date, name: d.name })}>
                {t('edit')}
              </Button>
              <Button
                variant="dangerText"
                className="px-3"
                disabled={removing.pending}
                onClick={() => removing.run(() => actions.remove(d.date), { ok: () => router.refresh() })}
                aria-label={t('removeDay', { date: d.date, name: d.name })}
              >
                {t('remove')}
              </Button>
            </div>
          </li>
        ))}
      </ul>
      {removeError ? (
        <p role="alert" className="text-sm text-danger">
          {removeError}
        </p>
      ) : null}
      <ClinicCalendarImport shippedYear={shipped ? year : null} importCalendar={actions.importCalendar} onApplied={() => router.refresh()} />
      {editing ? (
        <ClinicDayDialog
          day={editing === 'new' ? null : editing}
          defaultDate={`${year}-01-01`}
          actions={actions}
          onClose={() => setEditing(null)}
          onSaved={saved}
        />
      ) : null}
    </div>
  );
}
