'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { ActionState } from '@/lib/errors';
import type { DeactivatedMemberDto, InvitationDto, MemberDto } from '@/lib/schemas/responses';
import { useActionErrors } from '../ui/action-error';
import { Button, buttonVariants } from '../ui/button';
import { cn } from '../ui/cn';
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from '../ui/dropdown-menu';
import { useAction } from '../ui/use-action';
import { MembersDeactivateDialog, type DeactivateMember } from './members-deactivate-dialog';
import { MembersEditDialog, type UpdateMember } from './members-edit-dialog';
import { conflictReason } from './members-errors';
import { MembersInviteDialog, type Invite } from './members-invite-dialog';
import { Badge, RoleBadges } from './members-role';

interface Props {
  members: MemberDto[];
  invitations: InvitationDto[];
  /** the signed-in admin, who cannot deactivate themself */
  selfId: number;
  actions: {
    invite: Invite;
    withdraw: (invitationId: unknown) => Promise<ActionState<{ withdrawn: true }>>;
    update: UpdateMember;
    deactivate: DeactivateMember;
    reactivate: (userId: unknown) => Promise<ActionState<MemberDto>>;
  };
}

type Open = { kind: 'invite' } | { kind: 'edit'; member: MemberDto } | { kind: 'deactivate'; member: MemberDto } | null;

