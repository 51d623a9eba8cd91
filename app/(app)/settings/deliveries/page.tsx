import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { DeliveriesList } from '@/components/settings/deliveries-list';
import { AppShell } from '@/components/shell/app-shell';
import { requirePageCaller } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { listDeliveries } from '@/lib/queries/deliveries';
import { setLocaleAction, signOutAction } from '../../actions';
import { retryDeliveryAction } from './actions';

export default async function DeliveriesPage() {
  const caller = await requirePageCaller();
  if (caller.role !== 'admin') notFound();
  const t = await getTranslations('deliveries');
  const deliveries = await listDeliveries(await getDb(), caller);
  return (
    <AppShell
      user={caller}
      practitioners={[]}
      practitionerId={null}
      basePath="/settings/deliveries"
      title={t('title')}
      signOutAction={signOutAction}
      setLocaleAction={setLocaleAction}
    >
      <DeliveriesList deliveries={deliveries} retry={retryDeliveryAction} />
    </AppShell>
  );
}
