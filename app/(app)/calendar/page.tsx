import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { DayView } from '@/components/calendar/day-view';
import { MonthView } from '@/components/calendar/month-view';
import { AppShell } from '@/components/shell/app-shell';
import { formatTime } from '@/lib/availability/time';
import { requirePageCaller } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { getDayView, getMonthView } from '@/lib/queries/calendar';
import { getClinicSettings } from '@/lib/queries/clinic';
import { loadPractitionerContext } from '@/lib/queries/practitioner-context';
import { clinicNow } from '@/lib/time/clinic-clock';
import { systemClock } from '@/lib/time/clock';
import { isValidDate, monthRange } from '@/lib/time/dates';
import { setLocaleAction, signOutAction } from '../actions';
import {
  bookFromCalendarAction,
  bookingTypesAction,
  createBookingPatientAction,
  offeredStartsAction,
  searchBookingPatientsAction,
} from './booking-actions';
import { cancelAppointmentAction, clearExceptionsAction, createExceptionAction, deleteExceptionAction, updateExceptionAction } from './actions';

type Param = string | string[] | undefined;
const one = (v: Param) => (typeof v === 'string' ? v : undefined);
// monthRange alone takes "0050-01"; a real first day rules out years Date cannot round-trip.
const isValidMonth = (m: string) => monthRange(m) !== null && isValidDate(`${m}-01`);

/**
 * `/calendar?practitioner=<id>&month=YYYY-MM` is the month view, `…&date=YYYY-MM-DD` the day view;
 * anything else (or an invalid value) shows the current month in the clinic's time zone.
 */
export default async function CalendarPage({ searchParams }: { searchParams: Promise<Record<string, Param>> }) {
  const caller = await requirePageCaller();
  const params = await searchParams;
  const ctx = await loadPractitionerContext(caller, one(params.practitioner));
  if (!ctx) notFound();
  const t = await getTranslations('calendar');
  const db = await getDb();
  const practitioner = ctx.practitioner;
  const shell = {
    user: caller,
    practitioners: ctx.practitioners,
    practitionerId: practitioner?.id ?? null,
    basePath: '/calendar',
    signOutAction,
    setLocaleAction,
  };

  if (!practitioner) {
    return (
      <AppShell {...shell} title={t('calendar')}>
        <p className="p-4 text-muted">{t('noPractitioner')}</p>
      </AppShell>
    );
  }

  const clinic = await getClinicSettings(db, caller.clinicId);
  const today = clinicNow(clinic.timezone, systemClock());
  const now = `${today.date}T${formatTime(today.minutes)}:00`;
  const title = t('title', { name: practitioner.name });
  const date = one(params.date);
  const month = one(params.month);

  if (date && isValidDate(date)) {
    const day = await getDayView(db, caller, { practitionerId: practitioner.id, date });
    return (
      <AppShell {...shell} title={title}>
        <DayView
          practitionerId={practitioner.id}
          practitionerName={practitioner.name}
          day={day}
          now={now}
          canManage={ctx.canManage}
          booking={
            ctx.canManage
              ? {
                  actions: {
                    searchPatients: searchBookingPatientsAction,
                    types: bookingTypesAction,
                    offeredStarts: offeredStartsAction,
                    createPatient: createBookingPatientAction,
                    book: bookFromCalendarAction,
                  },
                  practitioners: [{ id: practitioner.id, name: practitioner.name }],
                }
              : null
          }
          actions={{
            createException: createExceptionAction,
            updateException: updateExceptionAction,
            deleteException: deleteExceptionAction,
            cancelAppointment: cancelAppointmentAction,
          }}
        />
      </AppShell>
    );
  }

  const shownMonth = month && isValidMonth(month) ? month : today.date.slice(0, 7);
  const view = await getMonthView(db, caller, { practitionerId: practitioner.id, month: shownMonth, page: 1, limit: 31 });
  return (
    <AppShell {...shell} title={title}>
      <MonthView
        practitionerId={practitioner.id}
        practitionerName={practitioner.name}
        month={shownMonth}
        days={view.days}
        now={now}
        canManage={ctx.canManage}
        clearExceptions={clearExceptionsAction}
      />
    </AppShell>
  );
}