/** The clinic's members with their roles and states, pending invitations, and what an admin does with them. */
export function MembersManager({ members, invitations, selfId, actions }: Props) {
  const t = useTranslations('members');
  const format = useFormatter();
  const router = useRouter();
  const errors = useActionErrors();
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const withdrawing = useAction<{ withdrawn: true }>();
  const reactivating = useAction<MemberDto>();
  const quickError = [withdrawing.state, reactivating.state]
    .map((s) => {
      const reason = conflictReason(s);
      return reason ? t(`conflict_${reason}`) : errors.message(s);
    })
    .find(Boolean);
  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium' });

  const done = (message: string) => {
    setOpen(null);
    setNotice(message);
    router.refresh();
  };
  const deactivated = (m: MemberDto, r: DeactivatedMemberDto) =>
    done(
      r.canceled_appointments.length > 0
        ? t('deactivatedCanceled', { name: m.name, count: r.canceled_appointments.length })
        : r.kept_appointments.length > 0
          ? t('deactivatedKept', { name: m.name, count: r.kept_appointments.length })
          : t('deactivatedNotice', { name: m.name }),
    );

  return (
    <div className="flex flex-col gap-6 p-4 pb-10">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="min-w-0 flex-1 text-sm text-muted">{t('intro')}</p>
        <Button variant="primary" onClick={() => setOpen({ kind: 'invite' })}>
          {t('invite')}
        </Button>
      </div>
      {notice ? (
        <p role="status" className="rounded-2xl bg-primary-soft p-3 text-sm">
          {notice}
        </p>
      ) : null}
      {quickError ? (
        <p role="alert" className="text-sm text-danger">
          {t('failed', { message: quickError })}
        </p>
      ) : null}

      {invitations.length > 0 ? (
        <section aria-labelledby="pending-invitations" className="flex flex-col gap-2">
          <h2 id="pending-invitations" className="text-lg font-medium">
            {t('pendingTitle')}
          </h2>
          <ul aria-label={t('pendingTitle')} className="flex flex-col divide-y divide-line rounded-2xl border border-line">
            {invitations.map((i) => (
              <li key={i.id} className="flex items-center justify-between gap-3 p-4">
                <div className="min-w-0">
                  <p className="font-medium break-words">{i.name}</p>
                  <p className="text-sm break-all text-muted">{i.email}</p>
                  <div className="mt-1 flex flex-wrap gap-1">
                    <RoleBadges role={i.role} isPractitioner={i.is_practitioner} />
                    <Badge tone="muted">{t('badgePending')}</Badge>
                  </div>
                  <p className="mt-1 text-sm text-muted">
                    {i.invited_by ? t('invitedBy', { date: when(i.created_at), name: i.invited_by }) : t('invitedOn', { date: when(i.created_at) })}
                  </p>
                </div>
                <Button
                  variant="dangerText"
                  className="px-4"
                  disabled={withdrawing.pending}
                  aria-label={t('withdrawInvitation', { name: i.name })}
                  onClick={() => {
                    reactivating.reset();
                    withdrawing.run(() => actions.withdraw(i.id), { ok: () => done(t('withdrawnNotice', { name: i.name })) });
                  }}
                >
                  {t('withdraw')}
                </Button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="members-heading" className="flex flex-col gap-2">
        <h2 id="members-heading" className="text-lg font-medium">
          {t('membersTitle')}
        </h2>
        <ul aria-label={t('membersTitle')} className="flex flex-col divide-y divide-line rounded-2xl border border-line">
          {members.map((m) => {
            const inactive = m.state === 'deactivated';
            return (
              <li key={m.id} className={cn('flex items-center justify-between gap-3 p-4', inactive && 'bg-grayed')}>
                <div className="min-w-0">
                  <p className="font-medium break-words">
                    {m.name}
                    {m.id === selfId ? <span className="font-normal text-muted"> {t('you')}</span> : null}
                  </p>
                  <p className="text-sm break-all text-muted">{m.email}</p>
                  <div className="mt-1 flex flex-wrap gap-1">
                    <RoleBadges role={m.role} isPractitioner={m.is_practitioner} />
                    {inactive ? <Badge tone="warning">{t('badgeDeactivated')}</Badge> : null}
                    {m.google_connected ? <Badge tone="muted">{t('badgeGoogle')}</Badge> : null}
                    {m.is_practitioner && !m.observes_clinic_calendar ? <Badge tone="muted">{t('badgeWorksHolidays')}</Badge> : null}
                  </div>
                </div>
                <DropdownMenu>
                  <DropdownMenuTrigger aria-label={t('actionsFor', { name: m.name })} className={buttonVariants({ variant: 'ghost', size: 'icon' })}>
                    <span aria-hidden>⋮</span>
                  </DropdownMenuTrigger>
                  <DropdownMenuContent>
                    <DropdownMenuItem onSelect={() => setOpen({ kind: 'edit', member: m })}>{t('edit')}</DropdownMenuItem>
                    {inactive ? (
                      <DropdownMenuItem
                        onSelect={() => {
                          withdrawing.reset();
                          reactivating.run(() => actions.reactivate(m.id), { ok: () => done(t('reactivatedNotice', { name: m.name })) });
                        }}
                      >
                        {t('reactivate')}
                      </DropdownMenuItem>
                    ) : m.id !== selfId ? (
                      <DropdownMenuItem className="text-danger" onSelect={() => setOpen({ kind: 'deactivate', member: m })}>
                        {t('deactivateItem')}
                      </DropdownMenuItem>
                    ) : null}
                  </DropdownMenuContent>
                </DropdownMenu>
              </li>
            );
          })}
        </ul>
      </section>

      {open?.kind === 'invite' ? (
        <MembersInviteDialog invite={actions.invite} onClose={() => setOpen(null)} onInvited={() => done(t('invitedNotice'))} />
      ) : null}
      {open?.kind === 'edit' ? (
        <MembersEditDialog
          member={open.member}
          update={actions.update}
          onClose={() => setOpen(null)}
          onSaved={() => done(t('savedNotice', { name: open.member.name }))}
        />
      ) : null}
      {open?.kind === 'deactivate' ? (
        <MembersDeactivateDialog
          member={open.member}
          deactivate={actions.deactivate}
          onClose={() => setOpen(null)}
          onDone={(r) => deactivated(open.member, r)}
        />
      ) : null}
    </div>
  );
}
