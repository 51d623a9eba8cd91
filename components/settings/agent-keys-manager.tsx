'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { ActionState } from '@/lib/errors';
import type { AgentKeyDto } from '@/lib/queries/agent-keys';
import { Sheet, SheetButton } from '../ui/sheet';

interface Props {
  keys: AgentKeyDto[];
  create: (name: unknown) => Promise<ActionState<{ key: string; prefix: string }>>;
  revoke: (id: unknown) => Promise<ActionState<{ revoked: true }>>;
}

/** The admin's list of AI-agent keys: create (the key is shown once) and revoke. */
export function AgentKeysManager({ keys, create, revoke }: Props) {
  const t = useTranslations('agentKeys');
  const format = useFormatter();
  const router = useRouter();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<AgentKeyDto | null>(null);
  const [pending, startTransition] = useTransition();
  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' });

  function submit(e: React.FormEvent) {
    e.preventDefault();
    startTransition(async () => {
      const result = await create(name);
      if (result.status === 'ok') {
        setCreated(result.data.key);
        setName('');
        setError(null);
        router.refresh();
      } else if (result.status === 'error') {
        setError(result.fieldErrors ? Object.values(result.fieldErrors).flat().join(' ') : result.message);
      }
    });
  }

  return (
    <div className="flex flex-col gap-4 p-4">
      <p className="text-sm text-muted">{t('intro')}</p>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-2">
        <label className="flex min-w-0 flex-1 flex-col text-sm">{t('name')}
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder={t('namePlaceholder')} maxLength={100}
            className="h-11 rounded-lg border border-line px-3 text-base" />
        </label>
        <button type="submit" disabled={pending} className="h-11 rounded-full bg-primary px-5 font-medium text-white disabled:opacity-50">
          {pending ? t('creating') : t('create')}
        </button>
        {error ? <p role="alert" className="w-full text-sm text-danger">{error}</p> : null}
      </form>
      <ul aria-label={t('title')} className="flex flex-col divide-y divide-line rounded-2xl border border-line">
        {keys.length === 0 ? <li className="p-4 text-sm text-muted">{t('none')}</li> : null}
        {keys.map((k) => (
          <li key={k.id} className="flex items-center justify-between gap-3 p-4">
            <div className="min-w-0">
              <p className="font-medium">{k.name}</p>
              <p className="text-sm text-muted">{t('prefix', { prefix: k.prefix })} · {t('created', { date: when(k.created_at) })}</p>
              <p className="text-sm text-muted">
                {k.revoked_at ? t('revoked', { date: when(k.revoked_at) }) : k.last_used_at ? t('lastUsed', { date: when(k.last_used_at) }) : t('neverUsed')}
              </p>
            </div>
            {k.revoked_at ? null : (
              <button type="button" onClick={() => setConfirming(k)} aria-label={t('revokeKey', { name: k.name })}
                className="h-11 shrink-0 rounded-full px-4 text-danger hover:bg-exception-soft">{t('revoke')}</button>
            )}
          </li>
        ))}
      </ul>
      {created ? (
        <Sheet title={t('createdTitle')} onClose={() => setCreated(null)} footer={<SheetButton primary onClick={() => setCreated(null)}>{t('done')}</SheetButton>}>
          <p className="text-sm text-muted">{t('createdBody')}</p>
          <label className="mt-3 flex flex-col text-sm">{t('keyLabel')}
            <input readOnly value={created} onFocus={(e) => e.currentTarget.select()} className="h-11 rounded-lg border border-line bg-grayed px-3 font-mono text-sm" />
          </label>
        </Sheet>
      ) : null}
      {confirming ? (
        <Sheet title={t('revokeConfirmTitle', { name: confirming.name })} onClose={() => setConfirming(null)}
          footer={<>
            <SheetButton onClick={() => setConfirming(null)}>{t('cancel')}</SheetButton>
            <SheetButton primary disabled={pending} onClick={() => startTransition(async () => {
              await revoke(confirming.id);
              setConfirming(null);
              router.refresh();
            })}>{t('revoke')}</SheetButton>
          </>}>
          <p className="text-sm text-muted">{t('revokeConfirmBody')}</p>
        </Sheet>
      ) : null}
    </div>
  );
}
