import 'server-only';
import { and, eq, isNull } from 'drizzle-orm';
import { computeSlots, dayRuleOf, earliestStartOn, effectiveMinNotice, formatTime, MINUTES_PER_DAY, type SlotRequest } from '../availability';
import { fillProfile, recommendStarts } from '../availability/recommend';
import type { DbOrTx } from '../db/client';
import { appointmentTypes } from '../db/schema';
import { AppError } from '../errors';
import { clinicNow } from '../time/clinic-clock';
import { systemClock, type Clock } from '../time/clock';
import { addDays, dayOfWeek, daysBetween } from '../time/dates';
import { loadAvailabilityInputs } from './calendar-data';
import { bookedByType } from './gap-history';
import type { SlotDto } from '../schemas/responses';
import type { ClinicSettings } from './clinic';

export type { SlotDto } from '../schemas/responses';
export interface AppointmentTypeRef {
  id: number;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  /** this type's booking rules; null or absent = the clinic's */
  bookingWindowDays?: number | null;
  minNoticeMinutes?: number | null;
}

export async function findAppointmentType(db: DbOrTx, clinicId: number, id: number): Promise<AppointmentTypeRef> {
  const [row] = await db
    .select({
      id: appointmentTypes.id,
      durationMinutes: appointmentTypes.durationMinutes,
      bufferBeforeMinutes: appointmentTypes.bufferBeforeMinutes,
      bufferAfterMinutes: appointmentTypes.bufferAfterMinutes,
      bookingWindowDays: appointmentTypes.bookingWindowDays,
      minNoticeMinutes: appointmentTypes.minNoticeMinutes,
    })
    .from(appointmentTypes)
    .where(and(eq(appointmentTypes.id, id), eq(appointmentTypes.clinicId, clinicId), isNull(appointmentTypes.archivedAt)));
  if (!row) throw new AppError('not_found', 'Appointment type not found');
  return row;
}

/**
 * Available slots of several practitioners over a date range, from the one availability engine.
 * Unexpired, unused holds (as of the clock) take time like confirmed appointments.
 * Three prepared queries whatever the number of practitioners and days (weekly hours of the range's
 * weekdays; exceptions and confirmed appointments; Google busy times); never one per day or per
 * practitioner. Each date's weekday and earliest start are worked out once, not per practitioner.
 * With `recommend`, the starts that keep a day compact carry `recommended: true`
 * (lib/availability/recommend.ts), weighed by the clinic's booking history (lib/queries/gap-history.ts:
 * read once per clinic and day, so no query on most requests).
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
    /** events that do not take time in this answer (an appointment being rescheduled) */
    excludeCalendarEventIds?: number[];
    /** holds that do not take time in this answer (the one a booking uses) */
    excludeHoldIds?: number[];
    /** the clinic's types in use: mark the recommended starts (slot answers; a booking's check needs none) */
    recommend?: { types: readonly AppointmentTypeRef[] };
  },
): Promise<Map<number, Array<{ date: string; available_slots: SlotDto[] }>>> {
  const result = new Map<number, Array<{ date: string; available_slots: SlotDto[] }>>();
  const at = (input.clock ?? systemClock)();
  const calendars = await loadAvailabilityInputs(db, {
    practitionerIds: input.practitionerIds,
    from: input.from,
    to: input.to,
    excludeCalendarEventIds: input.excludeCalendarEventIds,
    excludeHoldIds: input.excludeHoldIds,
    now: at,
  });
  const now = clinicNow(input.clinic.timezone, at);
  const profile = input.recommend
    ? fillProfile(input.recommend.types, await bookedByType(db, input.clinic.id, now.date), input.clinic.slotStepMinutes)
    : null;
  const step = input.clinic.slotStepMinutes ?? input.type.durationMinutes;
  const firstDow = dayOfWeek(input.from);
  const notice = effectiveMinNotice(input.clinic, input.type);
  const dates = Array.from({ length: daysBetween(input.from, input.to) + 1 }, (_, i) => {
    const date = addDays(input.from, i);
    return { date, dow: (firstDow + i) % 7, earliestStart: earliestStartOn(date, now, notice) };
  });
  for (const [id, calendar] of calendars) {
    const list: Array<{ date: string; available_slots: SlotDto[] }> = [];
    for (const { date, dow, earliestStart } of dates) {
      const working = calendar.workingOn(date, dow);
      // A hold takes time exactly as a confirmed appointment of its type does.
      const held = calendar.heldOn(date);
      const booked = calendar.appointmentsOn(date);
      // Booking rules (issue 16): after the window, or the practitioner's day full: no slot.
      const dayRule = dayRuleOf(date, now.date, input.clinic, input.type, booked.length);
      const request: SlotRequest | null =
        working.length === 0 || dayRule
          ? null
          : {
              working,
              exceptions: calendar.blockedOn(date),
              appointments: held.length === 0 ? booked : [...booked, ...held],
              durationMinutes: input.type.durationMinutes,
              stepMinutes: step,
              bufferBeforeMinutes: input.type.bufferBeforeMinutes,
              bufferAfterMinutes: input.type.bufferAfterMinutes,
              earliestStart,
            };
      const slots = request ? computeSlots(request) : [];
      // Held time counts as booked here too: a hold is an appointment about to be.
      const recommended = profile && request && slots.length > 0 ? recommendStarts({ ...request, profile }, slots) : null;
      list.push({
        date,
        available_slots: slots.map((s) =>
          recommended?.has(s.start)
            ? { start_time: hhmm(s.start), end_time: hhmm(s.end), recommended: true as const }
            : { start_time: hhmm(s.start), end_time: hhmm(s.end) },
        ),
      });
    }
    result.set(id, list);
  }
  return result;
}

/** `HH:MM` of every minute of a day, made once: slot answers format thousands of them. */
const HHMM = Array.from({ length: MINUTES_PER_DAY + 1 }, (_, m) => formatTime(m));
const hhmm = (minutes: number): string => HHMM[minutes] ?? formatTime(minutes);
