import { z } from 'zod';
import { WEEKDAYS, type Weekday } from '../availability/weekly-schedule';
import { ERROR_CODES, WARNING_CODES } from '../errors';
import { ACTIVITY_KINDS } from './activity';

// Response shapes of the contract, as zod schemas: the one source of the answers' types (the
// services' and queries' DTO types are `z.infer` of these), of the OpenAPI document's response
// schemas, and of the checks against real answers in tests. Extra fields are allowed by the
// contract; the ones listed beyond it are those the web app reads.
const time = z.string().describe('HH:MM, clinic time');
const date = z.string().describe('YYYY-MM-DD, clinic time');
const id = z.number().int();
const appointmentStatus = z.enum(['confirmed', 'canceled_by_patient', 'canceled_by_clinic']);
const attendance = z
  .enum(['arrived', 'no_show'])
  .nullable()
  .describe('Marked by staff once the appointment has started; null = not marked. A no-show stays status confirmed');

export const errorResponse = z
  .object({
    error: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.unknown().optional(),
  })
  .meta({ id: 'Error' });

/** An appointment a weekly-hours change would leave outside hours (warning appointments_outside_hours). */
export const affectedAppointment = z.object({
  calendar_event_id: id,
  date,
  time: z.string().describe('HH:MM-HH:MM, clinic time'),
  patient: z.string(),
});
/** An appointment an exception would cover (warning appointment_conflicts). */
export const conflictingAppointment = z.object({
  calendar_event_id: id,
  date: date.optional().describe('The appointment’s date (a repeating exception lists every occurrence’s)'),
  start_time: time,
  end_time: time,
  patient: z.string(),
});

export const warningResponse = z
  .object({
    warning: z.enum(WARNING_CODES),
    message: z.string(),
    details: z
      .object({
        affected_appointments: z.array(affectedAppointment).optional().describe('appointments_outside_hours, member_has_future_appointments'),
        conflicting_appointments: z.array(conflictingAppointment).optional().describe('appointment_conflicts'),
      })
      .catchall(z.unknown()),
  })
  .meta({ id: 'Warning', description: 'Nothing was saved. Send the same request with ?confirm=true to save it anyway.' });

export const practitioner = z.object({ id, name: z.string() });
export const practitionerList = z.array(practitioner).meta({ id: 'PractitionerList' });

export const appointmentType = z.object({
  id,
  name: z.string(),
  duration_minutes: z.number().int(),
  buffer_before_minutes: z.number().int(),
  buffer_after_minutes: z.number().int(),
});
export const appointmentTypeList = z.array(appointmentType).meta({ id: 'AppointmentTypeList' });

/** An appointment type as the clinic's admins see it: archived ones too, with colour and version. */
export const adminAppointmentType = appointmentType
  .extend({
    color: z.string().nullable().describe('#rrggbb, or null for the calendar default'),
    booking_window_days: z.number().int().nullable().describe('No slot of this type more than this many days ahead; null = the clinic’s'),
    min_notice_minutes: z.number().int().nullable().describe('Minimum notice of this type in minutes; null = the clinic’s'),
    archived: z.boolean().describe('Archived types are offered to no one; their appointments keep their name'),
    archived_at: z.string().nullable(),
    version: z.number().int().describe('Send it back with an edit: an edit of an older version is 409 conflict with details.current'),
    updated_at: z.string(),
  })
  .meta({ id: 'AdminAppointmentType' });
export const adminAppointmentTypeList = z.array(adminAppointmentType).meta({ id: 'AdminAppointmentTypeList' });
export type AdminAppointmentTypeDto = z.infer<typeof adminAppointmentType>;

/** The clinic's own LINE channel, never its secrets: whether each is set and its last four characters. */
export const lineChannelState = z
  .object({
    token_set: z.boolean(),
    token_hint: z.string().nullable().describe('"…" and the last four characters'),
    secret_set: z.boolean(),
    secret_hint: z.string().nullable(),
    usable: z
      .boolean()
      .describe(
        "Set and readable with this server's APP_ENCRYPTION_KEY. Set but unreadable: pushes to the clinic's patients fail until it is saved again",
      ),
  })
  .meta({ id: 'LineChannelState' });
