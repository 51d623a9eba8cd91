import { getTranslations } from 'next-intl/server';
import { PatientList } from '@/components/patients/patient-list';
import { PatientSearchForm } from '@/components/patients/patient-search-form';
import { AppShell } from '@/components/shell/app-shell';
import { requirePageCaller } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { nextAppointments, searchPatients } from '@/lib/queries/patients';
import { findPatientsQuery } from '@/lib/schemas/patients';
import { setLocaleAction, signOutAction } from '../actions';

type Param = string | string[] | undefined;

/**
 * `/patients?q=` searches the clinic's patients by name (a part of a Chinese name too), phone digits
 * or LINE ID, on the server: the answer is a link, and the form works without JavaScript. Without
 * `q` it lists the recently changed patients.
 */
export default async function PatientsPage({ searchParams }: { searchParams: Promise<Record<string, Param>> }) {
  const caller = await requirePageCaller();
  const raw = (await searchParams).q;
  const parsed = findPatientsQuery.safeParse({ q: typeof raw === 'string' ? raw : '' });
  const q = parsed.success && 'q' in parsed.data ? (parsed.data.q ?? '') : '';
  const t = await getTranslations('patients');
  const db = await getDb();
  const patients = await searchPatients(db, caller, { q });
  const next = await nextAppointments(db, caller, { patientIds: patients.map((p) => p.id) });
  return (
    <AppShell
      user={caller}
      practitioners={[]}
      practitionerId={null}
      basePath="/patients"
      title={t('title')}
      signOutAction={signOutAction}
      setLocaleAction={setLocaleAction}
    >
      <div className="flex flex-col gap-4 p-4">
        <h1 className="sr-only">{t('title')}</h1>
        <PatientSearchForm q={q} labels={{ search: t('search'), placeholder: t('searchPlaceholder'), button: t('searchButton') }} />
        <PatientList q={q} patients={patients} next={next} />
      </div>
    </AppShell>
  );
}
