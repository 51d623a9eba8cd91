'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { ActionState } from '@/lib/errors';
import type { ClinicSettingsDto, LineChannelStateDto, LineChannelTestResultDto } from '@/lib/schemas/responses';
import { useActionErrors } from '../ui/action-error';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { Input } from '../ui/input';
import { ResponsiveDialog } from '../ui/responsive-dialog';
import { useAction } from '../ui/use-action';

interface Props {
  channel: LineChannelStateDto;
  encryptionConfigured: boolean;
  actions: {
    set: (input: unknown) => Promise<ActionState<ClinicSettingsDto>>;
    remove: () => Promise<ActionState<ClinicSettingsDto>>;
    test: (input: unknown) => Promise<ActionState<LineChannelTestResultDto>>;
  };
}

type Dialog = 'set' | 'remove' | 'test' | null;

/**
 * The clinic's own LINE channel: whether it is set ("set, ends in …4f2a", never the values),
 * Set up / Replace, Remove and "Send test message". The credentials typed here go to the server
 * once and are never sent back.
 */
export function LineChannelSection({ channel, encryptionConfigured, actions }: Props) {
  const t = useTranslations('clinicSettings');
  const [open, setOpen] = useState<Dialog>(null);
  const set = channel.token_set;
  return (
    <section aria-labelledby="line-channel" className="border-t border-line px-4 py-5">
      <h2 id="line-channel" className="text-lg font-medium">
        {t('lineTitle')}
      </h2>
      <p className="mt-1 text-sm text-muted">{t('lineIntro')}</p>
      {set ? (
        <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="text-muted">{t('tokenLabel')}</dt>
          <dd>{channel.token_hint ? t('setEndsIn', { hint: channel.token_hint }) : t('notSet')}</dd>
          <dt className="text-muted">{t('secretLabel')}</dt>
          <dd>{channel.secret_set && channel.secret_hint ? t('setEndsIn', { hint: channel.secret_hint }) : t('notSet')}</dd>
        </dl>
      ) : (
        <p className="mt-4" role="status">
          {t('lineNotSet')}
        </p>
      )}
      {set && !channel.usable ? (
        <p role="alert" className="mt-3 text-sm text-danger">
          {t('unusable')}
        </p>
      ) : null}
      {!encryptionConfigured ? <p className="mt-3 text-sm text-danger">{t('noKey')}</p> : null}
      <div className="mt-4 flex flex-wrap gap-2">
        {set ? (
          <>
            <Button variant="primary" disabled={!channel.usable} onClick={() => setOpen('test')}>
              {t('test')}
            </Button>
            <Button disabled={!encryptionConfigured} onClick={() => setOpen('set')}>
              {t('replace')}
            </Button>
            <Button variant="dangerText" onClick={() => setOpen('remove')}>
              {t('remove')}
            </Button>
          </>
        ) : (
          <Button variant="primary" disabled={!encryptionConfigured} onClick={() => setOpen('set')}>
            {t('setUp')}
          </Button>
        )}
      </div>
      {open === 'set' ? <SetChannelDialog save={actions.set} onClose={() => setOpen(null)} /> : null}
      {open === 'remove' ? <RemoveChannelDialog remove={actions.remove} onClose={() => setOpen(null)} /> : null}
      {open === 'test' ? <TestChannelDialog test={actions.test} onClose={() => setOpen(null)} /> : null}
    </section>
  );
}