export const clinicSettings = z
  .object({
    name: z.string(),
    slug: z.string(),
    timezone: z.string().describe('IANA time zone'),
    slot_step_minutes: z.number().int().nullable().describe("null = the appointment's length"),
    min_notice_minutes: z.number().int(),
    booking_window_days: z
      .number()
      .int()
      .nullable()
      .describe('No slot more than this many days after today (an appointment type may override it); null = no limit'),
    max_appointments_per_day: z.number().int().nullable().describe('Confirmed appointments per practitioner per day at most; null = no limit'),
    max_upcoming_per_patient: z
      .number()
      .int()
      .nullable()
      .describe('Upcoming confirmed appointments per patient at most (the agent is refused beyond it); null = no limit'),
    cancellation_deadline_hours: z
      .number()
      .int()
      .nullable()
      .describe('The agent may not cancel less than this many hours before the start (staff may); null = no deadline'),
    version: z.number().int().describe('Send it back with an edit: an edit of an older version is 409 conflict with details.current'),
    line_channel: lineChannelState,
    encryption_configured: z.boolean().describe('APP_ENCRYPTION_KEY is set: a LINE channel can be saved'),
  })
  .meta({ id: 'ClinicSettings' });
export const lineChannelTestResult = z
  .object({
    ok: z.boolean(),
    bot_name: z.string().optional().describe("The channel's bot, as LINE names it"),
    pushed: z.boolean().describe('A test message was pushed to line_user_id'),
    reason: z.enum(['token_rejected', 'push_failed', 'line_unreachable']).optional(),
    message: z.string().optional(),
  })
  .meta({ id: 'LineChannelTestResult' });
export type LineChannelStateDto = z.infer<typeof lineChannelState>;
export type ClinicSettingsDto = z.infer<typeof clinicSettings>;
export type LineChannelTestResultDto = z.infer<typeof lineChannelTestResult>;

export const slot = z
  .object({
    start_time: time,
    end_time: time,
    recommended: z
      .literal(true)
      .optional()
      .describe(
        'Present (true) on the starts that keep the day compact: next to an appointment or the edge of free time, leaving no gap that the clinic rarely or never books. Offer these first; absent on the others.',
      ),
  })
  .meta({ id: 'Slot' });
export const daySlots = z.object({ available_slots: z.array(slot) }).meta({ id: 'DaySlots' });
export const rangeSlots = z.object({ days: z.array(z.object({ date, available_slots: z.array(slot) })) }).meta({ id: 'RangeSlots' });
export const clinicSlots = z
  .object({
    date,
    practitioners: z.array(z.object({ id, name: z.string(), available_slots: z.array(slot) })),
  })
  .meta({ id: 'ClinicSlots' });

export const patient = z
  .object({
    id,
    full_name: z.string(),
    phone_number: z.string().nullable(),
    line_user_id: z.string().nullable(),
  })
  .meta({ id: 'Patient' });

export const appointment = z
  .object({
    calendar_event_id: id,
    practitioner_id: id,
    patient_id: id,
    appointment_type_id: id,
    date,
    start_time: time,
    end_time: time,
    status: appointmentStatus,
  })
  .meta({ id: 'Appointment' });

/** The agent's cancellation: the appointment, and whether it was canceled already (a repeat changes nothing). */
export const canceledAppointment = appointment.extend({ already_canceled: z.boolean() }).meta({ id: 'CanceledAppointment' });

const interval = z.object({ start_time: time, end_time: time });
export const weeklySchedule = z
  .object(Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(interval)])) as Record<Weekday, z.ZodArray<typeof interval>>)
  .meta({ id: 'WeeklySchedule' });

export const monthView = z
  .object({
    month: z.string(),
    total_days: z.number().int(),
    page: z.number().int(),
    limit: z.number().int(),
    days: z.array(
      z.object({
        date,
        appointment_count: z.number().int(),
        exception_count: z
          .number()
          .int()
          .optional()
          .describe(
            "Availability exceptions on the date, occurrences of repeating ones included, and the clinic's closed day (a holiday) when the practitioner observes the clinic calendar",
          ),
      }),
    ),
  })
  .meta({ id: 'MonthView' });

const gcalSyncStatus = z
  .enum(['pending', 'synced', 'sync_failed'])
  .nullable()
  .describe('Google Calendar copy: null when the practitioner has not connected Google');

