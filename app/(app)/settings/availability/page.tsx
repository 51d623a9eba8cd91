import { getTranslations } from 'next-intl/server';
import { AppShell } from '@/components/shell/app-shell';
import { requirePageCaller } from '@/lib/auth/session';
import { loadPractitionerContext } from '@/lib/queries/practitioner-context';

export default async function AvailabilitySettingsPage({ searchParams }: { searchParams: Promise<{ practitioner?: string }> }) {
  const caller = await requirePageCaller();
  const { practitioner: requested } = await searchParams;
  const ctx = await loadPractitionerContext(caller, requested);
  const t = await getTranslations('settings');
  return (
    <AppShell user={caller} practitioners={ctx.practitioners} practitionerId={ctx.practitioner?.id ?? null} basePath="/settings/availability" title={t('title')}>
      <section aria-labelledby="weekly-hours" className="p-4">
        <h2 id="weekly-hours" className="text-lg font-medium">{t('weeklyHours')}</h2>
      </section>
    </AppShell>
  );
}
