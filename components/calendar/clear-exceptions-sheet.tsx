'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { ActionState } from '@/lib/errors';
import { useActionErrors } from '../ui/action-error';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { Input } from '../ui/input';
import { ResponsiveDialog } from '../ui/responsive-dialog';
import { useAction } from '../ui/use-action';

export type ClearExceptions = (practitionerId: number, range: { from: string; to: string }) => Promise<ActionState<{ deleted: number }>>;

interface Props {
  practitionerId: number;
  from: string;
  to: string;
  clearExceptions: ClearExceptions;
  onClose: () => void;
}

type LocalError = { field: 'from' | 'to'; key: 'errorDates' | 'errorDateOrder' } | null;

/** The design's bulk "clear exceptions": every unavailability of the practitioner in a date range. */
export function ClearExceptionsSheet({ practitionerId, from: initialFrom, to: initialTo, clearExceptions, onClose }: Props) {
  const t = useTranslations('calendar');
  const router = useRouter();
  const errors = useActionErrors();
  const [from, setFrom] = useState(initialFrom);
  const [to, setTo] = useState(initialTo);
  const [cleared, setCleared] = useState<number | null>(null);
  const [local, setLocal] = useState<LocalError>(null);
  const { run, pending, state, reset } = useAction<{ deleted: number }>();

  function clear() {
    reset();
    if (!from) return setLocal({ field: 'from', key: 'errorDates' });
    if (!to) return setLocal({ field: 'to', key: 'errorDates' });
    if (to < from) return setLocal({ field: 'to', key: 'errorDateOrder' });
    setLocal(null);
    run(() => clearExceptions(practitionerId, { from, to }), {
      ok: (data) => {
        setCleared(data.deleted);
        router.refresh();
      },
    });
  }

  const fieldError = (field: 'from' | 'to') =>
    local?.field === field ? t(local.key) : errors.hasFieldError(state, field) ? errors.fieldMessage() : null;
  const fromError = fieldError('from');
  const toError = fieldError('to');
  const formError = fromError || toError ? null : errors.message(state);

  return (
    <ResponsiveDialog
      title={t('clearTitle')}
      description={t('clearBody')}
      onClose={onClose}
      footer={
        cleared === null ? (
          <>
            <Button onClick={onClose}>{t('cancel')}</Button>
            <Button variant="primary" disabled={pending} onClick={clear}>
              {pending ? t('clearing') : t('clear')}
            </Button>
          </>
        ) : (
          <Button variant="primary" onClick={onClose}>
            {t('done')}
          </Button>
        )
      }
    >
      <div className="grid grid-cols-2 items-start gap-3">
        <Field label={t('from')} error={fromError}>
          {(control) => <Input {...control} type="date" value={from} disabled={cleared !== null} onChange={(e) => setFrom(e.target.value)} />}
        </Field>
        <Field label={t('to')} error={toError}>
          {(control) => <Input {...control} type="date" value={to} disabled={cleared !== null} onChange={(e) => setTo(e.target.value)} />}
        </Field>
      </div>
      {formError ? (
        <p role="alert" className="mt-3 text-sm text-danger">
          {formError}
        </p>
      ) : null}
      <p role="status" className="mt-3 text-sm font-medium">
        {cleared === null ? '' : t('cleared', { count: cleared })}
      </p>
    </ResponsiveDialog>
  );
}
