import type { ZodType } from 'zod';
import { POST as archiveAppointmentType } from '@/app/api/clinic/admin/appointment-types/[appointment_type_id]/archive/route';
import { POST as restoreAppointmentType } from '@/app/api/clinic/admin/appointment-types/[appointment_type_id]/restore/route';
import { PATCH as updateAppointmentType } from '@/app/api/clinic/admin/appointment-types/[appointment_type_id]/route';
import { GET as adminAppointmentTypes, POST as createAppointmentType } from '@/app/api/clinic/admin/appointment-types/route';
import { DELETE as withdrawInvitation } from '@/app/api/clinic/admin/invitations/[invitation_id]/route';
import { POST as inviteMember } from '@/app/api/clinic/admin/invitations/route';
import { POST as deactivateMember } from '@/app/api/clinic/admin/members/[user_id]/deactivate/route';
import { POST as reactivateMember } from '@/app/api/clinic/admin/members/[user_id]/reactivate/route';
import { PATCH as updateMember } from '@/app/api/clinic/admin/members/[user_id]/route';
import { GET as listMembers } from '@/app/api/clinic/admin/members/route';
import { GET as activity } from '@/app/api/clinic/admin/activity/route';
import { DELETE as removeClinicDay, PUT as updateClinicDay } from '@/app/api/clinic/admin/calendar-days/[day]/route';
import { POST as importClinicCalendar } from '@/app/api/clinic/admin/calendar-days/import/route';
import { GET as listClinicDays, POST as addClinicDay } from '@/app/api/clinic/admin/calendar-days/route';
import { POST as testLineChannel } from '@/app/api/clinic/admin/settings/line-channel/test/route';
import { DELETE as removeLineChannel, PUT as setLineChannel } from '@/app/api/clinic/admin/settings/line-channel/route';
import { GET as clinicSettings, PATCH as updateClinicSettings } from '@/app/api/clinic/admin/settings/route';
import { GET as appointmentTypes } from '@/app/api/clinic/appointment-types/route';
import { POST as cancelAppointment } from '@/app/api/clinic/appointments/[calendar_event_id]/cancel/route';
import { POST as rescheduleAppointment } from '@/app/api/clinic/appointments/[calendar_event_id]/reschedule/route';
import { POST as bookAppointment } from '@/app/api/clinic/appointments/route';
import { GET as clinicSlots } from '@/app/api/clinic/availability/slots/route';
import { DELETE as releaseHold } from '@/app/api/clinic/holds/[hold_id]/route';
import { POST as holdSlot } from '@/app/api/clinic/holds/route';
import { GET as patientAppointments } from '@/app/api/clinic/patients/[patient_id]/appointments/route';
import { GET as getPatient, PATCH as updatePatient } from '@/app/api/clinic/patients/[patient_id]/route';
import { GET as findPatients, POST as createPatient } from '@/app/api/clinic/patients/route';
import { PUT as markAttendance } from '@/app/api/clinic/practitioners/[user_id]/appointments/[calendar_event_id]/attendance/route';
import { DELETE as deleteAppointment } from '@/app/api/clinic/practitioners/[user_id]/appointments/[calendar_event_id]/route';
import { GET as calendar } from '@/app/api/clinic/practitioners/[user_id]/availability/calendar/route';
import { POST as copyWeek } from '@/app/api/clinic/practitioners/[user_id]/availability/default/copy/route';
import { GET as getWeek, PUT as putWeek } from '@/app/api/clinic/practitioners/[user_id]/availability/default/route';
import {
  DELETE as deleteException,
  PUT as updateException,
} from '@/app/api/clinic/practitioners/[user_id]/availability/exceptions/[exception_id]/route';
import { POST as clearExceptions } from '@/app/api/clinic/practitioners/[user_id]/availability/exceptions/clear/route';
import { POST as createException } from '@/app/api/clinic/practitioners/[user_id]/availability/exceptions/route';
import { GET as slotCheck } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/check/route';
import { GET as practitionerSlots } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/route';
import { GET as practitioners } from '@/app/api/clinic/practitioners/route';
import { encodeActivityCursor } from '@/lib/schemas/activity';
import * as responses from '@/lib/schemas/responses';
import type { callRoute } from './http';

