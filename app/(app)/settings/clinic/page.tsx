import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { ClinicNav } from '@/components/settings/clinic-nav';
import { ClinicSettingsForm } from '@/components/settings/clinic-settings-form';
import { LineChannelSection } from '@/components/settings/line-channel-section';
import { AppShell } from '@/components/shell/app-shell';
import { requirePageCaller } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { getAdminClinicSettings } from '@/lib/queries/clinic-settings';
import { setLocaleAction, signOutAction } from '../../actions';
import { removeLineChannelAction, setLineChannelAction, testLineChannelAction, updateClinicSettingsAction } from './actions';

/** The IANA zones this server knows, for the time-zone list (the clinic's own first if it is missing). */
function timeZones(current: string): string[] {
  const zones = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
  return zones.includes(current) ? zones : [current, ...zones];
}

export default async function ClinicSettingsPage() {
  const caller = await requirePageCaller();
  // Admins only: for anyone else the page does not exist.
  if (caller.role !== 'admin') notFound();
  const t = await getTranslations('clinicSettings');
  const settings = await getAdminClinicSettings(await getDb(), caller);
  return (
    <AppShell
      user={caller}
      practitioners={[]}
      practitionerId={null}
      basePath="/settings/clinic"
      title={t('title')}
      signOutAction={signOutAction}
      setLocaleAction={setLocaleAction}
    >
      <ClinicNav current="settings" />
      <ClinicSettingsForm settings={settings} timeZones={timeZones(settings.timezone)} save={updateClinicSettingsAction} />
      <LineChannelSection
        channel={settings.line_channel}
        encryptionConfigured={settings.encryption_configured}
        actions={{ set: setLineChannelAction, remove: removeLineChannelAction, test: testLineChannelAction }}
      />
    </AppShell>
  );
}
