'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { ActionState } from '@/lib/errors';
import type { ClinicSettingsDto } from '@/lib/schemas/responses';
import { useActionErrors } from '../ui/action-error';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { Input } from '../ui/input';
import { ResponsiveDialog } from '../ui/responsive-dialog';
import { useAction } from '../ui/use-action';

/** Slot steps and notices offered in the lists (a clinic's own other value is listed too). */
const STEPS = [5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240];
const NOTICES = [0, 15, 30, 60, 120, 240, 720, 1440, 2880, 4320, 10080];
const SELECT = 'h-11 min-w-0 rounded-lg border border-line bg-surface px-2 text-base text-ink aria-invalid:border-danger';

interface TimezoneWarning {
  to_timezone: string;
  total: number;
  affected_appointments: Array<{ calendar_event_id: number; date: string; time: string; patient: string; practitioner: string }>;
}

interface Props {
  settings: ClinicSettingsDto;
  timeZones: string[];
  save: (input: unknown, confirm: unknown) => Promise<ActionState<ClinicSettingsDto>>;
}

const formOf = (s: ClinicSettingsDto) => ({
  name: s.name,
  timezone: s.timezone,
  step: s.slot_step_minutes === null ? '' : String(s.slot_step_minutes),
  notice: String(s.min_notice_minutes),
  window: s.booking_window_days === null ? '' : String(s.booking_window_days),
  perDay: s.max_appointments_per_day === null ? '' : String(s.max_appointments_per_day),
  perPatient: s.max_upcoming_per_patient === null ? '' : String(s.max_upcoming_per_patient),
  deadline: s.cancellation_deadline_hours === null ? '' : String(s.cancellation_deadline_hours),
});
/** A booking rule's box: empty = no limit; anything else is sent as a number (the server checks it). */
const ruleValue = (v: string): number | string | null => {
  const text = v.trim();
  if (text === '') return null;
  // Not a number: sent as typed, so the server names the field rather than the rule being cleared.
  return /^[0-9]+$/.test(text) ? Number(text) : text;
};
type RuleKey = 'window' | 'perDay' | 'perPatient' | 'deadline';
const RULES: Array<{ key: RuleKey; path: string; label: string; hint: string }> = [
  { key: 'window', path: 'booking_window_days', label: 'bookingWindow', hint: 'bookingWindowHint' },
  { key: 'perDay', path: 'max_appointments_per_day', label: 'maxPerDay', hint: 'maxPerDayHint' },
  { key: 'perPatient', path: 'max_upcoming_per_patient', label: 'maxPerPatient', hint: 'maxPerPatientHint' },
  { key: 'deadline', path: 'cancellation_deadline_hours', label: 'cancellationDeadline', hint: 'cancellationDeadlineHint' },
];
const withValue = (list: number[], value: number | null) => (value === null || list.includes(value) ? list : [...list, value].sort((x, y) => x - y));

/**
 * The clinic's name, time zone, slot step, minimum notice and booking rules (empty = no limit). Saves name the version they were made
 * on: if someone else saved first, the form says so and offers their values. A new time zone with
 * appointments ahead shows how their clock times stay before anything is saved.
 */
