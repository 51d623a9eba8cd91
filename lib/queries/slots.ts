import 'server-only';
import { and, eq } from 'drizzle-orm';
import { computeSlots, earliestStartOn, formatTime } from '../availability';
import type { DbOrTx } from '../db/client';
import { appointmentTypes } from '../db/schema';
import { AppError } from '../errors';
import { clinicNow } from '../time/clinic-clock';
import { systemClock, type Clock } from '../time/clock';
import { addDays, daysBetween } from '../time/dates';
import { loadCalendars } from './calendar-data';
import type { SlotDto } from '../schemas/responses';
import type { ClinicSettings } from './clinic';

export type { SlotDto } from '../schemas/responses';
export interface AppointmentTypeRef {
  id: number;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

export async function findAppointmentType(db: DbOrTx, clinicId: number, id: number): Promise<AppointmentTypeRef> {
  const [row] = await db
    .select({
      id: appointmentTypes.id,
      durationMinutes: appointmentTypes.durationMinutes,
      bufferBeforeMinutes: appointmentTypes.bufferBeforeMinutes,
      bufferAfterMinutes: appointmentTypes.bufferAfterMinutes,
    })
    .from(appointmentTypes)
    .where(and(eq(appointmentTypes.id, id), eq(appointmentTypes.clinicId, clinicId)));
  if (!row) throw new AppError('not_found', 'Appointment type not found');
  return row;
}

/**
 * Available slots of several practitioners over a date range, from the one availability engine.
 * Two queries whatever the number of practitioners and days (weekly hours; exceptions and confirmed
 * appointments); never one per day or per practitioner.
 */
export async function slotsByPractitioner(
  db: DbOrTx,
  input: {
    clinic: ClinicSettings;
    practitionerIds: number[];
    type: AppointmentTypeRef;
    from: string;
    to: string;
    clock?: Clock;
  },
): Promise<Map<number, Array<{ date: string; available_slots: SlotDto[] }>>> {
  const result = new Map<number, Array<{ date: string; available_slots: SlotDto[] }>>();
  const calendars = await loadCalendars(db, { practitionerIds: input.practitionerIds, from: input.from, to: input.to });
  const now = clinicNow(input.clinic.timezone, (input.clock ?? systemClock)());
  const step = input.clinic.slotStepMinutes ?? input.type.durationMinutes;
  const days = daysBetween(input.from, input.to);
  for (const [id, calendar] of calendars) {
    const list: Array<{ date: string; available_slots: SlotDto[] }> = [];
    for (let i = 0; i <= days; i++) {
      const date = addDays(input.from, i);
      const slots = computeSlots({
        working: calendar.workingOn(date),
        // The practitioner's own busy Google events take time exactly as exceptions do.
        exceptions: [...calendar.exceptionsOn(date), ...calendar.busyOn(date)],
        appointments: calendar.appointmentsOn(date),
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
