'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { ActionState } from '@/lib/errors';
import type { InvitationDto } from '@/lib/schemas/responses';
import { useActionErrors } from '../ui/action-error';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { Input } from '../ui/input';
import { ResponsiveDialog } from '../ui/responsive-dialog';
import { useAction } from '../ui/use-action';
import { conflictReason } from './members-errors';
import { RoleSelect, roleOfChoice, type RoleChoice } from './members-role';

export type Invite = (input: unknown) => Promise<ActionState<InvitationDto>>;

/** "Invite": email, name and role; the person joins when they sign in with Google with that email. */
export function MembersInviteDialog({ invite, onClose, onInvited }: { invite: Invite; onClose: () => void; onInvited: () => void }) {
  const t = useTranslations('members');
  const errors = useActionErrors();
  const inviting = useAction<InvitationDto>();
  const [form, setForm] = useState({ email: '', name: '', role: 'practitioner' as RoleChoice });
  const state = inviting.state;
  const reason = conflictReason(state);
  const emailError =
    reason === 'member_exists' || reason === 'invitation_exists'
      ? t(`conflict_${reason}`)
      : errors.hasFieldError(state, 'email')
        ? t('errorEmail')
        : null;
  const nameError = errors.hasFieldError(state, 'name') ? t('errorName') : null;
  const formError = emailError || nameError ? null : errors.message(state);

  function submit() {
    inviting.run(() => invite({ email: form.email, name: form.name, ...roleOfChoice(form.role) }), { ok: onInvited });
  }

  return (
    <ResponsiveDialog
      title={t('inviteTitle')}
      description={t('inviteBody')}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('cancel')}</Button>
          <Button variant="primary" disabled={inviting.pending} onClick={submit}>
            {inviting.pending ? t('inviting') : t('sendInvite')}
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
        <Field label={t('email')} error={emailError}>
          {(control) => (
            <Input
              {...control}
              type="email"
              inputMode="email"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              value={form.email}
              maxLength={320}
              placeholder="name@gmail.com"
              onChange={(e) => setForm({ ...form, email: e.target.value })}
              className="px-3"
            />
          )}
        </Field>
        <Field label={t('name')} error={nameError}>
          {(control) => (
            <Input {...control} value={form.name} maxLength={200} onChange={(e) => setForm({ ...form, name: e.target.value })} className="px-3" />
          )}
        </Field>
        <Field label={t('role')}>
          {(control) => <RoleSelect control={control} value={form.role} onChange={(role) => setForm({ ...form, role })} />}
        </Field>
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
