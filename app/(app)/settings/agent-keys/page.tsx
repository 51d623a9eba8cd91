import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { AgentKeysManager } from '@/components/settings/agent-keys-manager';
import { AppShell } from '@/components/shell/app-shell';
import { requirePageCaller } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { listAgentKeys } from '@/lib/queries/agent-keys';
import { setLocaleAction, signOutAction } from '../../actions';
import { createAgentKeyAction, revokeAgentKeyAction } from './actions';

export default async function AgentKeysPage() {
  const caller = await requirePageCaller();
  // Admins only: for anyone else the page does not exist.
  if (caller.role !== 'admin') notFound();
  const t = await getTranslations('agentKeys');
  const keys = await listAgentKeys(await getDb(), caller);
  return (
    <AppShell
      user={caller}
      practitioners={[]}
      practitionerId={null}
      basePath="/settings/agent-keys"
      title={t('title')}
      signOutAction={signOutAction}
      setLocaleAction={setLocaleAction}
    >
      <AgentKeysManager keys={keys} create={createAgentKeyAction} revoke={revokeAgentKeyAction} />
    </AppShell>
  );
}
