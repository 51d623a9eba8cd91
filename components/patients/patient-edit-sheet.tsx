'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { PatientDto } from '@/lib/schemas/responses';
import { useActionErrors } from '../ui/action-error';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { Input } from '../ui/input';
import { ResponsiveDialog } from '../ui/responsive-dialog';
import { useAction } from '../ui/use-action';
import type { UpdatePatient } from './patient-edit';

/** A patient's name and phone number (an empty phone removes it); errors beside their fields. */
export function PatientEditSheet({
  patient,
  update,
  onClose,
  onSaved,
}: {
  patient: PatientDto;
  update: UpdatePatient;
  onClose: () => void;
  onSaved: (saved: PatientDto) => void;
}) {
  const t = useTranslations('patients');
  const errors = useActionErrors();
  const saving = useAction<PatientDto>();
  const [name, setName] = useState(patient.full_name);
  const [phone, setPhone] = useState(patient.phone_number ?? '');
  const state = saving.state;
  const nameError = errors.hasFieldError(state, 'full_name') ? t('errorName') : null;
  const phoneError = errors.hasFieldError(state, 'phone_number') ? t('errorPhone') : null;
  const formError = nameError || phoneError ? null : errors.message(state);

  function submit() {
    const phoneNumber = phone.trim() === '' ? null : phone.trim();
    saving.run(() => update(patient.id, { full_name: name.trim(), phone_number: phoneNumber }), { ok: onSaved });
  }

  return (
    <ResponsiveDialog
      title={t('editTitle', { name: patient.full_name })}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('cancel')}</Button>
          <Button variant="primary" disabled={saving.pending} onClick={submit}>
            {saving.pending ? t('saving') : t('save')}
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
        <Field label={t('name')} error={nameError}>
          {(control) => (
            <Input {...control} value={name} maxLength={200} autoComplete="off" onChange={(e) => setName(e.target.value)} className="px-3" />
          )}
        </Field>
        <Field label={t('phoneNumber')} error={phoneError}>
          {(control) => (
            <Input
              {...control}
              type="tel"
              inputMode="tel"
              value={phone}
              maxLength={50}
              autoComplete="off"
              onChange={(e) => setPhone(e.target.value)}
              className="px-3"
            />
          )}
        </Field>
        <p className="-mt-2 text-sm text-muted">{t('phoneHint')}</p>
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