export type Handler = Parameters<typeof callRoute>[0];

/**
 * One form of one contract route, with a valid example of everything it reads: path params, query
 * parameters and body fields. Tests replace one of them at a time with arbitrary values.
 */
export interface ContractRoute {
  name: string;
  handler: Handler;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `{name}` placeholders are filled from params */
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  /** undefined: the route reads no body */
  body?: Record<string, unknown>;
  /** body fields that may be null or left out on their own */
  optional?: string[];
  /** number fields of the body whose 0 is valid (buffers, notice); any other number field takes ids and counts from 1 */
  mayBeZero?: string[];
  auth: 'admin' | 'agent';
  /** the shape of a 2xx answer */
  ok: ZodType;
}

export interface RouteFixture {
  practitionerId: number;
  typeId: number;
  patientId: number;
  exceptionId: number;
  /** an appointment the clinic may delete */
  appointmentId: number;
  /** an appointment the agent may cancel */
  agentAppointmentId: number;
  /** a date with working hours and free slots */
  date: string;
  /** a member without appointments the admin may change, deactivate and reactivate (not the admin) */
  memberId: number;
  /** a pending invitation of the clinic */
  invitationId: number;
  /** a live hold of the practitioner */
  holdId: number;
}

/** Every route under app/api/clinic, in each of its forms. */
export function contractRoutes(f: RouteFixture): ContractRoute[] {
  const p = String(f.practitionerId);
  const base = `/api/clinic/practitioners/{user_id}`;
  return [
    {
      name: 'GET practitioners',
      handler: practitioners,
      method: 'GET',
      path: '/api/clinic/practitioners',
      params: {},
      query: {},
      auth: 'agent',
      ok: responses.practitionerList,
    },
    {
      name: 'GET appointment-types',
      handler: appointmentTypes,
      method: 'GET',
      path: '/api/clinic/appointment-types',
      params: {},
      query: {},
      auth: 'admin',
      ok: responses.appointmentTypeList,
    },
    {
      name: 'GET availability/default',
      handler: getWeek,
      method: 'GET',
      path: `${base}/availability/default`,
      params: { user_id: p },
      query: {},
      auth: 'admin',
      ok: responses.weeklySchedule,
    },
    {
      name: 'PUT availability/default',
      handler: putWeek,
      method: 'PUT',
      path: `${base}/availability/default`,
      params: { user_id: p },
      query: { confirm: 'false' },
      body: {
        monday: [
          { start_time: '09:00', end_time: '12:00' },
          { start_time: '14:00', end_time: '18:00' },
        ],
        tuesday: [
          { start_time: '09:00', end_time: '12:00' },
          { start_time: '14:00', end_time: '18:00' },
        ],
        wednesday: [
          { start_time: '09:00', end_time: '12:00' },
          { start_time: '14:00', end_time: '18:00' },
        ],
        thursday: [
          { start_time: '09:00', end_time: '12:00' },
          { start_time: '14:00', end_time: '18:00' },
        ],
        friday: [
          { start_time: '09:00', end_time: '12:00' },
          { start_time: '14:00', end_time: '18:00' },
        ],
        saturday: [
          { start_time: '09:00', end_time: '12:00' },
          { start_time: '14:00', end_time: '18:00' },
        ],
        sunday: [
          { start_time: '09:00', end_time: '12:00' },
          { start_time: '14:00', end_time: '18:00' },
        ],
      },
      auth: 'admin',
      ok: responses.weeklySchedule,
    },
    {
      name: 'POST availability/default/copy',
      handler: copyWeek,
      method: 'POST',
      path: `${base}/availability/default/copy`,
      params: { user_id: p },
      query: { confirm: 'false' },
      body: { from_practitioner_id: f.memberId },
      auth: 'admin',
      ok: responses.weeklySchedule,
    },
    {
      name: 'GET calendar (month)',
      handler: calendar,
      method: 'GET',
      path: `${base}/availability/calendar`,
      params: { user_id: p },
      query: { month: f.date.slice(0, 7), page: '1', limit: '10' },
      auth: 'admin',
      ok: responses.monthView,
    },
    {
      name: 'GET calendar (day)',
      handler: calendar,
      method: 'GET',
      path: `${base}/availability/calendar`,
      params: { user_id: p },
      query: { date: f.date },
      auth: 'admin',
      ok: responses.dayView,
    },
    {
      name: 'GET slots (day)',
      handler: practitionerSlots,
      method: 'GET',
      path: `${base}/availability/slots`,
      params: { user_id: p },
      query: { date: f.date, appointment_type_id: String(f.typeId) },
      auth: 'agent',
      ok: responses.daySlots,
    },
    {
      name: 'GET slots (range)',
      handler: practitionerSlots,
      method: 'GET',
      path: `${base}/availability/slots`,
      params: { user_id: p },
      query: { from: f.date, to: f.date, appointment_type_id: String(f.typeId) },
      auth: 'admin',
      ok: responses.rangeSlots,
    },
    {
      name: 'GET clinic-wide slots',
      handler: clinicSlots,
      method: 'GET',
      path: '/api/clinic/availability/slots',
      params: {},
      query: { date: f.date, appointment_type_id: String(f.typeId) },
      auth: 'agent',
      ok: responses.clinicSlots,
    },
    {
      name: 'GET slots check',
      handler: slotCheck,
      method: 'GET',
      path: `${base}/availability/slots/check`,
      params: { user_id: p },
      query: { date: f.date, start_time: '15:00', appointment_type_id: String(f.typeId) },
      auth: 'agent',
      ok: responses.slotCheck,
    },
    {
      name: 'POST holds',
      handler: holdSlot,
      method: 'POST',
      path: '/api/clinic/holds',
      params: {},
      query: {},
      body: { practitioner_id: f.practitionerId, appointment_type_id: f.typeId, date: f.date, start_time: '14:00' },
      auth: 'agent',
      ok: responses.hold,
    },
    {
      name: 'DELETE hold',
      handler: releaseHold,
      method: 'DELETE',
      path: '/api/clinic/holds/{hold_id}',
      params: { hold_id: String(f.holdId) },
      query: {},
      auth: 'agent',
      ok: responses.holdReleased,
    },
    {
      name: 'POST exceptions',
      handler: createException,
      method: 'POST',
      path: `${base}/availability/exceptions`,
      params: { user_id: p },
      query: { confirm: 'false' },
      body: { date: f.date, start_time: '14:00', end_time: '15:00', recurrence: 'FREQ=WEEKLY;COUNT=2' },
      optional: ['recurrence'],
      auth: 'admin',
      ok: responses.exception,
    },
    {
      name: 'PUT exception',
      handler: updateException,
      method: 'PUT',
      path: `${base}/availability/exceptions/{exception_id}`,
      params: { user_id: p, exception_id: String(f.exceptionId) },
      query: { confirm: 'false', scope: 'all' },
      body: { date: f.date, start_time: '16:00', end_time: '17:00' },
      auth: 'admin',
      ok: responses.exception,
    },
    {
      name: 'DELETE exception',
      handler: deleteException,
      method: 'DELETE',
      path: `${base}/availability/exceptions/{exception_id}`,
      params: { user_id: p, exception_id: String(f.exceptionId) },
      query: { scope: 'all' },
      auth: 'admin',
      ok: responses.message,
    },
    {
      name: 'POST exceptions clear',
      handler: clearExceptions,
      method: 'POST',
      path: `${base}/availability/exceptions/clear`,
      params: { user_id: p },
      query: {},
      body: { from: f.date, to: f.date },
      auth: 'admin',
      ok: responses.clearedExceptions,
    },
    {
      name: 'POST patients',
      handler: createPatient,
      method: 'POST',
      path: '/api/clinic/patients',
      params: {},
      query: {},
      body: { full_name: '王小明', phone_number: '0912-345-678', line_user_id: `U${'c'.repeat(32)}` },
      optional: ['phone_number', 'line_user_id'],
      auth: 'agent',
      ok: responses.patient,
    },
    {
      name: 'GET patients by LINE user id',
      handler: findPatients,
      method: 'GET',
      path: '/api/clinic/patients',
      params: {},
      query: { line_user_id: `U${'c'.repeat(32)}` },
      auth: 'agent',
      ok: responses.patientList,
    },
    {
      // The staff form (q left out or blank lists the most recently changed patients, so q is not a required field here).
      name: 'GET patients search (staff)',
      handler: findPatients,
      method: 'GET',
      path: '/api/clinic/patients',
      params: {},
      query: { limit: '10' },
      auth: 'admin',
      ok: responses.patientSearchResults,
    },
    {
      name: 'GET patient',
      handler: getPatient,
      method: 'GET',
      path: '/api/clinic/patients/{patient_id}',
      params: { patient_id: String(f.patientId) },
      query: {},
      auth: 'admin',
      ok: responses.patientDetail,
    },
    {
      name: 'PATCH patient',
      handler: updatePatient,
      method: 'PATCH',
      path: '/api/clinic/patients/{patient_id}',
      params: { patient_id: String(f.patientId) },
      query: {},
      body: { full_name: '王小明', phone_number: '0912-345-678' },
      optional: ['full_name', 'phone_number'],
      auth: 'admin',
      ok: responses.patient,
    },
    {
      name: 'GET patient appointments',
      handler: patientAppointments,
      method: 'GET',
      path: '/api/clinic/patients/{patient_id}/appointments',
      params: { patient_id: String(f.patientId) },
      query: {},
      auth: 'agent',
      ok: responses.patientAppointmentList,
    },
    {
      name: 'POST appointments',
      handler: bookAppointment,
      method: 'POST',
      path: '/api/clinic/appointments',
      params: {},
      query: {},
      body: { practitioner_id: f.practitionerId, patient_id: f.patientId, appointment_type_id: f.typeId, date: f.date, start_time: '15:00' },
      auth: 'agent',
      ok: responses.appointment,
    },
    {
      name: 'POST appointment reschedule',
      handler: rescheduleAppointment,
      method: 'POST',
      path: '/api/clinic/appointments/{calendar_event_id}/reschedule',
      params: { calendar_event_id: String(f.agentAppointmentId) },
      query: {},
      body: { date: f.date, start_time: '16:00', practitioner_id: f.practitionerId },
      optional: ['practitioner_id'],
      auth: 'agent',
      ok: responses.appointment,
    },
    {
      name: 'POST appointment cancel',
      handler: cancelAppointment,
      method: 'POST',
      path: '/api/clinic/appointments/{calendar_event_id}/cancel',
      params: { calendar_event_id: String(f.agentAppointmentId) },
      query: {},
      auth: 'agent',
      ok: responses.canceledAppointment,
    },
    {
      name: 'DELETE appointment',
      handler: deleteAppointment,
      method: 'DELETE',
      path: `${base}/appointments/{calendar_event_id}`,
      params: { user_id: p, calendar_event_id: String(f.appointmentId) },
      query: {},
      auth: 'admin',
      ok: responses.deletedAppointment,
    },
    {
      name: 'PUT appointment attendance',
      handler: markAttendance,
      method: 'PUT',
      path: `${base}/appointments/{calendar_event_id}/attendance`,
      params: { user_id: p, calendar_event_id: String(f.appointmentId) },
      query: {},
      body: { attendance: 'arrived' },
      optional: ['attendance'],
      auth: 'admin',
      ok: responses.appointmentAttendance,
    },
    {
      name: 'GET admin/members',
      handler: listMembers,
      method: 'GET',
      path: '/api/clinic/admin/members',
      params: {},
      query: {},
      auth: 'admin',
      ok: responses.memberList,
    },
    {
      name: 'PATCH admin/member',
      handler: updateMember,
      method: 'PATCH',
      path: '/api/clinic/admin/members/{user_id}',
      params: { user_id: String(f.memberId) },
      query: {},
      body: { name: 'Dr. Lin', role: 'practitioner', is_practitioner: true },
      auth: 'admin',
      ok: responses.member,
    },
    {
      name: 'POST admin/member deactivate',
      handler: deactivateMember,
      method: 'POST',
      path: '/api/clinic/admin/members/{user_id}/deactivate',
      params: { user_id: String(f.memberId) },
      query: {},
      body: { future_appointments: 'keep' },
      auth: 'admin',
      ok: responses.deactivatedMember,
    },
    {
      name: 'POST admin/member reactivate',
      handler: reactivateMember,
      method: 'POST',
      path: '/api/clinic/admin/members/{user_id}/reactivate',
      params: { user_id: String(f.memberId) },
      query: {},
      auth: 'admin',
      ok: responses.member,
    },
    {
      name: 'POST admin/invitations',
      handler: inviteMember,
      method: 'POST',
      path: '/api/clinic/admin/invitations',
      params: {},
      query: {},
      body: { email: 'invitee@clinic.test', name: '林醫師', role: 'practitioner', is_practitioner: true },
      auth: 'admin',
      ok: responses.invitation,
    },
    {
      name: 'DELETE admin/invitation',
      handler: withdrawInvitation,
      method: 'DELETE',
      path: '/api/clinic/admin/invitations/{invitation_id}',
      params: { invitation_id: String(f.invitationId) },
      query: {},
      auth: 'admin',
      ok: responses.message,
    },
    {
      name: 'GET admin/appointment-types',
      handler: adminAppointmentTypes,
      method: 'GET',
      path: '/api/clinic/admin/appointment-types',
      params: {},
      query: {},
      auth: 'admin',
      ok: responses.adminAppointmentTypeList,
    },
    {
      name: 'POST admin/appointment-types',
      handler: createAppointmentType,
      method: 'POST',
      path: '/api/clinic/admin/appointment-types',
      params: {},
      query: {},
      body: { name: '複診', duration_minutes: 30, buffer_before_minutes: 0, buffer_after_minutes: 10, color: '#3366ff' },
      optional: ['color'],
      mayBeZero: ['buffer_before_minutes', 'buffer_after_minutes'],
      auth: 'admin',
      ok: responses.adminAppointmentType,
    },
    {
      name: 'PATCH admin/appointment-type',
      handler: updateAppointmentType,
      method: 'PATCH',
      path: '/api/clinic/admin/appointment-types/{appointment_type_id}',
      params: { appointment_type_id: String(f.typeId) },
      query: {},
      body: { version: 1, name: '初診評估', duration_minutes: 60, buffer_before_minutes: 0, buffer_after_minutes: 0, color: '#aa3300' },
      optional: ['color'],
      mayBeZero: ['buffer_before_minutes', 'buffer_after_minutes'],
      auth: 'admin',
      ok: responses.adminAppointmentType,
    },
    {
      name: 'POST admin/appointment-type archive',
      handler: archiveAppointmentType,
      method: 'POST',
      path: '/api/clinic/admin/appointment-types/{appointment_type_id}/archive',
      params: { appointment_type_id: String(f.typeId) },
      query: {},
      body: { version: 1 },
      auth: 'admin',
      ok: responses.adminAppointmentType,
    },
    {
      name: 'POST admin/appointment-type restore',
      handler: restoreAppointmentType,
      method: 'POST',
      path: '/api/clinic/admin/appointment-types/{appointment_type_id}/restore',
      params: { appointment_type_id: String(f.typeId) },
      query: {},
      body: { version: 1 },
      auth: 'admin',
      ok: responses.adminAppointmentType,
    },
    {
      name: 'GET admin/settings',
      handler: clinicSettings,
      method: 'GET',
      path: '/api/clinic/admin/settings',
      params: {},
      query: {},
      auth: 'admin',
      ok: responses.clinicSettings,
    },
    {
      name: 'PATCH admin/settings',
      handler: updateClinicSettings,
      method: 'PATCH',
      path: '/api/clinic/admin/settings',
      params: {},
      query: { confirm: 'false' },
      body: { version: 1, name: 'Test Clinic', timezone: 'Asia/Taipei', slot_step_minutes: 30, min_notice_minutes: 60 },
      mayBeZero: ['min_notice_minutes'],
      optional: ['slot_step_minutes'],
      auth: 'admin',
      ok: responses.clinicSettings,
    },
    {
      name: 'POST admin/settings/line-channel/test',
      handler: testLineChannel,
      method: 'POST',
      path: '/api/clinic/admin/settings/line-channel/test',
      params: {},
      query: {},
      body: { line_user_id: `U${'c'.repeat(32)}` },
      optional: ['line_user_id'],
      auth: 'admin',
      ok: responses.lineChannelTestResult,
    },
    {
      name: 'PUT admin/settings/line-channel',
      handler: setLineChannel,
      method: 'PUT',
      path: '/api/clinic/admin/settings/line-channel',
      params: {},
      query: {},
      body: { access_token: 'property-test-access-token-0123456789', channel_secret: '0123456789abcdef0123456789abcdef' },
      auth: 'admin',
      ok: responses.clinicSettings,
    },
    {
      name: 'DELETE admin/settings/line-channel',
      handler: removeLineChannel,
      method: 'DELETE',
      path: '/api/clinic/admin/settings/line-channel',
      params: {},
      query: {},
      auth: 'admin',
      ok: responses.clinicSettings,
    },
    {
      name: 'GET admin/activity',
      handler: activity,
      method: 'GET',
      path: '/api/clinic/admin/activity',
      params: {},
      query: {
        practitioner_id: p,
        patient_id: String(f.patientId),
        kind: 'appointments',
        from: f.date,
        to: f.date,
        // where a previous page ended: far ahead, so this page holds the newest entries
        cursor: encodeActivityCursor({ at: '2099-01-01T00:00:00.000000Z', id: 1 }),
        limit: '20',
      },
      auth: 'admin',
      ok: responses.activityPage,
    },
    {
      name: 'GET admin/calendar-days',
      handler: listClinicDays,
      method: 'GET',
      path: '/api/clinic/admin/calendar-days',
      params: {},
      query: { year: f.date.slice(0, 4) },
      auth: 'admin',
      ok: responses.clinicDayList,
    },
    {
      // A make-up workday: no appointment to warn about whatever the date.
      name: 'POST admin/calendar-days',
      handler: addClinicDay,
      method: 'POST',
      path: '/api/clinic/admin/calendar-days',
      params: {},
      query: { confirm: 'false' },
      body: { date: f.date, kind: 'workday', name: '補行上班', hours_of_weekday: 1 },
      auth: 'admin',
      ok: responses.clinicDay,
    },
    {
      name: 'PUT admin/calendar-day',
      handler: updateClinicDay,
      method: 'PUT',
      path: '/api/clinic/admin/calendar-days/{day}',
      params: { day: f.date },
      query: { confirm: 'false' },
      body: { kind: 'workday', name: '補行上班', hours_of_weekday: 2 },
      auth: 'admin',
      ok: responses.clinicDay,
    },
    {
      name: 'DELETE admin/calendar-day',
      handler: removeClinicDay,
      method: 'DELETE',
      path: '/api/clinic/admin/calendar-days/{day}',
      params: { day: f.date },
      query: {},
      auth: 'admin',
      ok: responses.clinicDayDeleted,
    },
    {
      name: 'POST admin/calendar-days/import',
      handler: importClinicCalendar,
      method: 'POST',
      path: '/api/clinic/admin/calendar-days/import',
      params: {},
      query: { dry_run: 'true' },
      // The file's bytes (base64): a CSV's text has line breaks, which no other text field takes.
      body: { csv_base64: Buffer.from(`西元日期,星期,是否放假,備註\n${f.date.replace(/-/g, '')},三,2,中秋節\n`).toString('base64') },
      auth: 'admin',
      ok: responses.clinicCalendarImport,
    },
  ];
}

/** The request path of a route with its params and query (values that cannot go in a URL are replaced). */
export function routeUrl(route: Pick<ContractRoute, 'path'>, params: Record<string, string>, query: Record<string, string>): string {
  const safe = (v: string) => encodeURIComponent(v.toWellFormed());
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => safe(params[name] ?? ''));
  const search = new URLSearchParams(query).toString();
  return search ? `${path}?${search}` : path;
}
