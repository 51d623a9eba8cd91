import { eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { POST as typeArchivePOST } from '@/app/api/clinic/admin/appointment-types/[appointment_type_id]/archive/route';
import { POST as typeRestorePOST } from '@/app/api/clinic/admin/appointment-types/[appointment_type_id]/restore/route';
import { PATCH as typePATCH } from '@/app/api/clinic/admin/appointment-types/[appointment_type_id]/route';
import { GET as adminTypesGET, POST as adminTypesPOST } from '@/app/api/clinic/admin/appointment-types/route';
import { DELETE as invitationDELETE } from '@/app/api/clinic/admin/invitations/[invitation_id]/route';
import { POST as invitationsPOST } from '@/app/api/clinic/admin/invitations/route';
import { POST as deactivatePOST } from '@/app/api/clinic/admin/members/[user_id]/deactivate/route';
import { POST as reactivatePOST } from '@/app/api/clinic/admin/members/[user_id]/reactivate/route';
import { PATCH as memberPATCH } from '@/app/api/clinic/admin/members/[user_id]/route';
import { GET as membersGET } from '@/app/api/clinic/admin/members/route';
import { GET as activityGET } from '@/app/api/clinic/admin/activity/route';
import { DELETE as calendarDayDELETE, PUT as calendarDayPUT } from '@/app/api/clinic/admin/calendar-days/[day]/route';
import { POST as calendarImportPOST } from '@/app/api/clinic/admin/calendar-days/import/route';
import { GET as calendarDaysGET, POST as calendarDaysPOST } from '@/app/api/clinic/admin/calendar-days/route';
import { POST as lineChannelTestPOST } from '@/app/api/clinic/admin/settings/line-channel/test/route';
import { DELETE as lineChannelDELETE, PUT as lineChannelPUT } from '@/app/api/clinic/admin/settings/line-channel/route';
import { GET as settingsGET, PATCH as settingsPATCH } from '@/app/api/clinic/admin/settings/route';
import { GET as appointmentTypesGET } from '@/app/api/clinic/appointment-types/route';
import { POST as cancelPOST } from '@/app/api/clinic/appointments/[calendar_event_id]/cancel/route';
import { POST as reschedulePOST } from '@/app/api/clinic/appointments/[calendar_event_id]/reschedule/route';
import { POST as appointmentsPOST } from '@/app/api/clinic/appointments/route';
import { GET as clinicSlotsGET } from '@/app/api/clinic/availability/slots/route';
import { DELETE as holdDELETE } from '@/app/api/clinic/holds/[hold_id]/route';
import { POST as holdsPOST } from '@/app/api/clinic/holds/route';
import { GET as patientAppointmentsGET } from '@/app/api/clinic/patients/[patient_id]/appointments/route';
import { GET as patientGET, PATCH as patientPATCH } from '@/app/api/clinic/patients/[patient_id]/route';
import { GET as patientsGET, POST as patientsPOST } from '@/app/api/clinic/patients/route';
import { PUT as attendancePUT } from '@/app/api/clinic/practitioners/[user_id]/appointments/[calendar_event_id]/attendance/route';
import { DELETE as appointmentDELETE } from '@/app/api/clinic/practitioners/[user_id]/appointments/[calendar_event_id]/route';
import { GET as calendarGET } from '@/app/api/clinic/practitioners/[user_id]/availability/calendar/route';
import { POST as defaultCopyPOST } from '@/app/api/clinic/practitioners/[user_id]/availability/default/copy/route';
import { GET as defaultGET, PUT as defaultPUT } from '@/app/api/clinic/practitioners/[user_id]/availability/default/route';
import {
  DELETE as exceptionDELETE,
  PUT as exceptionPUT,
} from '@/app/api/clinic/practitioners/[user_id]/availability/exceptions/[exception_id]/route';
import { POST as exceptionsClearPOST } from '@/app/api/clinic/practitioners/[user_id]/availability/exceptions/clear/route';
import { POST as exceptionsPOST } from '@/app/api/clinic/practitioners/[user_id]/availability/exceptions/route';
import { GET as slotCheckGET } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/check/route';
import { GET as practitionerSlotsGET } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/route';
import { GET as practitionersGET } from '@/app/api/clinic/practitioners/route';
import type { Caller } from '@/lib/auth/caller';
import type { Db } from '@/lib/db/client';
import { agentKeys, clinicCalendarDays, clinics, invitations, practitionerAvailability, slotHolds } from '@/lib/db/schema';
import { getDayView, getMonthView } from '@/lib/queries/calendar';
import { createAgentKey } from '@/lib/services/agent-keys';
import { getWeeklySchedule } from '@/lib/queries/weekly-schedule';
import { dbFingerprint } from '../support/db-fingerprint';
import { useTestDatabase } from '../support/db';
import { makeAppointment, makeAppointmentType, makeClinicWithStaff, makeException, makeUser, setWeek } from '../support/factories';
import { callRoute, sessionCookie, staffCookies, type CallOptions } from '../support/http';

/**
 * Who may call what (CONTRACT.md "Who may call"), as one table: every route under app/api/clinic ×
 * every kind of caller → the status it must answer. A refusal must change nothing and answer the
 * contract's error shape. The target is always clinic A's practitioner ("practitioner" is that
 * practitioner signed in; "colleague" another practitioner of clinic A).
 */
const CALLERS = [
  'signed out',
  'practitioner',
  'colleague',
  'admin',
  "another clinic's admin",
  'agent key',
  "another clinic's key",
  'revoked key',
] as const;
type CallerName = (typeof CALLERS)[number];
type Expect = [number, number, number, number, number, number, number, number];

type Cast = Awaited<ReturnType<typeof makeClinicWithStaff>>;
interface Fixture {
  db: Db;
  a: Cast;
  b: Cast;
}
type Handler = Parameters<typeof callRoute>[0];
type Request = Pick<CallOptions, 'path' | 'params' | 'body'>;

interface Row {
  route: string;
  handler: Handler;
  method: string;
  /** in CALLERS order */
  expect: Expect;
  /** Builds the request for one caller (index `i`), creating fresh rows when the request changes them. */
  request: (f: Fixture, i: number) => Promise<Request> | Request;
}

const BOOK_DATE = '2031-03-05'; // a Wednesday; clinic A's practitioner works 09:00-18:00 Monday to Friday
const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
const WEEK_BODY = Object.fromEntries(
  ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((d) => [d, [{ start_time: '09:00', end_time: '18:00' }]]),
);
const UNKNOWN = 2_000_000_000;
const p = (f: Fixture) => f.a.practitioner.id;
const base = (f: Fixture) => `/api/clinic/practitioners/${p(f)}`;

//                                      out  prac coll adm  B-adm agent B-key revoked
const READ_ALL: Expect = [401, 200, 200, 200, 200, 200, 200, 401];
const READ_CLINIC_DATA: Expect = [401, 200, 200, 200, 404, 200, 404, 401];
const MEMBERS_READ: Expect = [401, 200, 200, 200, 404, 403, 403, 401];
const OWNER_OR_ADMIN: Expect = [401, 200, 403, 200, 404, 403, 403, 401];
/** Administration of clinic A's rows (members, invitations): its admin only; another clinic's admin finds nothing. */
const CLINIC_ADMIN: Expect = [401, 403, 403, 200, 404, 403, 403, 401];
const admin = (path: string) => `/api/clinic/admin${path}`;
/** A fresh member of clinic A per caller, so each request changes a row of its own. */
const freshMember = (f: Fixture, i: number, values: { deactivatedAt?: Date } = {}) =>
  makeUser(f.db, { clinicId: f.a.clinic.id, name: `Matrix member ${i}`, ...values });

const ROWS: Row[] = [
  { route: 'GET /practitioners', handler: practitionersGET, method: 'GET', expect: READ_ALL, request: () => ({ path: '/api/clinic/practitioners' }) },
  {
    route: 'GET /appointment-types',
    handler: appointmentTypesGET,
    method: 'GET',
    expect: READ_ALL,
    request: () => ({ path: '/api/clinic/appointment-types' }),
  },
  {
    route: 'GET /practitioners/{id}/availability/default',
    handler: defaultGET,
    method: 'GET',
    expect: MEMBERS_READ,
    request: (f) => ({ path: `${base(f)}/availability/default`, params: { user_id: String(p(f)) } }),
  },
  {
    route: 'GET /practitioners/{unknown id}/availability/default',
    handler: defaultGET,
    method: 'GET',
    expect: [401, 404, 404, 404, 404, 403, 403, 401],
    request: () => ({ path: `/api/clinic/practitioners/${UNKNOWN}/availability/default`, params: { user_id: String(UNKNOWN) } }),
  },
  {
    route: 'PUT /practitioners/{id}/availability/default',
    handler: defaultPUT,
    method: 'PUT',
    expect: OWNER_OR_ADMIN,
    request: (f) => ({ path: `${base(f)}/availability/default`, params: { user_id: String(p(f)) }, body: WEEK_BODY }),
  },
  {
    // Copying a colleague's week onto clinic A's practitioner: the practitioner or an admin (reading the colleague's week is allowed to both).
    route: 'POST /practitioners/{id}/availability/default/copy',
    handler: defaultCopyPOST,
    method: 'POST',
    expect: OWNER_OR_ADMIN,
    // The colleague works the same hours as clinic A's practitioner, so the copy leaves the later rows' bookings in hours.
    request: async (f) => {
      await f.db.delete(practitionerAvailability).where(eq(practitionerAvailability.userId, f.a.colleague.id));
      await setWeek(
        f.db,
        f.a.colleague.id,
        Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [['09:00', '18:00']]])) as Record<number, Array<[string, string]>>,
      );
      return { path: `${base(f)}/availability/default/copy`, params: { user_id: String(p(f)) }, body: { from_practitioner_id: f.a.colleague.id } };
    },
  },
  {
    route: 'POST /practitioners/{unknown id}/availability/default/copy',
    handler: defaultCopyPOST,
    method: 'POST',
    expect: [401, 404, 404, 404, 404, 403, 403, 401],
    request: (f) => ({
      path: `/api/clinic/practitioners/${UNKNOWN}/availability/default/copy`,
      params: { user_id: String(UNKNOWN) },
      body: { from_practitioner_id: f.a.colleague.id },
    }),
  },
  {
    route: 'GET /practitioners/{id}/availability/calendar?month',
    handler: calendarGET,
    method: 'GET',
    expect: MEMBERS_READ,
    request: (f) => ({ path: `${base(f)}/availability/calendar?month=2031-03`, params: { user_id: String(p(f)) } }),
  },
  {
    route: 'GET /practitioners/{id}/availability/calendar?date (day view)',
    handler: calendarGET,
    method: 'GET',
    expect: MEMBERS_READ,
    request: (f) => ({ path: `${base(f)}/availability/calendar?date=2031-03-06`, params: { user_id: String(p(f)) } }),
  },
  {
    route: 'GET /practitioners/{unknown id}/availability/calendar?date',
    handler: calendarGET,
    method: 'GET',
    expect: [401, 404, 404, 404, 404, 403, 403, 401],
    request: () => ({ path: `/api/clinic/practitioners/${UNKNOWN}/availability/calendar?date=2031-03-06`, params: { user_id: String(UNKNOWN) } }),
  },
  {
    route: 'GET /practitioners/{id}/availability/slots?date',
    handler: practitionerSlotsGET,
    method: 'GET',
    expect: READ_CLINIC_DATA,
    request: (f) => ({
      path: `${base(f)}/availability/slots?date=${BOOK_DATE}&appointment_type_id=${f.a.type.id}`,
      params: { user_id: String(p(f)) },
    }),
  },
  {
    route: 'GET /practitioners/{id}/availability/slots?from&to',
    handler: practitionerSlotsGET,
    method: 'GET',
    expect: READ_CLINIC_DATA,
    request: (f) => ({
      path: `${base(f)}/availability/slots?from=2031-03-03&to=2031-03-09&appointment_type_id=${f.a.type.id}`,
      params: { user_id: String(p(f)) },
    }),
  },
  {
    route: 'GET /availability/slots (clinic-wide)',
    handler: clinicSlotsGET,
    method: 'GET',
    expect: READ_CLINIC_DATA,
    request: (f) => ({ path: `/api/clinic/availability/slots?date=${BOOK_DATE}&appointment_type_id=${f.a.type.id}` }),
  },
  {
    route: 'POST /practitioners/{id}/availability/exceptions',
    handler: exceptionsPOST,
    method: 'POST',
    expect: [401, 201, 403, 201, 404, 403, 403, 401],
    // A date of its own per caller, with no appointments on it.
    request: (f, i) => ({
      path: `${base(f)}/availability/exceptions`,
      params: { user_id: String(p(f)) },
      body: { date: `2031-04-${String(i + 1).padStart(2, '0')}`, start_time: '10:00', end_time: '11:00' },
    }),
  },
  {
    route: 'PUT /practitioners/{id}/availability/exceptions/{exception_id}',
    handler: exceptionPUT,
    method: 'PUT',
    expect: OWNER_OR_ADMIN,
    request: async (f, i) => {
      const { exception } = await makeException(f.db, {
        userId: p(f),
        date: '2031-03-10',
        startTime: hh(9 + i),
        endTime: `${String(9 + i).padStart(2, '0')}:30`,
      });
      return {
        path: `${base(f)}/availability/exceptions/${exception.id}`,
        params: { user_id: String(p(f)), exception_id: String(exception.id) },
        body: { end_time: `${String(9 + i).padStart(2, '0')}:45` },
      };
    },
  },
  {
    route: 'DELETE /practitioners/{id}/availability/exceptions/{exception_id}',
    handler: exceptionDELETE,
    method: 'DELETE',
    expect: OWNER_OR_ADMIN,
    request: async (f, i) => {
      const { exception } = await makeException(f.db, {
        userId: p(f),
        date: '2031-03-11',
        startTime: hh(9 + i),
        endTime: `${String(9 + i).padStart(2, '0')}:30`,
      });
      return { path: `${base(f)}/availability/exceptions/${exception.id}`, params: { user_id: String(p(f)), exception_id: String(exception.id) } };
    },
  },
  {
    route: 'PUT /practitioners/{id}/availability/exceptions/{unknown id}',
    handler: exceptionPUT,
    method: 'PUT',
    expect: [401, 404, 403, 404, 404, 403, 403, 401],
    request: (f) => ({
      path: `${base(f)}/availability/exceptions/${UNKNOWN}`,
      params: { user_id: String(p(f)), exception_id: String(UNKNOWN) },
      body: { end_time: '12:00' },
    }),
  },
  {
    // Each caller clears a day of its own holding one exception.
    route: 'POST /practitioners/{id}/availability/exceptions/clear',
    handler: exceptionsClearPOST,
    method: 'POST',
    expect: OWNER_OR_ADMIN,
    request: async (f, i) => {
      const date = `2031-05-${String(i + 1).padStart(2, '0')}`;
      await makeException(f.db, { userId: p(f), date, startTime: '10:00', endTime: '11:00' });
      return { path: `${base(f)}/availability/exceptions/clear`, params: { user_id: String(p(f)) }, body: { from: date, to: date } };
    },
  },
  {
    route: 'POST /patients',
    handler: patientsPOST,
    method: 'POST',
    expect: [401, 201, 201, 201, 201, 201, 201, 401],
    request: (_f, i) => ({
      path: '/api/clinic/patients',
      body: { full_name: `Matrix patient ${i}`, line_user_id: `U${'ab'.repeat(15)}${String(i).padStart(2, '0')}` },
    }),
  },
  {
    route: 'GET /patients?line_user_id',
    handler: patientsGET,
    method: 'GET',
    expect: READ_ALL,
    // A well-formed LINE id; whose it is matters not here (test/api/patient-reads.test.ts checks the answers).
    request: () => ({ path: `/api/clinic/patients?line_user_id=U${'ab'.repeat(16)}` }),
  },
  {
    // Staff search their own clinic's patients; the agent gets 400 without line_user_id (it is never listed the clinic's patients).
    route: 'GET /patients?q',
    handler: patientsGET,
    method: 'GET',
    expect: [401, 200, 200, 200, 200, 400, 400, 401],
    request: () => ({ path: `/api/clinic/patients?q=${encodeURIComponent('Matrix')}&limit=5` }),
  },
  {
    route: 'GET /patients/{patient_id}',
    handler: patientGET,
    method: 'GET',
    expect: [401, 200, 200, 200, 404, 403, 403, 401],
    request: (f) => ({ path: `/api/clinic/patients/${f.a.patient.id}`, params: { patient_id: String(f.a.patient.id) } }),
  },
  {
    route: 'GET /patients/{unknown id}',
    handler: patientGET,
    method: 'GET',
    expect: [401, 404, 404, 404, 404, 403, 403, 401],
    request: () => ({ path: `/api/clinic/patients/${UNKNOWN}`, params: { patient_id: String(UNKNOWN) } }),
  },
  {
    route: 'PATCH /patients/{patient_id}',
    handler: patientPATCH,
    method: 'PATCH',
    expect: [401, 200, 200, 200, 404, 403, 403, 401],
    request: (f, i) => ({
      path: `/api/clinic/patients/${f.a.patient.id}`,
      params: { patient_id: String(f.a.patient.id) },
      body: { phone_number: `0912-000-${String(i).padStart(3, '0')}` },
    }),
  },
  {
    route: 'PATCH /patients/{unknown id}',
    handler: patientPATCH,
    method: 'PATCH',
    expect: [401, 404, 404, 404, 404, 403, 403, 401],
    request: () => ({ path: `/api/clinic/patients/${UNKNOWN}`, params: { patient_id: String(UNKNOWN) }, body: { full_name: 'Nobody' } }),
  },
  {
    route: 'GET /patients/{patient_id}/appointments',
    handler: patientAppointmentsGET,
    method: 'GET',
    expect: READ_CLINIC_DATA,
    request: (f) => ({ path: `/api/clinic/patients/${f.a.patient.id}/appointments`, params: { patient_id: String(f.a.patient.id) } }),
  },
  {
    route: 'GET /patients/{unknown id}/appointments',
    handler: patientAppointmentsGET,
    method: 'GET',
    expect: [401, 404, 404, 404, 404, 404, 404, 401],
    request: () => ({ path: `/api/clinic/patients/${UNKNOWN}/appointments`, params: { patient_id: String(UNKNOWN) } }),
  },
  {
    route: 'POST /appointments',
    handler: appointmentsPOST,
    method: 'POST',
    expect: [401, 201, 403, 201, 404, 201, 404, 401],
    // An hour of its own per caller on the booking day.
    request: (f, i) => ({
      path: '/api/clinic/appointments',
      body: { practitioner_id: p(f), patient_id: f.a.patient.id, appointment_type_id: f.a.type.id, date: BOOK_DATE, start_time: hh(9 + i) },
    }),
  },
  {
    route: 'POST /appointments/{id}/cancel',
    handler: cancelPOST,
    method: 'POST',
    expect: [401, 403, 403, 403, 403, 200, 404, 401],
    request: async (f, i) => {
      const event = await makeAppointment(f.db, {
        userId: p(f),
        patientId: f.a.patient.id,
        appointmentTypeId: f.a.type.id,
        date: '2031-03-06',
        startTime: hh(9 + i),
        endTime: hh(10 + i),
      });
      return { path: `/api/clinic/appointments/${event.id}/cancel`, params: { calendar_event_id: String(event.id) } };
    },
  },
  {
    route: 'POST /appointments/{unknown id}/cancel',
    handler: cancelPOST,
    method: 'POST',
    expect: [401, 403, 403, 403, 403, 404, 404, 401],
    request: () => ({ path: `/api/clinic/appointments/${UNKNOWN}/cancel`, params: { calendar_event_id: String(UNKNOWN) } }),
  },
  {
    route: 'POST /appointments/{id}/reschedule',
    handler: reschedulePOST,
    method: 'POST',
    expect: [401, 200, 403, 200, 404, 200, 404, 401],
    // An appointment of its own per caller, moved into an hour of its own the next day.
    request: async (f, i) => {
      const event = await makeAppointment(f.db, {
        userId: p(f),
        patientId: f.a.patient.id,
        appointmentTypeId: f.a.type.id,
        date: '2031-03-17',
        startTime: hh(9 + i),
        endTime: hh(10 + i),
      });
      return {
        path: `/api/clinic/appointments/${event.id}/reschedule`,
        params: { calendar_event_id: String(event.id) },
        body: { date: '2031-03-18', start_time: hh(9 + i) },
      };
    },
  },
  {
    route: 'POST /appointments/{unknown id}/reschedule',
    handler: reschedulePOST,
    method: 'POST',
    expect: [401, 404, 404, 404, 404, 404, 404, 401],
    request: () => ({
      path: `/api/clinic/appointments/${UNKNOWN}/reschedule`,
      params: { calendar_event_id: String(UNKNOWN) },
      body: { date: '2031-03-18', start_time: '09:00' },
    }),
  },
  {
    route: 'POST /holds',
    handler: holdsPOST,
    method: 'POST',
    expect: [401, 201, 403, 201, 404, 201, 404, 401],
    // An hour of its own per caller on a day of its own.
    request: (f, i) => ({
      path: '/api/clinic/holds',
      body: { practitioner_id: p(f), appointment_type_id: f.a.type.id, date: '2031-03-19', start_time: hh(9 + i) },
    }),
  },
  {
    route: 'DELETE /holds/{hold_id}',
    handler: holdDELETE,
    method: 'DELETE',
    expect: [401, 200, 403, 200, 404, 200, 404, 401],
    // A live hold of clinic A's practitioner per caller (made by the practitioner).
    request: async (f, i) => {
      const [hold] = await f.db
        .insert(slotHolds)
        .values({
          clinicId: f.a.clinic.id,
          userId: p(f),
          appointmentTypeId: f.a.type.id,
          date: '2031-03-20',
          startTime: hh(9 + i),
          endTime: hh(10 + i),
          expiresAt: new Date('2100-01-01T00:00:00Z'),
          createdByUserId: p(f),
        })
        .returning({ id: slotHolds.id });
      return { path: `/api/clinic/holds/${hold!.id}`, params: { hold_id: String(hold!.id) } };
    },
  },
  {
    route: 'DELETE /holds/{unknown id}',
    handler: holdDELETE,
    method: 'DELETE',
    expect: [401, 404, 404, 404, 404, 404, 404, 401],
    request: () => ({ path: `/api/clinic/holds/${UNKNOWN}`, params: { hold_id: String(UNKNOWN) } }),
  },
  {
    route: 'GET /practitioners/{id}/availability/slots/check',
    handler: slotCheckGET,
    method: 'GET',
    expect: READ_CLINIC_DATA,
    request: (f) => ({
      path: `${base(f)}/availability/slots/check?date=${BOOK_DATE}&start_time=16:00&appointment_type_id=${f.a.type.id}`,
      params: { user_id: String(p(f)) },
    }),
  },
  {
    route: 'DELETE /practitioners/{id}/appointments/{calendar_event_id}',
    handler: appointmentDELETE,
    method: 'DELETE',
    expect: OWNER_OR_ADMIN,
    request: async (f, i) => {
      const event = await makeAppointment(f.db, {
        userId: p(f),
        patientId: f.a.patient.id,
        appointmentTypeId: f.a.type.id,
        date: '2031-03-07',
        startTime: hh(9 + i),
        endTime: hh(10 + i),
      });
      return { path: `${base(f)}/appointments/${event.id}`, params: { user_id: String(p(f)), calendar_event_id: String(event.id) } };
    },
  },
  {
    route: 'DELETE /practitioners/{id}/appointments/{unknown id}',
    handler: appointmentDELETE,
    method: 'DELETE',
    expect: [401, 404, 403, 404, 404, 403, 403, 401],
    request: (f) => ({ path: `${base(f)}/appointments/${UNKNOWN}`, params: { user_id: String(p(f)), calendar_event_id: String(UNKNOWN) } }),
  },
  {
    route: 'PUT /practitioners/{id}/appointments/{calendar_event_id}/attendance',
    handler: attendancePUT,
    method: 'PUT',
    expect: OWNER_OR_ADMIN,
    // An appointment of its own per caller, long started.
    request: async (f, i) => {
      const event = await makeAppointment(f.db, {
        userId: p(f),
        patientId: f.a.patient.id,
        appointmentTypeId: f.a.type.id,
        date: '2020-03-06',
        startTime: hh(9 + i),
        endTime: hh(10 + i),
      });
      return {
        path: `${base(f)}/appointments/${event.id}/attendance`,
        params: { user_id: String(p(f)), calendar_event_id: String(event.id) },
        body: { attendance: 'no_show' },
      };
    },
  },
  {
    route: 'PUT /practitioners/{id}/appointments/{unknown id}/attendance',
    handler: attendancePUT,
    method: 'PUT',
    expect: [401, 404, 403, 404, 404, 403, 403, 401],
    request: (f) => ({
      path: `${base(f)}/appointments/${UNKNOWN}/attendance`,
      params: { user_id: String(p(f)), calendar_event_id: String(UNKNOWN) },
      body: { attendance: 'arrived' },
    }),
  },
  {
    route: 'GET /admin/members',
    handler: membersGET,
    method: 'GET',
    // Another clinic's admin reads their own clinic's members.
    expect: [401, 403, 403, 200, 200, 403, 403, 401],
    request: () => ({ path: admin('/members') }),
  },
  {
    route: 'PATCH /admin/members/{user_id}',
    handler: memberPATCH,
    method: 'PATCH',
    expect: CLINIC_ADMIN,
    request: async (f, i) => {
      const m = await freshMember(f, i);
      return { path: admin(`/members/${m.id}`), params: { user_id: String(m.id) }, body: { name: `Renamed ${i}`, role: 'admin' } };
    },
  },
  {
    route: 'PATCH /admin/members/{unknown id}',
    handler: memberPATCH,
    method: 'PATCH',
    expect: [401, 403, 403, 404, 404, 403, 403, 401],
    request: () => ({ path: admin(`/members/${UNKNOWN}`), params: { user_id: String(UNKNOWN) }, body: { name: 'Nobody' } }),
  },
  {
    route: 'POST /admin/members/{user_id}/deactivate',
    handler: deactivatePOST,
    method: 'POST',
    expect: CLINIC_ADMIN,
    request: async (f, i) => {
      const m = await freshMember(f, i);
      return { path: admin(`/members/${m.id}/deactivate`), params: { user_id: String(m.id) }, body: {} };
    },
  },
  {
    route: 'POST /admin/members/{user_id}/reactivate',
    handler: reactivatePOST,
    method: 'POST',
    expect: CLINIC_ADMIN,
    request: async (f, i) => {
      const m = await freshMember(f, i, { deactivatedAt: new Date() });
      return { path: admin(`/members/${m.id}/reactivate`), params: { user_id: String(m.id) } };
    },
  },
  {
    route: 'POST /admin/invitations',
    handler: invitationsPOST,
    method: 'POST',
    // Another clinic's admin invites into their own clinic.
    expect: [401, 403, 403, 201, 201, 403, 403, 401],
    request: (_f, i) => ({
      path: admin('/invitations'),
      body: { email: `matrix-invitee-${i}@clinic.test`, name: `Invitee ${i}`, role: 'practitioner', is_practitioner: true },
    }),
  },
  {
    route: 'DELETE /admin/invitations/{invitation_id}',
    handler: invitationDELETE,
    method: 'DELETE',
    expect: CLINIC_ADMIN,
    request: async (f, i) => {
      const [inv] = await f.db
        .insert(invitations)
        .values({ clinicId: f.a.clinic.id, email: `matrix-pending-${i}@clinic.test`, name: `Pending ${i}`, invitedByUserId: f.a.admin.id })
        .returning({ id: invitations.id });
      return { path: admin(`/invitations/${inv!.id}`), params: { invitation_id: String(inv!.id) } };
    },
  },
  {
    route: 'DELETE /admin/invitations/{unknown id}',
    handler: invitationDELETE,
    method: 'DELETE',
    expect: [401, 403, 403, 404, 404, 403, 403, 401],
    request: () => ({ path: admin(`/invitations/${UNKNOWN}`), params: { invitation_id: String(UNKNOWN) } }),
  },
  {
    route: 'GET /admin/appointment-types',
    handler: adminTypesGET,
    method: 'GET',
    // Another clinic's admin reads their own clinic's types.
    expect: [401, 403, 403, 200, 200, 403, 403, 401],
    request: () => ({ path: admin('/appointment-types') }),
  },
  {
    route: 'POST /admin/appointment-types',
    handler: adminTypesPOST,
    method: 'POST',
    expect: [401, 403, 403, 201, 201, 403, 403, 401],
    request: (_f, i) => ({ path: admin('/appointment-types'), body: { name: `Matrix type ${i}`, duration_minutes: 30 } }),
  },
  {
    route: 'PATCH /admin/appointment-types/{appointment_type_id}',
    handler: typePATCH,
    method: 'PATCH',
    expect: CLINIC_ADMIN,
    request: async (f, i) => {
      const type = await makeAppointmentType(f.db, { clinicId: f.a.clinic.id });
      return {
        path: admin(`/appointment-types/${type.id}`),
        params: { appointment_type_id: String(type.id) },
        body: { version: 1, name: `Renamed type ${i}` },
      };
    },
  },
  {
    route: 'PATCH /admin/appointment-types/{unknown id}',
    handler: typePATCH,
    method: 'PATCH',
    expect: [401, 403, 403, 404, 404, 403, 403, 401],
    request: () => ({
      path: admin(`/appointment-types/${UNKNOWN}`),
      params: { appointment_type_id: String(UNKNOWN) },
      body: { version: 1, name: 'Nothing' },
    }),
  },
  {
    route: 'POST /admin/appointment-types/{appointment_type_id}/archive',
    handler: typeArchivePOST,
    method: 'POST',
    expect: CLINIC_ADMIN,
    request: async (f) => {
      const type = await makeAppointmentType(f.db, { clinicId: f.a.clinic.id });
      return { path: admin(`/appointment-types/${type.id}/archive`), params: { appointment_type_id: String(type.id) }, body: { version: 1 } };
    },
  },
  {
    route: 'POST /admin/appointment-types/{appointment_type_id}/restore',
    handler: typeRestorePOST,
    method: 'POST',
    expect: CLINIC_ADMIN,
    request: async (f) => {
      const type = await makeAppointmentType(f.db, { clinicId: f.a.clinic.id, archivedAt: new Date() });
      return { path: admin(`/appointment-types/${type.id}/restore`), params: { appointment_type_id: String(type.id) }, body: { version: 1 } };
    },
  },
  {
    route: 'GET /admin/settings',
    handler: settingsGET,
    method: 'GET',
    // Each admin reads their own clinic's settings.
    expect: [401, 403, 403, 200, 200, 403, 403, 401],
    request: () => ({ path: admin('/settings') }),
  },
  {
    route: 'PATCH /admin/settings',
    handler: settingsPATCH,
    method: 'PATCH',
    expect: [401, 403, 403, 200, 200, 403, 403, 401],
    // The version the caller's own clinic is at (another clinic's admin changes their own clinic).
    request: async (f, i) => {
      const clinicId = (i === 4 ? f.b : f.a).clinic.id;
      const [row] = await f.db.select({ version: clinics.settingsVersion }).from(clinics).where(eq(clinics.id, clinicId));
      return { path: admin('/settings'), body: { version: row!.version, min_notice_minutes: 10 + i } };
    },
  },
  {
    route: 'PUT /admin/settings/line-channel',
    handler: lineChannelPUT,
    method: 'PUT',
    expect: [401, 403, 403, 200, 200, 403, 403, 401],
    request: (_f, i) => ({
      path: admin('/settings/line-channel'),
      body: { access_token: `matrix-access-token-${i}-0123456789`, channel_secret: '0123456789abcdef0123456789abcdef' },
    }),
  },
  {
    route: 'DELETE /admin/settings/line-channel',
    handler: lineChannelDELETE,
    method: 'DELETE',
    expect: [401, 403, 403, 200, 200, 403, 403, 401],
    request: () => ({ path: admin('/settings/line-channel') }),
  },
  {
    route: 'POST /admin/settings/line-channel/test',
    handler: lineChannelTestPOST,
    method: 'POST',
    // Without a channel of its own (so no call to LINE here) an admin's check is 409 conflict.
    expect: [401, 403, 403, 409, 409, 403, 403, 401],
    request: async (f) => {
      await f.db
        .update(clinics)
        .set({ lineChannelTokenEncrypted: null, lineChannelSecretEncrypted: null, lineChannelTokenHint: null, lineChannelSecretHint: null })
        .where(inArray(clinics.id, [f.a.clinic.id, f.b.clinic.id]));
      return { path: admin('/settings/line-channel/test'), body: { line_user_id: `U${'ab'.repeat(16)}` } };
    },
  },
  {
    route: 'GET /admin/activity',
    handler: activityGET,
    method: 'GET',
    // Each admin reads their own clinic's activity.
    expect: [401, 403, 403, 200, 200, 403, 403, 401],
    request: () => ({ path: admin('/activity') }),
  },
  {
    route: "GET /admin/activity?practitioner_id={clinic A's practitioner}",
    handler: activityGET,
    method: 'GET',
    // Clinic A's practitioner is no one another clinic's admin can filter by.
    expect: CLINIC_ADMIN,
    request: (f) => ({ path: admin(`/activity?practitioner_id=${p(f)}&patient_id=${f.a.patient.id}`) }),
  },
  {
    route: 'GET /admin/calendar-days',
    handler: calendarDaysGET,
    method: 'GET',
    // Each admin reads their own clinic's calendar.
    expect: [401, 403, 403, 200, 200, 403, 403, 401],
    request: () => ({ path: admin('/calendar-days?year=2031') }),
  },
  {
    route: 'POST /admin/calendar-days',
    handler: calendarDaysPOST,
    method: 'POST',
    // Another clinic's admin adds the day to their own clinic.
    expect: [401, 403, 403, 201, 201, 403, 403, 401],
    request: (_f, i) => ({
      path: admin('/calendar-days'),
      body: { date: `2031-04-${10 + i}`, kind: 'workday', name: '補行上班', hours_of_weekday: 1 },
    }),
  },
  {
    route: 'PUT /admin/calendar-days/{day}',
    handler: calendarDayPUT,
    method: 'PUT',
    expect: CLINIC_ADMIN,
    request: async (f, i) => {
      const date = `2031-05-${10 + i}`;
      await f.db.insert(clinicCalendarDays).values({ clinicId: f.a.clinic.id, date, kind: 'closed', name: '休診' });
      return { path: admin(`/calendar-days/${date}`), params: { day: date }, body: { kind: 'closed', name: '颱風假' } };
    },
  },
  {
    route: 'DELETE /admin/calendar-days/{day}',
    handler: calendarDayDELETE,
    method: 'DELETE',
    expect: CLINIC_ADMIN,
    request: async (f, i) => {
      const date = `2031-06-${10 + i}`;
      await f.db.insert(clinicCalendarDays).values({ clinicId: f.a.clinic.id, date, kind: 'closed', name: '休診' });
      return { path: admin(`/calendar-days/${date}`), params: { day: date } };
    },
  },
  {
    route: 'POST /admin/calendar-days/import?dry_run=true',
    handler: calendarImportPOST,
    method: 'POST',
    expect: [401, 403, 403, 200, 200, 403, 403, 401],
    request: () => ({ path: admin('/calendar-days/import?dry_run=true'), body: { taiwan_year: 2026 } }),
  },
];

