import { and, asc, between, eq, inArray } from 'drizzle-orm';
import {
  computeSlots, dowToWeekday, earliestStartOn, emptyWeek, formatTime, spanOf, timeToMinutes,
  type Interval, type WeeklySchedule,
} from '../availability';
import type { DbOrTx } from '../db/client';
import { appointments, appointmentTypes, calendarEvents, practitionerAvailability } from '../db/schema';
import { AppError } from '../errors';
import { clinicNow } from '../time/clinic-clock';
import { addDays, dayOfWeek, daysBetween } from '../time/dates';
import type { SlotDto } from '../schemas/responses';
import type { ClinicSettings } from './clinic';

export type { SlotDto } from '../schemas/responses';
export interface AppointmentTypeRef { id: number; durationMinutes: number; bufferBeforeMinutes: number; bufferAfterMinutes: number }

export async function findAppointmentType(db: DbOrTx, clinicId: number, id: number): Promise<AppointmentTypeRef> {
  const [row] = await db.select({
    id: appointmentTypes.id, durationMinutes: appointmentTypes.durationMinutes,
    bufferBeforeMinutes: appointmentTypes.bufferBeforeMinutes, bufferAfterMinutes: appointmentTypes.bufferAfterMinutes,
  }).from(appointmentTypes).where(and(eq(appointmentTypes.id, id), eq(appointmentTypes.clinicId, clinicId)));
  if (!row) throw new AppError('not_found', 'Appointment type not found');
  return row;
}

/**
 * Available slots of several practitioners over a date range, from the one availability engine.
 * Three queries whatever the number of practitioners and days (weekly hours, exceptions, confirmed
 * appointments); never one per day or per practitioner.
 */
export async function slotsByPractitioner(db: DbOrTx, input: {
  clinic: ClinicSettings; practitionerIds: number[]; type: AppointmentTypeRef; from: string; to: string; now?: Date;
}): Promise<Map<number, Array<{ date: string; available_slots: SlotDto[] }>>> {
  const ids = input.practitionerIds;
  const result = new Map<number, Array<{ date: string; available_slots: SlotDto[] }>>();
  if (ids.length === 0) return result;
  const [hours, events] = await Promise.all([
    db.select({ userId: practitionerAvailability.userId, dow: practitionerAvailability.dayOfWeek, start: practitionerAvailability.startTime, end: practitionerAvailability.endTime })
      .from(practitionerAvailability).where(inArray(practitionerAvailability.userId, ids))
      .orderBy(asc(practitionerAvailability.startTime)),
    // Exceptions and confirmed appointments of the range in one query.
    db.select({ userId: calendarEvents.userId, type: calendarEvents.eventType, date: calendarEvents.date, start: calendarEvents.startTime, end: calendarEvents.endTime, status: appointments.status })
      .from(calendarEvents).leftJoin(appointments, eq(appointments.calendarEventId, calendarEvents.id))
      .where(and(inArray(calendarEvents.userId, ids), between(calendarEvents.date, input.from, input.to))),
  ]);

  const weeks = new Map<number, WeeklySchedule>(ids.map((id) => [id, emptyWeek()]));
  for (const h of hours) weeks.get(h.userId)![dowToWeekday(h.dow)].push({ start: timeToMinutes(h.start), end: timeToMinutes(h.end) });
  const busy = new Map<string, { exceptions: Interval[]; appointments: Interval[] }>();
  for (const e of events) {
    const key = `${e.userId}|${e.date}`;
    const entry = busy.get(key) ?? { exceptions: [], appointments: [] };
    if (e.type === 'availability_exception') {
      entry.exceptions.push(spanOf(e.start, e.end));
    } else if (e.status === 'confirmed') {
      entry.appointments.push({ start: timeToMinutes(e.start!), end: timeToMinutes(e.end!) });
    }
    busy.set(key, entry);
  }

  const now = clinicNow(input.clinic.timezone, input.now);
  const step = input.clinic.slotStepMinutes ?? input.type.durationMinutes;
  const days = daysBetween(input.from, input.to);
  for (const id of ids) {
    const week = weeks.get(id)!;
    const list: Array<{ date: string; available_slots: SlotDto[] }> = [];
    for (let i = 0; i <= days; i++) {
      const date = addDays(input.from, i);
      const day = busy.get(`${id}|${date}`);
      const slots = computeSlots({
        working: week[dowToWeekday(dayOfWeek(date))],
        exceptions: day?.exceptions ?? [],
        appointments: day?.appointments ?? [],
        durationMinutes: input.type.durationMinutes,
        stepMinutes: step,
        bufferBeforeMinutes: input.type.bufferBeforeMinutes,
        bufferAfterMinutes: input.type.bufferAfterMinutes,
        earliestStart: earliestStartOn(date, now, input.clinic.minNoticeMinutes),
      });
      list.push({ date, available_slots: slots.map((s) => ({ start_time: formatTime(s.start), end_time: formatTime(s.end) })) });
    }
    result.set(id, list);
  }
  return result;
}
