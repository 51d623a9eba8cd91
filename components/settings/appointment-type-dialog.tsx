'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { ActionState } from '@/lib/errors';
import type { AdminAppointmentTypeDto } from '@/lib/schemas/responses';
import { useActionErrors } from '../ui/action-error';
import { Button } from '../ui/button';
import { cn } from '../ui/cn';
import { Field, NumberField } from '../ui/field';
import { Input } from '../ui/input';
import { ResponsiveDialog } from '../ui/responsive-dialog';
import { useAction } from '../ui/use-action';
import { TYPE_COLORS } from './appointment-type-colors';

type Save = (input: Record<string, unknown>) => Promise<ActionState<AdminAppointmentTypeDto>>;

const formOf = (t: AdminAppointmentTypeDto | null) => ({
  name: t?.name ?? '',
  duration: String(t?.duration_minutes ?? 30),
  before: String(t?.buffer_before_minutes ?? 0),
  after: String(t?.buffer_after_minutes ?? 0),
  color: t?.color ?? null,
  window: t?.booking_window_days == null ? '' : String(t.booking_window_days),
  notice: t?.min_notice_minutes == null ? '' : String(t.min_notice_minutes),
});
/** A number field's value as the schema wants it: a number when it reads as one, else the text (refused with its field). */
const numberOf = (v: string) => (/^\s*\d+\s*$/.test(v) ? Number(v) : v);
/** An override's value: empty = null (the clinic's rule applies), else as numberOf. */
const overrideOf = (v: string) => (v.trim() === '' ? null : numberOf(v));

/**
 * Creating (`type` null) or editing one appointment type in a sheet. An edit names the version it
 * was made on; when someone else saved first, the sheet says so and offers their version.
 */
