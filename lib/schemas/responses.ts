import { z } from 'zod';
import { ERROR_CODES } from '../errors';

// Response shapes of the contract, as zod schemas: they document the API (OpenAPI) and are checked
// against real answers in tests.
const time = z.string().describe('HH:MM, clinic time');
const date = z.string().describe('YYYY-MM-DD, clinic time');

export const errorResponse = z.object({
  error: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.unknown().optional(),
}).meta({ id: 'Error' });

export const warningResponse = z.object({
  warning: z.enum(['appointments_outside_hours', 'appointment_conflicts']),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
}).meta({ id: 'Warning', description: 'Nothing was saved. Send the same request with ?confirm=true to save it anyway.' });

export const practitionerList = z.array(z.object({ id: z.number().int(), name: z.string() })).meta({ id: 'PractitionerList' });
export const appointmentTypeList = z.array(z.object({
  id: z.number().int(), name: z.string(), duration_minutes: z.number().int(), buffer_before_minutes: z.number().int(), buffer_after_minutes: z.number().int(),
})).meta({ id: 'AppointmentTypeList' });

export const slot = z.object({ start_time: time, end_time: time }).meta({ id: 'Slot' });
export const daySlots = z.object({ available_slots: z.array(slot) }).meta({ id: 'DaySlots' });
export const rangeSlots = z.object({ days: z.array(z.object({ date, available_slots: z.array(slot) })) }).meta({ id: 'RangeSlots' });
export const clinicSlots = z.object({
  date, practitioners: z.array(z.object({ id: z.number().int(), name: z.string(), available_slots: z.array(slot) })),
}).meta({ id: 'ClinicSlots' });

export const patient = z.object({
  id: z.number().int(), full_name: z.string(), phone_number: z.string().nullable(), line_user_id: z.string().nullable(),
}).meta({ id: 'Patient' });

export const appointment = z.object({
  calendar_event_id: z.number().int(), practitioner_id: z.number().int(), patient_id: z.number().int(), appointment_type_id: z.number().int(),
  date, start_time: time, end_time: time, status: z.enum(['confirmed', 'canceled_by_patient', 'canceled_by_clinic']),
}).meta({ id: 'Appointment' });

const interval = z.object({ start_time: time, end_time: time });
export const weeklySchedule = z.object(Object.fromEntries(
  ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d) => [d, z.array(interval)]),
)).meta({ id: 'WeeklySchedule' });

export const monthView = z.object({
  month: z.string(), total_days: z.number().int(), page: z.number().int(), limit: z.number().int(),
  days: z.array(z.object({ date, appointment_count: z.number().int() })),
}).meta({ id: 'MonthView' });

export const dayView = z.object({
  date,
  default_schedule: z.array(interval),
  events: z.array(z.union([
    z.object({
      calendar_event_id: z.number().int(), type: z.literal('appointment'), start_time: time, end_time: time, title: z.string(),
      patient_id: z.number().int(), appointment_type_id: z.number().int(), status: z.string(), outside_hours: z.boolean(),
    }),
    z.object({
      calendar_event_id: z.number().int(), type: z.literal('availability_exception'), start_time: time.nullable(), end_time: time.nullable(),
      title: z.literal('Unavailable'), exception_id: z.number().int(),
    }),
  ])),
}).meta({ id: 'DayView' });

export const exception = z.object({
  calendar_event_id: z.number().int(), exception_id: z.number().int(), date, start_time: time.nullable(), end_time: time.nullable(),
  gcal_event_id: z.string().nullable(), created_at: z.string(), updated_at: z.string(),
}).meta({ id: 'AvailabilityException' });

export const message = z.object({ message: z.string() }).meta({ id: 'Message' });
export const deletedAppointment = z.object({ message: z.string(), calendar_event_id: z.number().int(), status: z.string() }).meta({ id: 'DeletedAppointment' });
