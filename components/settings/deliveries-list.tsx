'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { ActionState } from '@/lib/errors';
import type { DeliveryDto } from '@/lib/queries/deliveries';
import { useActionErrors } from '../ui/action-error';
import { Button } from '../ui/button';
import { cn } from '../ui/cn';
import { useAction } from '../ui/use-action';

const STATUS_STYLE: Record<string, string> = {
  failed: 'bg-danger text-white',
  delivered: 'bg-success text-white',
  pending: 'bg-grayed text-ink',
  processing: 'bg-primary-soft text-ink',
};

/** The admin's view of the outbox: what reached patients and Google, and what failed. */
export function DeliveriesList({
  deliveries,
  retry,
}: {
  deliveries: DeliveryDto[];
  retry: (id: unknown) => Promise<ActionState<{ retried: true }>>;
}) {
  const t = useTranslations('deliveries');
  const format = useFormatter();
  const router = useRouter();
  const errors = useActionErrors();
  const { run, pending, state } = useAction<{ retried: true }>();
  // The job whose retry was asked last: its row shows the answer if it failed.
  const [retrying, setRetrying] = useState<number | null>(null);
  const retryError = errors.message(state);

  function retryJob(id: number) {
    setRetrying(id);
    run(() => retry(id), { ok: () => router.refresh() });
  }

  return (
    <div className="flex flex-col gap-3 p-4">
      <p className="text-sm text-muted">{t('intro')}</p>
      <ul aria-label={t('title')} className="flex flex-col divide-y divide-line rounded-2xl border border-line">
        {deliveries.length === 0 ? <li className="p-4 text-sm text-muted">{t('none')}</li> : null}
        {deliveries.map((d) => (
          <li key={d.id} className="flex items-start justify-between gap-3 p-4">
            <div className="min-w-0">
              <p className="font-medium">
                {t(`kind_${d.kind.replace('.', '_')}` as 'kind_line_push')}
                {d.patient ? ` · ${t('to', { patient: d.patient })}` : ''}
              </p>
              {d.summary ? <p className="truncate text-sm">{d.summary}</p> : null}
              <p className="text-sm text-muted">
                {t('created', { date: format.dateTime(new Date(d.created_at), { dateStyle: 'medium', timeStyle: 'short' }) })} ·{' '}
                {t('attempts', { count: d.attempts })}
              </p>
              {d.last_error && d.status !== 'delivered' ? (
                <p className="break-words text-sm text-danger">{t('error', { error: d.last_error })}</p>
              ) : null}
              {retrying === d.id && retryError ? (
                <p role="alert" className="mt-1 text-sm text-danger">
                  {t('retryFailed', { message: retryError })}
                </p>
              ) : null}
            </div>
            <div className="flex shrink-0 flex-col items-end gap-2">
              <span className={cn('rounded-full px-2 py-0.5 text-xs font-medium', STATUS_STYLE[d.status])}>
                {t(`status_${d.status}` as 'status_failed')}
              </span>
              {d.status === 'failed' ? (
                <Button disabled={pending} aria-label={t('retryJob', { id: d.id })} className="px-4" onClick={() => retryJob(d.id)}>
                  {t('retry')}
                </Button>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
