import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { WeeklyScheduleEditor } from '@/components/settings/weekly-schedule-editor';
import { AppShell } from '@/components/shell/app-shell';
import { requirePageCaller } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { listFutureOutsideHours } from '@/lib/queries/outside-hours';
import { loadPractitionerContext } from '@/lib/queries/practitioner-context';
import { getWeeklySchedule } from '@/lib/queries/weekly-schedule';
import { setLocaleAction, signOutAction } from '../../actions';
import { saveWeeklyScheduleAction } from './actions';

export default async function AvailabilitySettingsPage({ searchParams }: { searchParams: Promise<{ practitioner?: string }> }) {
  const caller = await requirePageCaller();
  const { practitioner: requested } = await searchParams;
  const ctx = await loadPractitionerContext(caller, requested);
  if (!ctx) notFound();
  const t = await getTranslations('settings');
  const db = await getDb();
  const practitioner = ctx.practitioner;
  const [schedule, outsideHours] = practitioner
    ? await Promise.all([getWeeklySchedule(db, caller, practitioner.id), listFutureOutsideHours(db, caller.clinicId, practitioner.id)])
    : [null, []];
  return (
    <AppShell user={caller} practitioners={ctx.practitioners} practitionerId={practitioner?.id ?? null} basePath="/settings/availability" title={t('title')}
      signOutAction={signOutAction} setLocaleAction={setLocaleAction}>
      <section aria-labelledby="weekly-hours" className="pb-8">
        <h2 id="weekly-hours" className="px-4 pt-4 pb-1 text-lg font-medium">
          {t('weeklyHours')}{practitioner && practitioner.id !== caller.userId ? ` · ${practitioner.name}` : ''}
        </h2>
        {practitioner && schedule ? (
          <WeeklyScheduleEditor key={practitioner.id} practitionerId={practitioner.id} practitionerName={practitioner.name}
            initial={schedule} initialOutsideHours={outsideHours} editable={ctx.canManage} save={saveWeeklyScheduleAction} />
        ) : null}
      </section>
    </AppShell>
  );
}