export const appointmentEvent = z.object({
  calendar_event_id: id,
  type: z.literal('appointment'),
  start_time: time,
  end_time: time,
  title: z.string(),
  patient_id: id,
  appointment_type_id: id,
  status: z.string(),
  outside_hours: z.boolean(),
  patient_name: z.string(),
  patient_phone: z.string().nullable(),
  appointment_type_name: z.string(),
  gcal_sync_status: gcalSyncStatus,
  attendance,
});
export const exceptionEvent = z.object({
  calendar_event_id: id,
  type: z.literal('availability_exception'),
  start_time: time.nullable(),
  end_time: time.nullable(),
  title: z.literal('Unavailable'),
  exception_id: id,
  gcal_sync_status: gcalSyncStatus,
  recurrence: z
    .string()
    .nullable()
    .optional()
    .describe('An occurrence of a repeating exception: the series’ RRULE (exception_id is the series’); null = a single exception'),
  occurrence_date: date.nullable().optional().describe('An occurrence of a repeating exception: its date (for scope this / following)'),
});
export const dayView = z
  .object({
    date,
    default_schedule: z.array(interval),
    events: z.array(z.discriminatedUnion('type', [appointmentEvent, exceptionEvent])),
    busy: z
      .array(z.object({ start_time: time.nullable(), end_time: time.nullable() }))
      .describe("The practitioner's own Google events counted as busy (when they turned that on), without titles; times null = all day"),
    clinic_day: z
      .object({
        kind: z.enum(['closed', 'workday']),
        name: z.string(),
        hours_of_weekday: z.number().int().nullable(),
        observed: z.boolean().describe('false: the practitioner opted out of the clinic calendar and works as usual'),
      })
      .nullable()
      .optional()
      .describe("The clinic calendar's holiday (closed) or make-up workday on this date, if any"),
  })
  .meta({ id: 'DayView' });

export const exception = z
  .object({
    calendar_event_id: id,
    exception_id: id,
    date,
    start_time: time.nullable(),
    end_time: time.nullable(),
    gcal_event_id: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    recurrence: z.string().nullable().optional().describe('RRULE of a repeating exception (its first date is `date`); null = single'),
    exdates: z.array(date).optional().describe('Deleted occurrences of a repeating exception'),
    series_until: date.nullable().optional().describe('The last date an occurrence can fall on; null = no end (or single)'),
    recurring_exception_id: id.nullable().optional().describe('An occurrence edited on its own: the series it came from'),
    original_date: date.nullable().optional().describe('An occurrence edited on its own: the date it replaces'),
  })
  .meta({ id: 'AvailabilityException' });
export const clearedExceptions = z.object({ deleted: z.number().int() }).meta({ id: 'ClearedExceptions' });

/** An appointment's attendance after a change (PUT …/attendance). */
export const appointmentAttendance = z
  .object({ calendar_event_id: id, practitioner_id: id, patient_id: id, status: appointmentStatus, attendance })
  .meta({ id: 'AppointmentAttendance' });

/** A patient's appointments as the agent reads them: upcoming confirmed ones first, then the rest newest first. */
export const patientAppointment = z.object({
  calendar_event_id: id,
  practitioner_id: id,
  practitioner_name: z.string(),
  appointment_type_id: id,
  appointment_type_name: z.string(),
  date,
  start_time: time,
  end_time: time,
  status: appointmentStatus,
});
export const patientAppointmentList = z
  .object({
    appointments: z.array(patientAppointment).describe('Upcoming confirmed ones first (soonest first), then the rest newest first; at most 50'),
  })
  .meta({ id: 'PatientAppointmentList' });
export const patientList = z.array(patient).describe('Zero or one patient').meta({ id: 'PatientList' });
export const patientDetail = z
  .object({
    id,
    full_name: z.string(),
    phone_number: z.string().nullable(),
    line_user_id: z.string().nullable(),
    no_shows: z.number().int().min(0).describe('Appointments marked no_show'),
    upcoming: z.number().int().min(0).describe('Confirmed appointments not ended yet (clinic time)'),
  })
  .meta({ id: 'PatientDetail' });
export const patientSearchResults = z
  .array(patient)
  .describe('Best matches first (exact, prefix, substring); at most 50')
  .meta({ id: 'PatientSearchResults' });

export const message = z.object({ message: z.string() }).meta({ id: 'Message' });
export const deletedAppointment = z
  .object({ message: z.string(), calendar_event_id: id, status: appointmentStatus })
  .meta({ id: 'DeletedAppointment' });

