'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { ActionState } from '@/lib/errors';
import type { AffectedAppointmentDto, DeactivatedMemberDto, MemberDto } from '@/lib/schemas/responses';
import { useActionErrors } from '../ui/action-error';
import { Button } from '../ui/button';
import { ResponsiveDialog } from '../ui/responsive-dialog';
import { useAction } from '../ui/use-action';
import { conflictReason } from './members-errors';
import { FutureAppointments } from './members-future-appointments';

export type DeactivateMember = (userId: unknown, input: unknown) => Promise<ActionState<DeactivatedMemberDto>>;

/**
 * Deactivating a member asks first. When they have future confirmed appointments the server
 * answers a warning listing them (nothing changed yet); the admin then keeps them or cancels them,
 * and the patients of cancelled ones are told on LINE.
 */
export function MembersDeactivateDialog({
  member,
  deactivate,
  onClose,
  onDone,
}: {
  member: MemberDto;
  deactivate: DeactivateMember;
  onClose: () => void;
  onDone: (result: DeactivatedMemberDto) => void;
}) {
  const t = useTranslations('members');
  const errors = useActionErrors();
  const running = useAction<DeactivatedMemberDto>();
  const [affected, setAffected] = useState<AffectedAppointmentDto[] | null>(null);
  const state = running.state;
  const reason = conflictReason(state);
  const error = state.status === 'warning' ? null : reason ? t(`conflict_${reason}`) : errors.message(state);

  function run(choice?: 'keep' | 'cancel') {
    running.run(() => deactivate(member.id, choice ? { future_appointments: choice } : {}), {
      ok: onDone,
      warning: (details) => setAffected((details.affected_appointments as AffectedAppointmentDto[] | undefined) ?? []),
    });
  }

  const failed = error ? (
    <p role="alert" className="text-sm text-danger">
      {t('failed', { message: error })}
    </p>
  ) : null;

  if (affected) {
    return (
      <ResponsiveDialog
        title={t('futureTitle', { name: member.name, count: affected.length })}
        description={t('futureBody')}
        onClose={onClose}
        footer={
          <>
            <Button onClick={onClose}>{t('dontDeactivate')}</Button>
            <Button disabled={running.pending} onClick={() => run('keep')}>
              {t('keepAppointments')}
            </Button>
            <Button variant="danger" disabled={running.pending} onClick={() => run('cancel')}>
              {t('cancelAppointments')}
            </Button>
          </>
        }
      >
        <div className="flex flex-col gap-3">
          <FutureAppointments appointments={affected} />
          {failed}
        </div>
      </ResponsiveDialog>
    );
  }

  return (
    <ResponsiveDialog
      title={t('deactivateTitle', { name: member.name })}
      description={t('deactivateBody')}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('cancel')}</Button>
          <Button variant="danger" disabled={running.pending} onClick={() => run()}>
            {running.pending ? t('deactivating') : t('deactivate')}
          </Button>
        </>
      }
    >
      {failed}
    </ResponsiveDialog>
  );
}
