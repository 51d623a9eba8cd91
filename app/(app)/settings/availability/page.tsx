import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { ClinicCalendarSection } from '@/components/settings/clinic-calendar-section';
import { GoogleCalendarSection } from '@/components/settings/google-calendar-section';
import { RepeatSuggestions } from '@/components/settings/repeat-suggestions';
import { WeeklyScheduleEditor } from '@/components/settings/weekly-schedule-editor';
import { AppShell } from '@/components/shell/app-shell';
import { requirePageCaller } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { practitionerObservesClinicCalendar } from '@/lib/queries/clinic-calendar';
import { listRepeatSuggestions } from '@/lib/queries/exception-suggestions';
import { getGoogleCalendarSettings } from '@/lib/queries/google';
import { listFutureOutsideHours } from '@/lib/queries/outside-hours';
import { loadPractitionerContext } from '@/lib/queries/practitioner-context';
import { getWeeklySchedule } from '@/lib/queries/weekly-schedule';
import { setLocaleAction, signOutAction } from '../../actions';
import { copyWeeklyScheduleAction, repeatExceptionsWeeklyAction, saveWeeklyScheduleAction } from './actions';
import { setObservesClinicCalendarAction } from './clinic-calendar-actions';
import { connectGoogleAction, disconnectGoogleAction, setCountBusyAction } from './google-actions';

export default async function AvailabilitySettingsPage({ searchParams }: { searchParams: Promise<{ practitioner?: string }> }) {
  const caller = await requirePageCaller();
  const { practitioner: requested } = await searchParams;
  const ctx = await loadPractitionerContext(caller, requested);
  if (!ctx) notFound();
  const t = await getTranslations('settings');
  const db = await getDb();
  const practitioner = ctx.practitioner;
  const [schedule, outsideHours, google, clinic, suggestions, observes] = practitioner
    ? await Promise.all([
        getWeeklySchedule(db, caller, practitioner.id),
        listFutureOutsideHours(db, caller.clinicId, practitioner.id),
        getGoogleCalendarSettings(db, caller, practitioner.id, new Date()),
        ctx.clinic,
        // Only those who may act on it are asked "Make it repeat every week?".
        ctx.canManage ? listRepeatSuggestions(db, caller, practitioner.id) : [],
        practitionerObservesClinicCalendar(db, practitioner.id),
      ])
    : [null, [], null, null, [], true];
  return (
    <AppShell
      user={caller}
      practitioners={ctx.practitioners}
      practitionerId={practitioner?.id ?? null}
      basePath="/settings/availability"
      title={t('title')}
      signOutAction={signOutAction}
      setLocaleAction={setLocaleAction}
    >
      {practitioner && ctx.canManage ? (
        <RepeatSuggestions key={practitioner.id} practitionerId={practitioner.id} suggestions={suggestions} repeat={repeatExceptionsWeeklyAction} />
      ) : null}
      <section aria-labelledby="weekly-hours" className="pb-8">
        <h2 id="weekly-hours" className="px-4 pt-4 pb-1 text-lg font-medium">
          {t('weeklyHours')}
          {practitioner && practitioner.id !== caller.userId ? ` · ${practitioner.name}` : ''}
        </h2>
        {practitioner && schedule ? (
          <WeeklyScheduleEditor
            key={practitioner.id}
            practitionerId={practitioner.id}
            practitionerName={practitioner.name}
            initial={schedule}
            initialOutsideHours={outsideHours}
            editable={ctx.canManage}
            save={saveWeeklyScheduleAction}
            copyHours={{ colleagues: ctx.practitioners.filter((p) => p.id !== practitioner.id), copy: copyWeeklyScheduleAction }}
          />
        ) : null}
      </section>
      {practitioner ? (
        <ClinicCalendarSection
          key={`clinic-calendar-${practitioner.id}`}
          practitionerId={practitioner.id}
          observes={observes}
          editable={ctx.canManage}
          setObserves={setObservesClinicCalendarAction}
        />
      ) : null}
      {practitioner && clinic ? (
        <GoogleCalendarSection
          practitionerId={practitioner.id}
          settings={google}
          editable={ctx.canManage}
          self={practitioner.id === caller.userId}
          timeZone={clinic.timezone}
          actions={{ connect: connectGoogleAction, disconnect: disconnectGoogleAction, setCountBusy: setCountBusyAction }}
        />
      ) : null}
    </AppShell>
  );
}