export function AppointmentTypeDialog({
  type,
  save,
  onClose,
  onSaved,
}: {
  type: AdminAppointmentTypeDto | null;
  save: Save;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useTranslations('appointmentTypes');
  const errors = useActionErrors();
  const saving = useAction<AdminAppointmentTypeDto>();
  const [base, setBase] = useState(type);
  const [form, setForm] = useState(() => formOf(type));
  const state = saving.state;
  const details =
    state.status === 'error' && state.code === 'conflict'
      ? (state.details as { current?: AdminAppointmentTypeDto; field?: string } | undefined)
      : undefined;
  const nameTaken = details?.field === 'name';
  const fieldError = (path: string, message: string) => (errors.hasFieldError(state, path) ? message : null);
  const nameError = nameTaken ? t('errorNameTaken') : fieldError('name', t('errorName'));
  const invalid = ['name', 'duration_minutes', 'buffer_before_minutes', 'buffer_after_minutes', 'booking_window_days', 'min_notice_minutes'].some(
    (p) => errors.hasFieldError(state, p),
  );
  const formError = details || invalid ? null : errors.message(state);
  const colors = form.color && !TYPE_COLORS.some((c) => c.hex === form.color) ? [...TYPE_COLORS, { hex: form.color, name: null }] : TYPE_COLORS;

  function submit() {
    const input = {
      name: form.name,
      duration_minutes: numberOf(form.duration),
      buffer_before_minutes: numberOf(form.before),
      buffer_after_minutes: numberOf(form.after),
      color: form.color,
      booking_window_days: overrideOf(form.window),
      min_notice_minutes: overrideOf(form.notice),
    };
    saving.run(() => save(base ? { version: base.version, ...input } : input), { ok: onSaved });
  }

  return (
    <ResponsiveDialog
      title={type ? t('editTitle', { name: type.name }) : t('createTitle')}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('cancel')}</Button>
          <Button variant="primary" disabled={saving.pending} onClick={submit}>
            {saving.pending ? t('saving') : type ? t('save') : t('create')}
          </Button>
        </>
      }
    >
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {details?.current ? (
          <div role="alert" className="flex flex-col items-start gap-2 rounded-2xl bg-exception-soft p-3 text-sm">
            <p>{t('conflict')}</p>
            <Button
              size="sm"
              onClick={() => {
                setBase(details.current!);
                setForm(formOf(details.current!));
                saving.reset();
              }}
            >
              {t('reload')}
            </Button>
          </div>
        ) : null}
        <Field label={t('name')} error={nameError}>
          {(control) => (
            <Input {...control} value={form.name} maxLength={100} onChange={(e) => setForm({ ...form, name: e.target.value })} className="px-3" />
          )}
        </Field>
        <NumberField
          label={t('durationLabel')}
          error={fieldError('duration_minutes', t('errorDuration'))}
          min={5}
          max={720}
          step={5}
          value={form.duration}
          onValue={(duration) => setForm({ ...form, duration })}
          inputClassName="w-32 px-3"
        />
        <div className="grid grid-cols-2 gap-3">
          <NumberField
            label={t('bufferBefore')}
            error={fieldError('buffer_before_minutes', t('errorBuffer'))}
            min={0}
            max={240}
            value={form.before}
            onValue={(before) => setForm({ ...form, before })}
            inputClassName="px-3"
          />
          <NumberField
            label={t('bufferAfter')}
            error={fieldError('buffer_after_minutes', t('errorBuffer'))}
            min={0}
            max={240}
            value={form.after}
            onValue={(after) => setForm({ ...form, after })}
            inputClassName="px-3"
          />
        </div>
        <p className="-mt-1 text-sm text-muted">{t('bufferHint')}</p>
        <fieldset className="flex flex-col gap-1">
          <legend className="text-sm font-medium">{t('rulesLegend')}</legend>
          <div className="grid grid-cols-2 gap-3">
            <NumberField
              label={t('windowLabel')}
              error={fieldError('booking_window_days', t('errorWindow'))}
              min={0}
              max={3660}
              value={form.window}
              onValue={(window) => setForm({ ...form, window })}
              inputClassName="px-3"
            />
            <NumberField
              label={t('noticeLabel')}
              error={fieldError('min_notice_minutes', t('errorNotice'))}
              min={0}
              max={43200}
              value={form.notice}
              onValue={(notice) => setForm({ ...form, notice })}
              inputClassName="px-3"
            />
          </div>
          <p className="text-sm text-muted">{t('rulesHint')}</p>
        </fieldset>
        <fieldset>
          <legend className="text-sm">{t('color')}</legend>
          <div className="mt-1 flex flex-wrap gap-1">
            <ColorChoice label={t('colorDefault')} hex={null} checked={form.color === null} onPick={() => setForm({ ...form, color: null })} />
            {colors.map((c) => (
              <ColorChoice
                key={c.hex}
                label={c.name ? t(c.name) : t('colorCustom', { hex: c.hex })}
                hex={c.hex}
                checked={form.color === c.hex}
                onPick={() => setForm({ ...form, color: c.hex })}
              />
            ))}
          </div>
        </fieldset>
        {formError ? (
          <p role="alert" className="text-sm text-danger">
            {t('failed', { message: formError })}
          </p>
        ) : null}
        <button type="submit" hidden />
      </form>
    </ResponsiveDialog>
  );
}

/** One colour as a radio button: the swatch itself (named for screen readers and tooltips) in a label of 44 px. */
function ColorChoice({ label, hex, checked, onPick }: { label: string; hex: string | null; checked: boolean; onPick: () => void }) {
  return (
    <label title={label} className="flex size-11 cursor-pointer items-center justify-center">
      <input
        type="radio"
        name="type-color"
        aria-label={label}
        checked={checked}
        onChange={onPick}
        className={cn(
          'size-7 cursor-pointer appearance-none rounded-full border border-line checked:ring-2 checked:ring-ink checked:ring-offset-2 focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-primary',
          !hex && 'bg-appointment',
        )}
        style={hex ? { backgroundColor: hex } : undefined}
      />
    </label>
  );
}
