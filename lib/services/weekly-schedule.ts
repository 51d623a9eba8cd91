import 'server-only';
import { eq } from 'drizzle-orm';
import { appointmentsLeftOutside, findWeekProblem, formatInterval, formatTime, WEEKDAYS, weekdayToDow, type WeeklySchedule } from '../availability';
import { assertMayManage, findPractitionerForCaller, type PractitionerRef } from '../auth/access';
import type { Caller } from '../auth/caller';
import { writeAudit } from '../db/audit';
import type { DbOrTx } from '../db/client';
import { inTransaction } from '../db/transaction';
import { lockPractitionerCalendar } from '../db/locks';
import { practitionerAvailability } from '../db/schema';
import { AppError, AppWarning } from '../errors';
import { getClinicSettings } from '../queries/clinic';
import { hasNotEnded, loadCalendar } from '../queries/calendar-data';
import type { AffectedAppointmentDto, WeeklyScheduleDto } from '../schemas/responses';
import { weekFromInput, weekToDto, type WeeklyScheduleInput } from '../schemas/weekly-schedule';
import { clinicNow } from '../time/clinic-clock';
import { systemClock, type Clock } from '../time/clock';

export type { AffectedAppointmentDto } from '../schemas/responses';

/**
 * Replaces a practitioner's whole week in one transaction. Overlaps and empty intervals are errors;
 * confirmed future appointments that the new hours would leave outside hours make it a warning
 * (nothing saved) unless `confirm` — then it is saved and they stay confirmed, outside hours.
 */
export async function replaceWeeklySchedule(
  db: DbOrTx,
  caller: Caller,
  input: {
    practitionerId: number;
    schedule: WeeklyScheduleInput;
    confirm: boolean;
    clock?: Clock;
  },
): Promise<WeeklyScheduleDto> {
  const next = weekFromInput(input.schedule);
  const problem = findWeekProblem(next);
  if (problem?.problem.kind === 'invalid_time_range') {
    throw new AppError('invalid_time_range', 'An interval must start before it ends', {
      day: problem.day,
      interval: formatInterval(problem.problem.interval),
    });
  }
  if (problem?.problem.kind === 'overlapping_intervals') {
    throw new AppError('overlapping_intervals', 'Time intervals cannot overlap', {
      day: problem.day,
      conflicting_intervals: problem.problem.intervals.map(formatInterval),
    });
  }

  return inTransaction(db, async (tx) => {
    const practitioner = await findPractitionerForCaller(tx, caller, input.practitionerId);
    assertMayManage(caller, practitioner);
    return saveWeek(tx, caller, { practitioner, next, confirm: input.confirm, clock: input.clock, audit: { action: 'weekly_schedule.replaced' } });
  });
}

/**
 * The one saving path of a practitioner's week, inside the caller's transaction, once the caller
 * may manage `practitioner` and `next` is a valid week: PUT …/availability/default and copying a
 * colleague's week (services/schedule-copy.ts) both end here, so both warn alike. The audit entry
 * carries before/after and whatever the caller adds (`audit.details`).
 */
export async function saveWeek(
  tx: DbOrTx,
  caller: Caller,
  input: {
    practitioner: PractitionerRef;
    next: WeeklySchedule;
    confirm: boolean;
    clock?: Clock;
    audit: { action: 'weekly_schedule.replaced' | 'weekly_schedule.copied'; details?: Record<string, unknown> };
  },
): Promise<WeeklyScheduleDto> {
  const { practitioner, next } = input;
  await lockPractitionerCalendar(tx, practitioner.id);

  const clinic = await getClinicSettings(tx, caller.clinicId);
  const now = clinicNow(clinic.timezone, (input.clock ?? systemClock)());
  const calendar = await loadCalendar(tx, { practitionerId: practitioner.id, from: now.date });
  const current = calendar.week;
  const future = calendar.appointments.filter((a) => hasNotEnded(a, now));
  // The clinic calendar: a closed day has no hours to lose; a make-up day follows the weekday it borrows.
  const hoursDowOn = (date: string) => {
    const day = calendar.clinicDayOn(date);
    if (!day?.observed) return undefined;
    return day.kind === 'closed' ? null : day.hoursOfWeekday;
  };
  const affected = appointmentsLeftOutside(future, current, next, calendar.exceptionsOn, hoursDowOn).map((a): AffectedAppointmentDto => ({
    calendar_event_id: a.calendarEventId,
    date: a.date,
    time: formatInterval(a),
    patient: a.patient,
  }));
  if (affected.length > 0 && !input.confirm) {
    throw new AppWarning('appointments_outside_hours', 'Some appointments will be outside your new working hours', {
      affected_appointments: affected,
    });
  }

  await tx.delete(practitionerAvailability).where(eq(practitionerAvailability.userId, practitioner.id));
  const rows = WEEKDAYS.flatMap((day) =>
    next[day].map((i) => ({
      userId: practitioner.id,
      dayOfWeek: weekdayToDow(day),
      startTime: formatTime(i.start),
      endTime: formatTime(i.end),
    })),
  );
  if (rows.length > 0) await tx.insert(practitionerAvailability).values(rows);
  await writeAudit(tx, caller, {
    action: input.audit.action,
    entityType: 'practitioner',
    entityId: practitioner.id,
    practitionerId: practitioner.id,
    details: {
      ...input.audit.details,
      before: weekToDto(current),
      after: weekToDto(next),
      ...(affected.length > 0 ? { confirmed_outside_hours: affected.map((a) => a.calendar_event_id) } : {}),
    },
  });
  return weekToDto(next);
}