function SetChannelDialog({ save, onClose }: { save: Props['actions']['set']; onClose: () => void }) {
  const t = useTranslations('clinicSettings');
  const router = useRouter();
  const errors = useActionErrors();
  const saving = useAction<ClinicSettingsDto>();
  const [token, setToken] = useState('');
  const [secret, setSecret] = useState('');
  const tokenError = errors.hasFieldError(saving.state, 'access_token') ? t('errorCredential') : null;
  const secretError = errors.hasFieldError(saving.state, 'channel_secret') ? t('errorCredential') : null;
  const formError = tokenError || secretError ? null : errors.message(saving.state);
  const submit = () =>
    saving.run(() => save({ access_token: token, channel_secret: secret }), {
      ok: () => {
        onClose();
        router.refresh();
      },
    });
  return (
    <ResponsiveDialog
      title={t('setTitle')}
      description={t('setBody')}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('cancel')}</Button>
          <Button variant="primary" disabled={saving.pending} onClick={submit}>
            {saving.pending ? t('saving') : t('saveChannel')}
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
        {/* Typed once, never shown again: password fields, so they are not on screen or in autofill. */}
        <Field label={t('tokenLabel')} error={tokenError}>
          {(control) => (
            <Input
              {...control}
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={token}
              onChange={(e) => setToken(e.target.value)}
              className="px-3"
            />
          )}
        </Field>
        <Field label={t('secretLabel')} error={secretError}>
          {(control) => (
            <Input
              {...control}
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              className="px-3"
            />
          )}
        </Field>
        {formError ? (
          <p role="alert" className="text-sm text-danger">
            {formError}
          </p>
        ) : null}
        <button type="submit" hidden />
      </form>
    </ResponsiveDialog>
  );
}

function RemoveChannelDialog({ remove, onClose }: { remove: Props['actions']['remove']; onClose: () => void }) {
  const t = useTranslations('clinicSettings');
  const router = useRouter();
  const errors = useActionErrors();
  const removing = useAction<ClinicSettingsDto>();
  return (
    <ResponsiveDialog
      title={t('removeTitle')}
      description={t('removeBody')}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('cancel')}</Button>
          <Button
            variant="danger"
            disabled={removing.pending}
            onClick={() =>
              removing.run(remove, {
                ok: () => {
                  onClose();
                  router.refresh();
                },
              })
            }
          >
            {t('remove')}
          </Button>
        </>
      }
    >
      {errors.message(removing.state) ? (
        <p role="alert" className="text-sm text-danger">
          {errors.message(removing.state)}
        </p>
      ) : null}
    </ResponsiveDialog>
  );
}

function TestChannelDialog({ test, onClose }: { test: Props['actions']['test']; onClose: () => void }) {
  const t = useTranslations('clinicSettings');
  const errors = useActionErrors();
  const testing = useAction<LineChannelTestResultDto>();
  const [lineUserId, setLineUserId] = useState('');
  const state = testing.state;
  const idError = errors.hasFieldError(state, 'line_user_id') ? t('errorLineUserId') : null;
  const result = state.status === 'ok' ? state.data : null;
  const verdict = !result
    ? null
    : result.ok
      ? [result.bot_name ? t('testOkBot', { bot: result.bot_name }) : t('testOk'), result.pushed ? t('testPushed') : null].filter(Boolean).join(' ')
      : result.reason === 'token_rejected'
        ? t('testTokenRejected')
        : result.reason === 'push_failed'
          ? t('testPushFailed')
          : t('testUnreachable');
  const submit = () => testing.run(() => test({ line_user_id: lineUserId.trim() === '' ? null : lineUserId.trim() }));
  return (
    <ResponsiveDialog
      title={t('testTitle')}
      description={t('testBody')}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('close')}</Button>
          <Button variant="primary" disabled={testing.pending} onClick={submit}>
            {testing.pending ? t('sending') : t('send')}
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
        <Field label={t('lineUserId')} error={idError}>
          {(control) => (
            <>
              <Input
                {...control}
                value={lineUserId}
                autoComplete="off"
                spellCheck={false}
                placeholder="U0123456789abcdef0123456789abcdef"
                onChange={(e) => setLineUserId(e.target.value)}
                className="px-3 font-mono text-sm"
              />
              <span className="text-muted">{t('lineUserIdHint')}</span>
            </>
          )}
        </Field>
        {verdict ? (
          <p role="status" className={result?.ok ? 'text-sm text-success' : 'text-sm text-danger'}>
            {verdict}
          </p>
        ) : null}
        {!idError && errors.message(state) ? (
          <p role="alert" className="text-sm text-danger">
            {errors.message(state)}
          </p>
        ) : null}
        <button type="submit" hidden />
      </form>
    </ResponsiveDialog>
  );
}