/** A clinic member as the admin's members list shows them. */
export const member = z
  .object({
    id,
    name: z.string(),
    email: z.string(),
    role: z.enum(['practitioner', 'admin']),
    is_practitioner: z.boolean(),
    state: z.enum(['active', 'deactivated']),
    google_connected: z.boolean().describe("The member's Google Calendar is connected and syncing"),
    observes_clinic_calendar: z
      .boolean()
      .describe('false: opted out of the clinic calendar (works on its holidays, keeps their own hours on make-up days)'),
    deactivated_at: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: 'Member' });
/** A pending invitation: the person becomes a member when they sign in with Google with this email. */
export const invitation = z
  .object({
    id,
    email: z.string(),
    name: z.string(),
    role: z.enum(['practitioner', 'admin']),
    is_practitioner: z.boolean(),
    invited_by: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: 'Invitation' });
export const memberList = z.object({ members: z.array(member), invitations: z.array(invitation) }).meta({ id: 'MemberList' });
export const deactivatedMember = member
  .extend({
    canceled_appointments: z.array(id).describe('Calendar event ids canceled (canceled_by_clinic, the patients told on LINE)'),
    kept_appointments: z.array(id).describe('Calendar event ids of future confirmed appointments kept as they are'),
  })
  .meta({ id: 'DeactivatedMember' });

/** One entry of the clinic's audit log, readable: who did what and when, and what it concerns. */
export const activityEntry = z
  .object({
    id,
    at: z.string().describe('When, ISO 8601'),
    clinic_date: date,
    clinic_time: time,
    actor: z.object({
      type: z.enum(['user', 'agent', 'google', 'system']),
      id: id.optional().describe("The member's user id or the agent key's id"),
      name: z.string().describe("The member's name, the agent key's name, or Google / System in the reader's language"),
    }),
    action: z.string().describe('e.g. appointment.booked; new actions may appear'),
    kind: z.enum(ACTIVITY_KINDS).nullable(),
    summary: z.string().describe("A sentence in the reader's language (locale cookie, else Accept-Language)"),
    practitioner_id: id.nullable(),
    practitioner_name: z.string().nullable(),
    patient_id: id.nullable(),
    patient_name: z.string().nullable(),
    entity_type: z.string(),
    entity_id: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    link: z
      .string()
      .optional()
      .describe("The app's page the entry concerns (an appointment's or exception's day in the calendar, members, types, settings)"),
  })
  .meta({ id: 'ActivityEntry' });
export const activityPage = z
  .object({
    entries: z.array(activityEntry).describe('Newest first'),
    next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
  })
  .meta({ id: 'ActivityPage' });

// The answers' types, for the services, queries and the web app.
export type PractitionerDto = z.infer<typeof practitioner>;
export type AppointmentTypeDto = z.infer<typeof appointmentType>;
export type SlotDto = z.infer<typeof slot>;
export type PatientDto = z.infer<typeof patient>;
export type PatientDetailDto = z.infer<typeof patientDetail>;
export type AppointmentDto = z.infer<typeof appointment>;
export type CanceledAppointmentDto = z.infer<typeof canceledAppointment>;
export type WeeklyScheduleDto = z.infer<typeof weeklySchedule>;
export type MonthViewDto = z.infer<typeof monthView>;
export type AppointmentEventDto = z.infer<typeof appointmentEvent>;
export type ExceptionEventDto = z.infer<typeof exceptionEvent>;
export type DayEventDto = AppointmentEventDto | ExceptionEventDto;
export type DayViewDto = z.infer<typeof dayView>;
export type ExceptionDto = z.infer<typeof exception>;
export type DeletedAppointmentDto = z.infer<typeof deletedAppointment>;
export type AppointmentAttendanceDto = z.infer<typeof appointmentAttendance>;
export type PatientAppointmentDto = z.infer<typeof patientAppointment>;
export type PatientAppointmentListDto = z.infer<typeof patientAppointmentList>;
export type AffectedAppointmentDto = z.infer<typeof affectedAppointment>;
export type ConflictingAppointmentDto = z.infer<typeof conflictingAppointment>;
export type MemberDto = z.infer<typeof member>;
export type InvitationDto = z.infer<typeof invitation>;
export type MemberListDto = z.infer<typeof memberList>;
export type DeactivatedMemberDto = z.infer<typeof deactivatedMember>;
export type ActivityEntryDto = z.infer<typeof activityEntry>;
export type ActivityPageDto = z.infer<typeof activityPage>;

/** Slot holds and "why not" (issue 15). */
export const slotAlternative = z
  .object({ practitioner_id: id, date, start_time: time, end_time: time })
  .meta({ id: 'SlotAlternative', description: 'A free start offered instead of a refused one: bookable (or holdable) as it is' });