export function ClinicSettingsForm({ settings, timeZones, save }: Props) {
  const t = useTranslations('clinicSettings');
  const format = useFormatter();
  const router = useRouter();
  const errors = useActionErrors();
  const [version, setVersion] = useState(settings.version);
  const [form, setForm] = useState(() => formOf(settings));
  const [warning, setWarning] = useState<TimezoneWarning | null>(null);
  const [saved, setSaved] = useState(false);
  const saving = useAction<ClinicSettingsDto>();
  const state = saving.state;
  const current =
    state.status === 'error' && state.code === 'conflict' ? (state.details as { current?: ClinicSettingsDto } | undefined)?.current : undefined;
  const fieldError = (path: string, message: string) => (errors.hasFieldError(state, path) ? message : null);
  const formError =
    current ||
    state.status === 'warning' ||
    errors.hasFieldError(state, 'name') ||
    errors.hasFieldError(state, 'timezone') ||
    RULES.some((r) => errors.hasFieldError(state, r.path))
      ? null
      : errors.message(state);

  const minutes = (m: number) =>
    m === 0
      ? t('noNotice')
      : m % 1440 === 0
        ? t('days', { count: m / 1440 })
        : m % 60 === 0
          ? t('hours', { count: m / 60 })
          : t('minutes', { count: m });
  const day = (date: string) => format.dateTime(new Date(`${date}T12:00:00Z`), { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });

  function change(patch: Partial<typeof form>) {
    setForm((f) => ({ ...f, ...patch }));
    setSaved(false);
  }

  function submit(confirm: boolean) {
    setSaved(false);
    const input = {
      version,
      name: form.name,
      timezone: form.timezone,
      slot_step_minutes: form.step === '' ? null : Number(form.step),
      min_notice_minutes: Number(form.notice),
      booking_window_days: ruleValue(form.window),
      max_appointments_per_day: ruleValue(form.perDay),
      max_upcoming_per_patient: ruleValue(form.perPatient),
      cancellation_deadline_hours: ruleValue(form.deadline),
    };
    saving.run(() => save(input, confirm), {
      ok: (s) => {
        setVersion(s.version);
        setForm(formOf(s));
        setWarning(null);
        setSaved(true);
        router.refresh();
      },
      warning: (details) => setWarning(details as unknown as TimezoneWarning),
    });
  }

  function loadTheirs(theirs: ClinicSettingsDto) {
    setVersion(theirs.version);
    setForm(formOf(theirs));
    saving.reset();
  }

  return (
    <section aria-labelledby="clinic-settings" className="px-4 py-5">
      <h2 id="clinic-settings" className="text-lg font-medium">
        {t('general')}
      </h2>
      <p className="mt-1 text-sm text-muted">{t('intro')}</p>
      <form
        className="mt-4 flex max-w-xl flex-col gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          submit(false);
        }}
      >
        <Field label={t('name')} error={fieldError('name', t('errorName'))}>
          {(control) => <Input {...control} value={form.name} maxLength={200} onChange={(e) => change({ name: e.target.value })} className="px-3" />}
        </Field>
        <Field label={t('timezone')} error={fieldError('timezone', t('errorTimezone'))}>
          {(control) => (
            <>
              <select {...control} className={SELECT} value={form.timezone} onChange={(e) => change({ timezone: e.target.value })}>
                {timeZones.map((zone) => (
                  <option key={zone} value={zone}>
                    {zone.replaceAll('_', ' ')}
                  </option>
                ))}
              </select>
              <span className="text-muted">{t('timezoneHint')}</span>
            </>
          )}
        </Field>
        <Field label={t('slotStep')}>
          {(control) => (
            <select {...control} className={SELECT} value={form.step} onChange={(e) => change({ step: e.target.value })}>
              <option value="">{t('slotStepLength')}</option>
              {withValue(STEPS, settings.slot_step_minutes).map((m) => (
                <option key={m} value={String(m)}>
                  {minutes(m)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('minNotice')}>
          {(control) => (
            <>
              <select {...control} className={SELECT} value={form.notice} onChange={(e) => change({ notice: e.target.value })}>
                {withValue(NOTICES, settings.min_notice_minutes).map((m) => (
                  <option key={m} value={String(m)}>
                    {minutes(m)}
                  </option>
                ))}
              </select>
              <span className="text-muted">{t('minNoticeHint')}</span>
            </>
          )}
        </Field>
        <fieldset className="flex flex-col gap-4">
          <legend className="text-base font-medium">{t('bookingRules')}</legend>
          <p className="-mt-2 text-sm text-muted">{t('bookingRulesHint')}</p>
          {RULES.map((r) => (
            <Field key={r.key} label={t(r.label)} error={fieldError(r.path, t('errorRule'))}>
              {(control) => (
                <>
                  <Input
                    {...control}
                    inputMode="numeric"
                    value={form[r.key]}
                    placeholder={t('noLimit')}
                    onChange={(e) => change({ [r.key]: e.target.value })}
                    className="px-3"
                  />
                  <span className="text-muted">{t(r.hint)}</span>
                </>
              )}
            </Field>
          ))}
        </fieldset>
        {current ? (
          <div role="alert" className="flex flex-col items-start gap-2 rounded-2xl bg-exception-soft p-3 text-sm">
            <p>{t('conflict')}</p>
            <Button size="sm" onClick={() => loadTheirs(current)}>
              {t('reload')}
            </Button>
          </div>
        ) : null}
        {formError ? (
          <p role="alert" className="text-sm text-danger">
            {formError}
          </p>
        ) : null}
        <div className="flex items-center gap-3">
          <Button type="submit" variant="primary" disabled={saving.pending}>
            {saving.pending ? t('saving') : t('save')}
          </Button>
          {saved ? (
            <p role="status" className="text-sm text-success">
              {t('saved')}
            </p>
          ) : null}
        </div>
      </form>
      {warning ? (
        <ResponsiveDialog
          title={t('tzWarningTitle', { zone: warning.to_timezone })}
          description={t('tzWarningBody', { count: warning.total, zone: warning.to_timezone })}
          onClose={() => setWarning(null)}
          footer={
            <>
              <Button onClick={() => setWarning(null)}>{t('cancel')}</Button>
              <Button variant="primary" disabled={saving.pending} onClick={() => submit(true)}>
                {t('changeAnyway')}
              </Button>
            </>
          }
        >
          <ul className="flex flex-col gap-2 text-sm">
            {warning.affected_appointments.map((a) => (
              <li key={a.calendar_event_id}>
                <span className="block font-medium">
                  {t('tzWarningLine', { date: day(a.date), time: a.time.slice(0, 5), zone: warning.to_timezone })}
                </span>
                <span className="block text-muted">{t('tzWarningPatient', { practitioner: a.practitioner, patient: a.patient })}</span>
              </li>
            ))}
          </ul>
          {warning.total > warning.affected_appointments.length ? (
            <p className="mt-2 text-sm text-muted">{t('tzWarningMore', { count: warning.total - warning.affected_appointments.length })}</p>
          ) : null}
        </ResponsiveDialog>
      ) : null}
    </section>
  );
}
