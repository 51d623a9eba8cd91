import { getTranslations } from 'next-intl/server';
import { AppShell } from '@/components/shell/app-shell';
import { requirePageCaller } from '@/lib/auth/session';
import { loadPractitionerContext } from '@/lib/queries/practitioner-context';

export default async function CalendarPage({ searchParams }: { searchParams: Promise<{ practitioner?: string }> }) {
  const caller = await requirePageCaller();
  const { practitioner: requested } = await searchParams;
  const ctx = await loadPractitionerContext(caller, requested);
  const t = await getTranslations('calendar');
  const title = ctx.practitioner ? t('title', { name: ctx.practitioner.name }) : t('comingSoon');
  return (
    <AppShell user={caller} practitioners={ctx.practitioners} practitionerId={ctx.practitioner?.id ?? null} basePath="/calendar" title={title}>
      <section aria-label={title} className="p-4">
        <p className="text-muted">{t('comingSoon')}</p>
      </section>
    </AppShell>
  );
}
