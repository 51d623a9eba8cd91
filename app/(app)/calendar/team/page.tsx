import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { TeamView } from '@/components/calendar/team-view';
import { AppShell } from '@/components/shell/app-shell';
import { formatTime } from '@/lib/availability/time';
import { requirePageCaller } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { loadPractitionerContext } from '@/lib/queries/practitioner-context';
import { getTeamDay } from '@/lib/queries/week';
import { clinicNow } from '@/lib/time/clinic-clock';
import { systemClock } from '@/lib/time/clock';
import { isValidDate } from '@/lib/time/dates';
import { setLocaleAction, signOutAction } from '../../actions';
import { cancelAppointmentAction, createExceptionAction, deleteExceptionAction, updateExceptionAction } from '../actions';
import {
  bookFromCalendarAction,
  bookingTypesAction,
  createBookingPatientAction,
  offeredStartsAction,
  searchBookingPatientsAction,
} from '../booking-actions';
import { markAttendanceAction, offeredMoveStartsAction, rescheduleAppointmentAction } from '../move-actions';

type Param = string | string[] | undefined;

/** `/calendar/team?date=YYYY-MM-DD`: every active practitioner's day side by side (today without a valid date). */
export default async function TeamPage({ searchParams }: { searchParams: Promise<Record<string, Param>> }) {
  const caller = await requirePageCaller();
  const params = await searchParams;
  const db = await getDb();
  const [ctx, t] = await Promise.all([loadPractitionerContext(caller, undefined), getTranslations('calendarViews')]);
  // Without a requested practitioner there is always a context (null is only for an unknown one).
  if (!ctx) notFound();
  const clinic = ctx.clinic;
  const today = clinicNow(clinic.timezone, systemClock());
  const now = `${today.date}T${formatTime(today.minutes)}:00`;
  const requested = typeof params.date === 'string' ? params.date : undefined;
  const date = requested && isValidDate(requested) ? requested : today.date;
  const team = await getTeamDay(db, caller, { date });
  return (
    <AppShell
      user={caller}
      practitioners={ctx.practitioners}
      practitionerId={null}
      basePath="/calendar"
      title={t('teamTitle')}
      signOutAction={signOutAction}
      setLocaleAction={setLocaleAction}
      wide
    >
      <TeamView
        team={team}
        practitionerId={ctx.practitioner?.id ?? null}
        now={now}
        actions={{
          createException: createExceptionAction,
          updateException: updateExceptionAction,
          deleteException: deleteExceptionAction,
          cancelAppointment: cancelAppointmentAction,
        }}
        // Each sheet offers it only in a column the caller manages (their own; every one for an admin).
        move={{
          actions: { reschedule: rescheduleAppointmentAction, offeredStarts: offeredMoveStartsAction, markAttendance: markAttendanceAction },
          practitioners: caller.role === 'admin' ? ctx.practitioners.map((p) => ({ id: p.id, name: p.name })) : [],
        }}
        booking={{
          actions: {
            searchPatients: searchBookingPatientsAction,
            types: bookingTypesAction,
            offeredStarts: offeredStartsAction,
            createPatient: createBookingPatientAction,
            book: bookFromCalendarAction,
          },
        }}
      />
    </AppShell>
  );
}
