import { operations as adminArchiveType } from '@/app/api/clinic/admin/appointment-types/[appointment_type_id]/archive/operation';
import { operations as adminType } from '@/app/api/clinic/admin/appointment-types/[appointment_type_id]/operation';
import { operations as adminRestoreType } from '@/app/api/clinic/admin/appointment-types/[appointment_type_id]/restore/operation';
import { operations as adminTypes } from '@/app/api/clinic/admin/appointment-types/operation';
import { operations as adminLineChannel } from '@/app/api/clinic/admin/settings/line-channel/operation';
import { operations as adminLineChannelTest } from '@/app/api/clinic/admin/settings/line-channel/test/operation';
import { operations as adminSettings } from '@/app/api/clinic/admin/settings/operation';
import { operations as adminInvitation } from '@/app/api/clinic/admin/invitations/[invitation_id]/operation';
import { operations as adminInvitations } from '@/app/api/clinic/admin/invitations/operation';
import { operations as adminDeactivateMember } from '@/app/api/clinic/admin/members/[user_id]/deactivate/operation';
import { operations as adminMember } from '@/app/api/clinic/admin/members/[user_id]/operation';
import { operations as adminReactivateMember } from '@/app/api/clinic/admin/members/[user_id]/reactivate/operation';
import { operations as adminMembers } from '@/app/api/clinic/admin/members/operation';
import { operations as adminActivity } from '@/app/api/clinic/admin/activity/operation';
import { operations as adminCalendarDay } from '@/app/api/clinic/admin/calendar-days/[day]/operation';
import { operations as adminCalendarImport } from '@/app/api/clinic/admin/calendar-days/import/operation';
import { operations as adminCalendarDays } from '@/app/api/clinic/admin/calendar-days/operation';
import { operations as appointmentTypes } from '@/app/api/clinic/appointment-types/operation';
import { operations as cancelAppointment } from '@/app/api/clinic/appointments/[calendar_event_id]/cancel/operation';
import { operations as rescheduleAppointment } from '@/app/api/clinic/appointments/[calendar_event_id]/reschedule/operation';
import { operations as appointments } from '@/app/api/clinic/appointments/operation';
import { operations as clinicSlots } from '@/app/api/clinic/availability/slots/operation';
import { operations as hold } from '@/app/api/clinic/holds/[hold_id]/operation';
import { operations as holds } from '@/app/api/clinic/holds/operation';
import { operations as patientAppointments } from '@/app/api/clinic/patients/[patient_id]/appointments/operation';
import { operations as patient } from '@/app/api/clinic/patients/[patient_id]/operation';
import { operations as patients } from '@/app/api/clinic/patients/operation';
import { operations as appointmentAttendance } from '@/app/api/clinic/practitioners/[user_id]/appointments/[calendar_event_id]/attendance/operation';
import { operations as practitionerAppointment } from '@/app/api/clinic/practitioners/[user_id]/appointments/[calendar_event_id]/operation';
import { operations as calendar } from '@/app/api/clinic/practitioners/[user_id]/availability/calendar/operation';
import { operations as weeklySchedule } from '@/app/api/clinic/practitioners/[user_id]/availability/default/operation';
import { operations as weeklyScheduleCopy } from '@/app/api/clinic/practitioners/[user_id]/availability/default/copy/operation';
import { operations as exception } from '@/app/api/clinic/practitioners/[user_id]/availability/exceptions/[exception_id]/operation';
import { operations as exceptions } from '@/app/api/clinic/practitioners/[user_id]/availability/exceptions/operation';
import { operations as exceptionsClear } from '@/app/api/clinic/practitioners/[user_id]/availability/exceptions/clear/operation';
import { operations as slotCheck } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/check/operation';
import { operations as practitionerSlots } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/operation';
import { operations as practitioners } from '@/app/api/clinic/practitioners/operation';
import type { Operation } from '../api/operation';

/**
 * The operation declarations of every contract route (each route folder's operation.ts, which its
 * route.ts is made from), in the order the document lists them. test/api/openapi.test.ts checks
 * that this list holds every operation.ts under app/api/clinic and that each matches its route.
 */
export const OPERATION_MODULES: ReadonlyArray<Readonly<Partial<Record<Operation['method'], Operation>>>> = [
  practitioners,
  appointmentTypes,
  practitionerSlots,
  clinicSlots,
  slotCheck,
  holds,
  hold,
  patients,
  patient,
  patientAppointments,
  appointments,
  cancelAppointment,
  rescheduleAppointment,
  weeklySchedule,
  weeklyScheduleCopy,
  calendar,
  exceptions,
  exception,
  exceptionsClear,
  practitionerAppointment,
  appointmentAttendance,
  adminTypes,
  adminType,
  adminArchiveType,
  adminRestoreType,
  adminSettings,
  adminLineChannel,
  adminLineChannelTest,
  adminMembers,
  adminMember,
  adminDeactivateMember,
  adminReactivateMember,
  adminInvitations,
  adminInvitation,
  adminActivity,
  adminCalendarDays,
  adminCalendarDay,
  adminCalendarImport,
];

export const OPERATIONS: readonly Operation[] = OPERATION_MODULES.flatMap((m) => Object.values(m).filter((op): op is Operation => op !== undefined));
