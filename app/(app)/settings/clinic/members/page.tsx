import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { ClinicNav } from '@/components/settings/clinic-nav';
import { MembersManager } from '@/components/settings/members-manager';
import { AppShell } from '@/components/shell/app-shell';
import { requirePageCaller } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { listMembers } from '@/lib/queries/members';
import { setLocaleAction, signOutAction } from '../../../actions';
import { deactivateMemberAction, inviteMemberAction, reactivateMemberAction, updateMemberAction, withdrawInvitationAction } from './actions';

export default async function MembersPage() {
  const caller = await requirePageCaller();
  // Admins only: for anyone else the page does not exist.
  if (caller.role !== 'admin') notFound();
  const t = await getTranslations('members');
  const { members, invitations } = await listMembers(await getDb(), caller);
  return (
    <AppShell
      user={caller}
      practitioners={[]}
      practitionerId={null}
      basePath="/settings/clinic/members"
      title={t('title')}
      signOutAction={signOutAction}
      setLocaleAction={setLocaleAction}
    >
      <ClinicNav current="members" />
      <MembersManager
        members={members}
        invitations={invitations}
        selfId={caller.userId}
        actions={{
          invite: inviteMemberAction,
          withdraw: withdrawInvitationAction,
          update: updateMemberAction,
          deactivate: deactivateMemberAction,
          reactivate: reactivateMemberAction,
        }}
      />
    </AppShell>
  );
}
