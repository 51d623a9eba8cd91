import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { AppointmentTypesManager } from '@/components/settings/appointment-types-manager';
import { ClinicNav } from '@/components/settings/clinic-nav';
import { AppShell } from '@/components/shell/app-shell';
import { requirePageCaller } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { listAdminAppointmentTypes } from '@/lib/queries/appointment-types';
import { setLocaleAction, signOutAction } from '../../../actions';
import { archiveAppointmentTypeAction, createAppointmentTypeAction, restoreAppointmentTypeAction, updateAppointmentTypeAction } from './actions';

export default async function AppointmentTypesPage() {
  const caller = await requirePageCaller();
  // Admins only: for anyone else the page does not exist.
  if (caller.role !== 'admin') notFound();
  const t = await getTranslations('appointmentTypes');
  const types = await listAdminAppointmentTypes(await getDb(), caller);
  return (
    <AppShell
      user={caller}
      practitioners={[]}
      practitionerId={null}
      basePath="/settings/clinic/types"
      title={t('title')}
      signOutAction={signOutAction}
      setLocaleAction={setLocaleAction}
    >
      <ClinicNav current="types" />
      <AppointmentTypesManager
        types={types}
        actions={{
          create: createAppointmentTypeAction,
          update: updateAppointmentTypeAction,
          archive: archiveAppointmentTypeAction,
          restore: restoreAppointmentTypeAction,
        }}
      />
    </AppShell>
  );
}
