import { getTranslations } from 'next-intl/server';
import { cookies } from 'next/headers';
import { notFound } from 'next/navigation';
import { DayView } from '@/components/calendar/day-view';
import { MonthView } from '@/components/calendar/month-view';
import { WIDE_COOKIE } from '@/components/calendar/view-links';
import { WeekView } from '@/components/calendar/week-view';
import { AppShell } from '@/components/shell/app-shell';
import { formatTime } from '@/lib/availability/time';
import { requirePageCaller } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { getDayView, getMonthView } from '@/lib/queries/calendar';
import { getWeekView, mondayOf, weekPageRange } from '@/lib/queries/week';
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
import { markAttendanceAction, offeredMoveStartsAction, rescheduleAppointmentAction } from './move-actions';

type Param = string | string[] | undefined;
const one = (v: Param) => (typeof v === 'string' ? v : undefined);
// monthRange alone takes "0050-01"; a real first day rules out years Date cannot round-trip.
const isValidMonth = (m: string) => monthRange(m) !== null && isValidDate(`${m}-01`);

/**
 * `/calendar?practitioner=<id>&month=YYYY-MM` is the month view, `…&date=YYYY-MM-DD` the day view,
 * `…&week=YYYY-MM-DD` the week view (the date's Monday-Sunday week on a desktop, three days from it
 * on a phone); anything else (or an invalid value) shows the current month in the clinic's time zone,
 * or on a desktop the current week (see below).
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

  const clinic = ctx.clinic;
  const today = clinicNow(clinic.timezone, systemClock());
  const now = `${today.date}T${formatTime(today.minutes)}:00`;
  const title = t('title', { name: practitioner.name });
  const date = one(params.date);
  const month = one(params.month);

  const week = one(params.week);
  // A desktop opens on the week, a phone on the month. The server decides, so nothing is drawn first
  // and then replaced (no flash): the root layout's first script, run before anything is painted, keeps
  // the cookie WIDE_COOKIE at 1 while the window is desktop-wide (components/shell/wide-cookie.tsx),
  // so every request after the browser's first page (the sign-in page, for anyone signing in) says
  // which it is. A request without the cookie (a browser's very first page) gets the month.
  const opensOnWeek = !date && !month && !week && (await cookies()).get(WIDE_COOKIE)?.value === '1';
  if ((week && isValidDate(week)) || opensOnWeek) {
    const anchor = week && isValidDate(week) ? week : today.date;
    const range = weekPageRange(anchor);
    const data = await getWeekView(db, caller, { practitionerId: practitioner.id, ...range });
    return (
      <AppShell {...shell} title={title} wide>
        <WeekView
          practitionerId={practitioner.id}
          practitionerName={practitioner.name}
          anchor={anchor}
          monday={mondayOf(anchor)}
          week={data}
          now={now}
          canManage={ctx.canManage}
          actions={{
            createException: createExceptionAction,
            updateException: updateExceptionAction,
            deleteException: deleteExceptionAction,
            cancelAppointment: cancelAppointmentAction,
          }}
          move={
            ctx.canManage
              ? {
                  actions: { reschedule: rescheduleAppointmentAction, offeredStarts: offeredMoveStartsAction, markAttendance: markAttendanceAction },
                  practitioners: caller.role === 'admin' ? ctx.practitioners.map((p) => ({ id: p.id, name: p.name })) : [],
                }
              : null
          }
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
        />
      </AppShell>
    );
  }

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
          move={
            ctx.canManage
              ? {
                  actions: { reschedule: rescheduleAppointmentAction, offeredStarts: offeredMoveStartsAction, markAttendance: markAttendanceAction },
                  // A practitioner moves within their own calendar; an admin into anyone's.
                  practitioners: caller.role === 'admin' ? ctx.practitioners.map((p) => ({ id: p.id, name: p.name })) : [],
                }
              : null
          }
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