export const slotUnavailableReason = z
  .enum(['past', 'too_soon', 'beyond_booking_window', 'day_full', 'outside_hours', 'not_on_grid', 'exception', 'booked', 'held'])
  .meta({
    id: 'SlotUnavailableReason',
    description:
      'Why a start is not offered, the first that applies: past; too_soon (inside the minimum notice: the appointment type’s, else the clinic’s); beyond_booking_window (the date is further ahead than the booking window allows: the type’s, else the clinic’s); day_full (the practitioner already has the clinic’s maximum of confirmed appointments that date); outside_hours (not wholly inside one working interval of the weekday); not_on_grid (inside hours but not on the slot grid); exception (an availability exception or a busy Google event); booked (a confirmed appointment, with the type’s buffers); held (someone holds it)',
  });
/** details of a 409 slot_unavailable (booking, reschedule, hold). */
export const slotUnavailableDetails = z
  .object({
    date,
    start_time: time,
    reason: slotUnavailableReason,
    alternatives: z
      .array(slotAlternative)
      .describe(
        'Nearest first, at most 5: the practitioner’s free starts that day and the next 13 days, and other practitioners free at the asked time',
      ),
  })
  .meta({ id: 'SlotUnavailableDetails' });
export const slotCheck = z
  .object({
    available: z.boolean(),
    reason: slotUnavailableReason.optional().describe('Present when not available'),
    alternatives: z.array(slotAlternative).describe('Empty when available; else as in a 409 slot_unavailable'),
  })
  .meta({ id: 'SlotCheck' });
export const hold = z
  .object({
    hold_id: id,
    practitioner_id: id,
    appointment_type_id: id,
    date,
    start_time: time,
    end_time: time,
    expires_at: z.string().describe('ISO 8601; 5 minutes after the hold was made'),
  })
  .meta({ id: 'Hold' });
export const holdReleased = z.object({ message: z.string(), hold_id: id }).meta({ id: 'HoldReleased' });
export type HoldDto = z.infer<typeof hold>;
export type SlotCheckDto = z.infer<typeof slotCheck>;

// The clinic calendar of holidays and make-up workdays (issue 16, admins).
const clinicDayFields = {
  date,
  kind: z.enum(['closed', 'workday']).describe('closed: every practitioner who observes the clinic calendar is off all day; workday: a make-up day'),
  name: z.string().describe('e.g. 中秋節, 補行上班'),
  hours_of_weekday: z.number().int().nullable().describe('workday: the weekday (0 = Sunday) whose weekly hours the date takes; closed: null'),
};
export const clinicDay = z
  .object({
    id,
    ...clinicDayFields,
    source: z.enum(['taiwan', 'import', 'manual']).describe('the shipped Taiwan calendar, a CSV import, or by hand'),
  })
  .meta({ id: 'ClinicDay' });
export const clinicDayList = z.object({ year: z.number().int(), days: z.array(clinicDay) }).meta({ id: 'ClinicDayList' });
const clinicDayValues = z.object(clinicDayFields);
/** A confirmed future appointment on a day an import or a new closed day would close. */
export const closedDayAppointment = z.object({
  calendar_event_id: id,
  practitioner_id: id,
  practitioner_name: z.string(),
  date,
  time: z.string().describe('HH:MM-HH:MM, clinic time'),
  patient: z.string(),
});
export const clinicCalendarImport = z
  .object({
    year: z.number().int(),
    dry_run: z.boolean().describe('true: nothing was saved (the preview)'),
    added: z.array(clinicDayValues),
    changed: z.array(z.object({ date, before: clinicDayValues, after: clinicDayValues })),
    removed: z.array(clinicDayValues).describe('days of the year the file no longer lists (days added by hand are kept)'),
    unchanged: z.number().int(),
    affected_appointments: z
      .array(closedDayAppointment)
      .describe('confirmed future appointments of practitioners who observe the clinic calendar on the days it newly closes'),
  })
  .meta({ id: 'ClinicCalendarImport' });
export const clinicDayDeleted = z.object({ message: z.string(), date }).meta({ id: 'ClinicDayDeleted' });
export type ClinicDayDto = z.infer<typeof clinicDay>;
export type ClinicCalendarImportDto = z.infer<typeof clinicCalendarImport>;
export type ClosedDayAppointmentDto = z.infer<typeof closedDayAppointment>;
