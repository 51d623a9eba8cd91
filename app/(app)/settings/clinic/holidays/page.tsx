import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { ClinicHolidaysManager } from '@/components/settings/clinic-holidays-manager';
import { ClinicNav } from '@/components/settings/clinic-nav';
import { AppShell } from '@/components/shell/app-shell';
import { requirePageCaller } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { TAIWAN_YEARS } from '@/lib/holidays/taiwan';
import { getClinicSettings } from '@/lib/queries/clinic';
import { listClinicDays } from '@/lib/queries/clinic-calendar';
import { clinicNow } from '@/lib/time/clinic-clock';
import { systemClock } from '@/lib/time/clock';
import { setLocaleAction, signOutAction } from '../../../actions';
import { addClinicDayAction, importClinicCalendarAction, removeClinicDayAction, updateClinicDayAction } from './actions';

/** The clinic calendar of holidays and make-up workdays (admins): a year at a time (?year=). */
export default async function ClinicHolidaysPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const caller = await requirePageCaller();
  // Admins only: for anyone else the page does not exist.
  if (caller.role !== 'admin') notFound();
  const db = await getDb();
  const clinic = await getClinicSettings(db, caller.clinicId);
  const thisYear = Number(clinicNow(clinic.timezone, systemClock()).date.slice(0, 4));
  const asked = (await searchParams).year;
  const year = typeof asked === 'string' && /^20\d{2}$/.test(asked) ? Number(asked) : thisYear;
  const [t, { days }] = await Promise.all([getTranslations('clinicHolidays'), listClinicDays(db, caller, { year })]);
  return (
    <AppShell
      user={caller}
      practitioners={[]}
      practitionerId={null}
      basePath="/settings/clinic/holidays"
      title={t('title')}
      signOutAction={signOutAction}
      setLocaleAction={setLocaleAction}
    >
      <ClinicNav current="holidays" />
      <ClinicHolidaysManager
        year={year}
        days={days}
        shipped={TAIWAN_YEARS.includes(year)}
        actions={{
          add: addClinicDayAction,
          update: updateClinicDayAction,
          remove: removeClinicDayAction,
          importCalendar: importClinicCalendarAction,
        }}
      />
    </AppShell>
  );
}
