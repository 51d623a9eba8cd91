'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { ActionState } from '@/lib/errors';
import type { ClinicCalendarImportDto } from '@/lib/schemas/responses';
import { useActionErrors } from '../ui/action-error';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { useAction } from '../ui/use-action';
import { ClosedDayAppointments } from './clinic-closed-day-appointments';
import { WEEKDAY_SELECT } from './clinic-day-dialog';

type ImportAction = (input: unknown, dryRun: unknown) => Promise<ActionState<ClinicCalendarImportDto>>;

/** A file's bytes as base64 (the government's file may be Big5: the server decodes it). */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * Import a year of Taiwan's office calendar: the government's CSV (or, for a year that ships with
 * the app, its shipped days). Always a preview first (what the year gains, changes and loses, and
 * the appointments on days it closes), then apply.
 */
export function ClinicCalendarImport({
  shippedYear,
  importCalendar,
  onApplied,
}: {
  shippedYear: number | null;
  importCalendar: ImportAction;
  onApplied: () => void;
}) {
  const t = useTranslations('clinicHolidays');
  const errors = useActionErrors();
  const [body, setBody] = useState<Record<string, unknown> | null>(null);
  const [hours, setHours] = useState('');
  const [preview, setPreview] = useState<ClinicCalendarImportDto | null>(null);
  const [applied, setApplied] = useState<ClinicCalendarImportDto | null>(null);
  const call = useAction<ClinicCalendarImportDto>();

  function run(next: Record<string, unknown>, dryRun: boolean) {
    const input = hours === '' || next.taiwan_year !== undefined ? next : { ...next, workday_hours_of_weekday: Number(hours) };
    call.run(() => importCalendar(input, dryRun), {
      ok: (answer) => {
        if (answer.dry_run) setPreview(answer);
        else {
          setPreview(null);
          setApplied(answer);
          onApplied();
        }
      },
    });
  }
  async function chooseFile(file: File | undefined) {
    setPreview(null);
    setApplied(null);
    if (!file) return setBody(null);
    setBody({ csv_base64: await base64Of(file) });
  }
  const failed = errors.message(call.state);
  const day = (d: { date: string; name: string }) => `${d.date} ${d.name}`;

  return (
    <section aria-labelledby="clinic-calendar-import" className="flex flex-col gap-3 rounded-2xl border border-line p-4">
      <h2 id="clinic-calendar-import" className="font-medium">
        {t('importTitle')}
      </h2>
      <p className="text-sm text-muted">{t('importIntro')}</p>
      {shippedYear !== null ? (
        <Button
          disabled={call.pending}
          onClick={() => {
            setBody({ taiwan_year: shippedYear });
            setApplied(null);
            run({ taiwan_year: shippedYear }, true);
          }}
        >
          {t('loadTaiwan', { year: shippedYear })}
        </Button>
      ) : null}
      <Field label={t('file')}>
        {(control) => (
          <input
            {...control}
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => void chooseFile(e.target.files?.[0])}
            className="min-h-11 text-sm"
          />
        )}
      </Field>
      <Field label={t('makeupHours')}>
        {(control) => (
          <select {...control} className={WEEKDAY_SELECT} value={hours} onChange={(e) => setHours(e.target.value)}>
            <option value="">{t('makeupHoursDefault')}</option>
            {[1, 2, 3, 4, 5, 6, 0].map((d) => (
              <option key={d} value={d}>
                {t(`weekday_${d}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Button variant="primary" disabled={call.pending || !body || body.taiwan_year !== undefined} onClick={() => body && run(body, true)}>
        {t('preview')}
      </Button>
      {failed ? (
        <p role="alert" className="text-sm text-danger">
          {failed}
        </p>
      ) : null}
      {preview ? (
        <div role="region" aria-label={t('previewTitle', { year: preview.year })} className="flex flex-col gap-2 text-sm">
          <p className="font-medium">{t('previewTitle', { year: preview.year })}</p>
          <p>
            {t('previewSummary', {
              added: preview.added.length,
              changed: preview.changed.length,
              removed: preview.removed.length,
              unchanged: preview.unchanged,
            })}
          </p>
          <ul className="flex flex-col gap-1">
            {preview.added.map((d) => (
              <li key={`a${d.date}`}>{t('added', { day: day(d) })}</li>
            ))}
            {preview.changed.map((c) => (
              <li key={`c${c.date}`}>{t('changed', { before: day(c.before), after: day(c.after) })}</li>
            ))}
            {preview.removed.map((d) => (
              <li key={`r${d.date}`}>{t('removed', { day: day(d) })}</li>
            ))}
          </ul>
          {preview.affected_appointments.length > 0 ? (
            <>
              <p>{t('closesOver', { count: preview.affected_appointments.length })}</p>
              <ClosedDayAppointments appointments={preview.affected_appointments} />
            </>
          ) : null}
          <Button variant="primary" disabled={call.pending || !body} onClick={() => body && run(body, false)}>
            {t('apply')}
          </Button>
        </div>
      ) : null}
      {applied ? (
        <p role="status" className="text-sm text-ink">
          {t('appliedSummary', { year: applied.year, added: applied.added.length, changed: applied.changed.length, removed: applied.removed.length })}
        </p>
      ) : null}
    </section>
  );
}