const ERROR_CODE: Record<number, string> = { 400: 'validation_error', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict' };

describe('access', () => {
  const t = useTestDatabase();
  const DB = () => t.db();

  describe('who may call: every route × every caller', () => {
    let f: Fixture;
    const credentials = {} as Record<CallerName, Pick<CallOptions, 'cookie' | 'agentKey'>>;

    beforeAll(async () => {
      f = { db: DB(), a: await makeClinicWithStaff(DB()), b: await makeClinicWithStaff(DB()) };
      await setWeek(
        DB(),
        f.a.practitioner.id,
        Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [['09:00', '18:00']]])) as Record<number, Array<[string, string]>>,
      );
      const cookies = await staffCookies(f.a);
      const keyA = await createAgentKey(DB(), { clinicSlug: f.a.clinic.slug, name: 'agent A' });
      const keyB = await createAgentKey(DB(), { clinicSlug: f.b.clinic.slug, name: 'agent B' });
      const revoked = await createAgentKey(DB(), { clinicSlug: f.a.clinic.slug, name: 'revoked A' });
      await DB().update(agentKeys).set({ revokedAt: new Date() }).where(eq(agentKeys.id, revoked.id));
      Object.assign(credentials, {
        'signed out': {},
        practitioner: { cookie: cookies.own },
        colleague: { cookie: cookies.colleague },
        admin: { cookie: cookies.admin },
        "another clinic's admin": { cookie: await sessionCookie({ id: f.b.admin.id, clinicId: f.b.clinic.id, role: 'admin' }) },
        'agent key': { agentKey: keyA.key },
        "another clinic's key": { agentKey: keyB.key },
        'revoked key': { agentKey: revoked.key },
      } satisfies Record<CallerName, Pick<CallOptions, 'cookie' | 'agentKey'>>);
    });

    const cases = ROWS.flatMap((row) => CALLERS.map((who, i) => ({ row, who, i, status: row.expect[i]! })));

    it.each(cases.map((c) => [c.row.route, c.who, c.status, c] as const))('%s as %s → %i', async (_route, who, status, { row, i }) => {
      const request = await row.request(f, i);
      const before = status >= 400 ? await dbFingerprint(DB()) : null;
      const res = await callRoute(row.handler, { method: row.method, ...request, ...credentials[who] });
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      if (before) {
        // A 400 (the agent's search without line_user_id) names what is missing in details.issues.
        const details = status === 400 ? { details: { issues: expect.any(Array) } } : {};
        expect(res.body).toEqual({ error: ERROR_CODE[status], message: expect.any(String), ...details });
        expect(await dbFingerprint(DB())).toEqual(before);
      }
    });

    it('covers every route file under app/api/clinic and every method it exports', async () => {
      const { readdirSync, readFileSync, statSync } = await import('node:fs');
      const path = await import('node:path');
      const found: string[] = [];
      const walk = (dir: string) => {
        for (const name of readdirSync(dir)) {
          const full = path.join(dir, name);
          if (statSync(full).isDirectory()) walk(full);
          else if (name === 'route.ts') {
            const route = path
              .dirname(full)
              .replace(/^app\/api\/clinic/, '')
              .replace(/\[(\w+)\]/g, '{$1}');
            for (const m of readFileSync(full, 'utf8').matchAll(/export const (GET|POST|PUT|DELETE|PATCH)\b/g)) found.push(`${m[1]} ${route}`);
          }
        }
      };
      walk('app/api/clinic');
      const tested = new Set(
        ROWS.map(
          (r) =>
            `${r.method} ${r.route
              .split(' ')[1]!
              .split('?')[0]!
              .replace(/\{[^}]+\}/g, '{}')}`,
        ),
      );
      const missing = found.filter((r) => !tested.has(r.replace(/\{\w+\}/g, '{}')));
      expect(missing).toEqual([]);
    });
  });

  describe('the services refuse the agent on their own, whatever a route allows', () => {
    let a: Cast;
    let agent: Caller;
    beforeAll(async () => {
      a = await makeClinicWithStaff(DB());
      agent = { kind: 'agent', clinicId: a.clinic.id, agentKeyId: 1 };
    });

    it.each([
      ['getDayView', () => getDayView(DB(), agent, { practitionerId: a.practitioner.id, date: '2031-03-06' })],
      ['getMonthView', () => getMonthView(DB(), agent, { practitionerId: a.practitioner.id, month: '2031-03', page: 1, limit: 31 })],
      ['getWeeklySchedule', () => getWeeklySchedule(DB(), agent, a.practitioner.id)],
      ['getDayView of an unknown practitioner', () => getDayView(DB(), agent, { practitionerId: UNKNOWN, date: '2031-03-06' })],
      ['getWeeklySchedule of an unknown practitioner', () => getWeeklySchedule(DB(), agent, UNKNOWN)],
    ])('%s → forbidden, before any lookup', async (_name, call) => {
      await expect(call()).rejects.toMatchObject({ code: 'forbidden' });
    });
  });

  describe('dbFingerprint', () => {
    it('sees a changed row, and ignores only request bookkeeping', async () => {
      const a = await makeClinicWithStaff(DB());
      const before = await dbFingerprint(DB());
      const { exception } = await makeException(DB(), { userId: a.practitioner.id, date: '2031-05-01' });
      const after = await dbFingerprint(DB());
      expect(after.availability_exceptions).not.toBe(before.availability_exceptions);
      expect(after.calendar_events).not.toBe(before.calendar_events);
      expect(exception.id).toBeGreaterThan(0);
      const key = await createAgentKey(DB(), { clinicSlug: a.clinic.slug, name: 'k' });
      const withKey = await dbFingerprint(DB());
      await DB().update(agentKeys).set({ lastUsedAt: new Date() }).where(eq(agentKeys.id, key.id));
      expect(await dbFingerprint(DB())).toEqual(withKey);
      await DB().update(agentKeys).set({ revokedAt: new Date() }).where(eq(agentKeys.id, key.id));
      expect((await dbFingerprint(DB())).agent_keys).not.toBe(withKey.agent_keys);
    });
  });
});
