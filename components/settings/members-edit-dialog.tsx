'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { ActionState } from '@/lib/errors';
import type { AffectedAppointmentDto, MemberDto } from '@/lib/schemas/responses';
import { useActionErrors } from '../ui/action-error';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { Input } from '../ui/input';
import { ResponsiveDialog } from '../ui/responsive-dialog';
import { useAction } from '../ui/use-action';
import { conflictReason } from './members-errors';
import { FutureAppointments } from './members-future-appointments';
import { RoleSelect, roleChoiceOf, roleOfChoice } from './members-role';

export type UpdateMember = (userId: unknown, changes: unknown) => Promise<ActionState<MemberDto>>;

/** A member's name and role (practitioner, admin, both, or front desk). */
export function MembersEditDialog({
  member,
  update,
  onClose,
  onSaved,
}: {
  member: MemberDto;
  update: UpdateMember;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useTranslations('members');
  const errors = useActionErrors();
  const saving = useAction<MemberDto>();
  const [name, setName] = useState(member.name);
  const [role, setRole] = useState(roleChoiceOf(member));
  const state = saving.state;
  const reason = conflictReason(state);
  const nameError = errors.hasFieldError(state, 'name') ? t('errorName') : null;
  const formError = nameError ? null : reason ? t(`conflict_${reason}`) : errors.message(state);
  const affected =
    reason === 'future_appointments' && state.status === 'error'
      ? ((state.details as { affected_appointments?: AffectedAppointmentDto[] }).affected_appointments ?? [])
      : [];

  function submit() {
    saving.run(() => update(member.id, { name, ...roleOfChoice(role) }), { ok: onSaved });
  }

  return (
    <ResponsiveDialog
      title={t('editTitle', { name: member.name })}
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
          {(control) => <Input {...control} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} className="px-3" />}
        </Field>
        <Field label={t('role')}>{(control) => <RoleSelect control={control} value={role} onChange={setRole} />}</Field>
        {formError ? (
          <div role="alert" className="flex flex-col gap-2 text-sm text-danger">
            <p>{t('failed', { message: formError })}</p>
            {affected.length > 0 ? <FutureAppointments appointments={affected} /> : null}
          </div>
        ) : null}
        <button type="submit" hidden />
      </form>
    </ResponsiveDialog>
  );
}
