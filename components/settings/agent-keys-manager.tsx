'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useActionState, useState } from 'react';
import type { ActionState } from '@/lib/errors';
import type { AgentKeyDto } from '@/lib/queries/agent-keys';
import { IDLE, NETWORK_FAILURE, useActionErrors, type ActionOutcome } from '../ui/action-error';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { Input } from '../ui/input';
import { ResponsiveDialog } from '../ui/responsive-dialog';
import { useAction } from '../ui/use-action';

type Created = { key: string; prefix: string };

interface Props {
  keys: AgentKeyDto[];
  create: (name: unknown) => Promise<ActionState<Created>>;
  revoke: (id: unknown) => Promise<ActionState<{ revoked: true }>>;
}

/** The admin's list of AI-agent keys: create (the key is shown once) and revoke. */
export function AgentKeysManager({ keys, create, revoke }: Props) {
  const t = useTranslations('agentKeys');
  const format = useFormatter();
  const router = useRouter();
  const errors = useActionErrors();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<AgentKeyDto | null>(null);
  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' });

  const [createState, createAction, creating] = useActionState(
    async (_previous: ActionOutcome<Created>, form: FormData): Promise<ActionOutcome<Created>> => {
      try {
        const result = await create(form.get('name'));
        if (result.status === 'ok') {
          setCreated(result.data.key);
          setName('');
          router.refresh();
        }
        return result;
      } catch {
        return NETWORK_FAILURE;
      }
    },
    IDLE,
  );
  // The name is the action's only argument: the server names its refusal "_" (the whole value).
  const nameError = errors.hasFieldError(createState, '_') ? t('errorName') : null;
  const createError = nameError ? null : errors.message(createState);

  const revoking = useAction<{ revoked: true }>();
  const revokeError = errors.message(revoking.state);
  function confirmRevoke(key: AgentKeyDto) {
    revoking.run(() => revoke(key.id), {
      ok: () => {
        setConfirming(null);
        router.refresh();
      },
    });
  }
  function openRevoke(key: AgentKeyDto) {
    revoking.reset();
    setConfirming(key);
  }

  return (
    <div className="flex flex-col gap-4 p-4">
      <p className="text-sm text-muted">{t('intro')}</p>
      <form action={createAction} className="flex flex-wrap items-start gap-2">
        <Field label={t('name')} error={nameError} className="flex-1">
          {(control) => (
            <Input
              {...control}
              name="name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder={t('namePlaceholder')}
              maxLength={100}
              className="px-3"
            />
          )}
        </Field>
        <Button type="submit" variant="primary" disabled={creating} className="mt-6">
          {creating ? t('creating') : t('create')}
        </Button>
        {createError ? (
          <p role="alert" className="w-full text-sm text-danger">
            {createError}
          </p>
        ) : null}
      </form>
      <ul aria-label={t('title')} className="flex flex-col divide-y divide-line rounded-2xl border border-line">
        {keys.length === 0 ? <li className="p-4 text-sm text-muted">{t('none')}</li> : null}
        {keys.map((k) => (
          <li key={k.id} className="flex items-center justify-between gap-3 p-4">
            <div className="min-w-0">
              <p className="font-medium">{k.name}</p>
              <p className="text-sm text-muted">
                {t('prefix', { prefix: k.prefix })} · {t('created', { date: when(k.created_at) })}
              </p>
              <p className="text-sm text-muted">
                {k.revoked_at
                  ? t('revoked', { date: when(k.revoked_at) })
                  : k.last_used_at
                    ? t('lastUsed', { date: when(k.last_used_at) })
                    : t('neverUsed')}
              </p>
            </div>
            {k.revoked_at ? null : (
              <Button variant="dangerText" className="px-4" onClick={() => openRevoke(k)} aria-label={t('revokeKey', { name: k.name })}>
                {t('revoke')}
              </Button>
            )}
          </li>
        ))}
      </ul>
      {created ? (
        <ResponsiveDialog
          title={t('createdTitle')}
          description={t('createdBody')}
          onClose={() => setCreated(null)}
          footer={
            <Button variant="primary" onClick={() => setCreated(null)}>
              {t('done')}
            </Button>
          }
        >
          <Field label={t('keyLabel')}>
            {(control) => (
              <Input {...control} readOnly value={created} onFocus={(e) => e.currentTarget.select()} className="px-3 font-mono text-sm" />
            )}
          </Field>
        </ResponsiveDialog>
      ) : null}
      {confirming ? (
        <ResponsiveDialog
          title={t('revokeConfirmTitle', { name: confirming.name })}
          description={t('revokeConfirmBody')}
          onClose={() => setConfirming(null)}
          footer={
            <>
              <Button onClick={() => setConfirming(null)}>{t('cancel')}</Button>
              <Button variant="primary" disabled={revoking.pending} onClick={() => confirmRevoke(confirming)}>
                {t('revoke')}
              </Button>
            </>
          }
        >
          {revokeError ? (
            <p role="alert" className="text-sm text-danger">
              {t('revokeFailed', { message: revokeError })}
            </p>
          ) : null}
        </ResponsiveDialog>
      ) : null}
    </div>
  );
}
