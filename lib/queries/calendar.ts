import { and, asc, between, count, eq, sql } from 'drizzle-orm';
import { formatTime, isOutsideHours, spanOf, toHHMM, type Interval } from '../availability';
import type { Caller } from '../auth/caller';
import type { DbOrTx } from '../db/client';
import { appointments, appointmentTypes, availabilityExceptions, calendarEvents, patients, practitionerAvailability } from '../db/schema';
import { assertMember, findPractitionerForCaller } from '../services/access';
import type { DayEventDto, DayViewDto, MonthViewDto } from '../schemas/responses';
import { addDays, dayOfWeek, monthRange } from '../time/dates';

// The answers' shapes are the contract's response schemas (lib/schemas/responses.ts).
export type { AppointmentEventDto, DayEventDto, DayViewDto, ExceptionEventDto, MonthViewDto } from '../schemas/responses';

/** Confirmed appointments per day of a month's page window; two queries whatever the data. */
export async function getMonthView(db: DbOrTx, caller: Caller, input: { practitionerId: number; month: string; page: number; limit: number }): Promise<MonthViewDto> {
  assertMember(caller, 'The calendar');
  await findPractitionerForCaller(db, caller, input.practitionerId);
  const range = monthRange(input.month)!;
  const firstIndex = (input.page - 1) * input.limit;
  const size = Math.max(0, Math.min(input.limit, range.days - firstIndex));
  const dates = Array.from({ length: size }, (_, i) => addDays(range.first, firstIndex + i));
  const counts = new Map<string, number>();
  if (size > 0) {
    const rows = await db.select({ date: calendarEvents.date, n: count() }).from(calendarEvents)
      .innerJoin(appointments, eq(appointments.calendarEventId, calendarEvents.id))
      .where(and(
        eq(calendarEvents.userId, input.practitionerId),
        eq(calendarEvents.eventType, 'appointment'),
        eq(appointments.status, 'confirmed'),
        between(calendarEvents.date, dates[0]!, dates[size - 1]!),
      ))
      .groupBy(calendarEvents.date);
    for (const r of rows) counts.set(r.date, r.n);
  }
  return {
    month: input.month, total_days: range.days, page: input.page, limit: input.limit,
    days: dates.map((date) => ({ date, appointment_count: counts.get(date) ?? 0 })),
  };
}

/**
 * One day of a practitioner's calendar: the weekday's default hours and the day's events (confirmed
 * appointments, flagged outside hours, and exceptions), sorted by start, all-day first. Three queries.
 */
export async function getDayView(db: DbOrTx, caller: Caller, input: { practitionerId: number; date: string }): Promise<DayViewDto> {
  assertMember(caller, 'The calendar');
  await findPractitionerForCaller(db, caller, input.practitionerId);
  const dow = dayOfWeek(input.date);
  const [hours, rows] = await Promise.all([
    db.select({ start: practitionerAvailability.startTime, end: practitionerAvailability.endTime }).from(practitionerAvailability)
      .where(and(eq(practitionerAvailability.userId, input.practitionerId), eq(practitionerAvailability.dayOfWeek, dow)))
      .orderBy(asc(practitionerAvailability.startTime)),
    db.select({
      id: calendarEvents.id, eventType: calendarEvents.eventType, start: calendarEvents.startTime, end: calendarEvents.endTime,
      sync: calendarEvents.gcalSyncStatus, patientId: appointments.patientId, typeId: appointments.appointmentTypeId,
      status: appointments.status, patient: patients.fullName, phone: patients.phoneNumber, typeName: appointmentTypes.name,
      exceptionId: availabilityExceptions.id,
    }).from(calendarEvents)
      .leftJoin(appointments, eq(appointments.calendarEventId, calendarEvents.id))
      .leftJoin(patients, eq(patients.id, appointments.patientId))
      .leftJoin(appointmentTypes, eq(appointmentTypes.id, appointments.appointmentTypeId))
      .leftJoin(availabilityExceptions, eq(availabilityExceptions.calendarEventId, calendarEvents.id))
      .where(and(
        eq(calendarEvents.userId, input.practitionerId),
        eq(calendarEvents.date, input.date),
        sql`(${calendarEvents.eventType} = 'availability_exception' OR ${appointments.status} = 'confirmed')`,
      )),
  ]);

  const working: Interval[] = hours.map((h) => spanOf(h.start, h.end));
  const exceptionSpans: Interval[] = rows.filter((r) => r.eventType === 'availability_exception')
    .map((r) => spanOf(r.start, r.end));

  const events: DayEventDto[] = rows.map((r): DayEventDto => {
    if (r.eventType === 'availability_exception') {
      return {
        calendar_event_id: r.id, type: 'availability_exception', start_time: r.start && toHHMM(r.start), end_time: r.end && toHHMM(r.end),
        title: 'Unavailable', exception_id: r.exceptionId!, gcal_sync_status: r.sync ?? null,
      };
    }
    const span = spanOf(r.start, r.end);
    return {
      calendar_event_id: r.id, type: 'appointment', start_time: formatTime(span.start), end_time: formatTime(span.end),
      title: `${r.patient} - ${r.typeName}`, patient_id: r.patientId!, appointment_type_id: r.typeId!, status: r.status!,
      outside_hours: isOutsideHours(span, working, exceptionSpans),
      patient_name: r.patient!, patient_phone: r.phone ?? null, appointment_type_name: r.typeName!, gcal_sync_status: r.sync ?? null,
    };
  });
  events.sort((a, b) => (a.start_time ?? '').localeCompare(b.start_time ?? '') || (a.end_time ?? '').localeCompare(b.end_time ?? '') || a.calendar_event_id - b.calendar_event_id);
  return { date: input.date, default_schedule: working.map((w) => ({ start_time: formatTime(w.start), end_time: formatTime(w.end) })), events };
}
