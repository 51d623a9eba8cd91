import { getLocale, getMessages, getTimeZone, getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { PatientDetail } from '@/components/patients/patient-detail';
import { PatientEdit } from '@/components/patients/patient-edit';
import { AppShell } from '@/components/shell/app-shell';
import { requirePageCaller } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { getPatientDetail, patientHistory } from '@/lib/queries/patients';
import { setLocaleAction, signOutAction } from '../../actions';
import { updatePatientAction } from '../actions';

type Param = string | string[] | undefined;
const MAX_ID = 2 ** 31 - 1;

/** `/patients/<id>?past=<page>`: the patient, their counts and appointments; another clinic's patient is the 404 page. */
export default async function PatientPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, Param>>;
}) {
  const caller = await requirePageCaller();
  const { id } = await params;
  const patientId = /^[1-9][0-9]{0,9}$/.test(id) ? Number(id) : NaN;
  if (!(patientId <= MAX_ID)) notFound();
  const past = (await searchParams).past;
  const pastPage = typeof past === 'string' && /^[1-9][0-9]{0,3}$/.test(past) ? Number(past) : 1;
  const db = await getDb();
  const found = await Promise.all([getPatientDetail(db, caller, { patientId }), patientHistory(db, caller, { patientId, pastPage })]).catch((err) => {
    if (err instanceof AppError && err.code === 'not_found') return null;
    throw err;
  });
  if (!found) notFound();
  const [patient, history] = found;
  const [t, locale, timeZone, messages] = await Promise.all([getTranslations('patients'), getLocale(), getTimeZone(), getMessages()]);
  const editable = { id: patient.id, full_name: patient.full_name, phone_number: patient.phone_number, line_user_id: patient.line_user_id };
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
      <PatientDetail
        patient={patient}
        history={history}
        pastPage={pastPage}
        edit={
          <PatientEdit
            patient={editable}
            update={updatePatientAction}
            labels={{ edit: t('edit'), saved: t.raw('saved') as string }}
            intl={{ locale, timeZone, messages: { patients: messages.patients, errors: messages.errors } }}
          />
        }
      />
    </AppShell>
  );
}
