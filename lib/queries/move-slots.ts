import 'server-only';
import { and, eq } from 'drizzle-orm';
import { findPractitionerForCaller, mayManage } from '../auth/access';
import type { Caller } from '../auth/caller';
import type { DbOrTx } from '../db/client';
import { appointments, appointmentTypes, calendarEvents, users } from '../db/schema';
import { AppError } from '../errors';
import type { SlotDto } from '../schemas/responses';
import type { Clock } from '../time/clock';
import { getClinicSettings } from './clinic';
import { slotsByPractitioner } from './slots';

/**
 * The starts a confirmed appointment may move to on a date, in its own or (for an admin) another
 * practitioner's calendar: the engine's slots for the appointment's type, computed as if the
 * appointment were not there (as lib/services/reschedule.ts checks them), its own current start left
 * out. Staff who may manage both calendars only; another clinic's appointment is 404.
 */
export async function offeredMoveStarts(
  db: DbOrTx,
  caller: Caller,
  input: { calendarEventId: number; practitionerId: number; date: string; clock?: Clock },
): Promise<{ practitioner_id: number; date: string; slots: SlotDto[] }> {
  if (caller.kind !== 'user') throw new AppError('forbidden', 'Moving appointments in the calendar is for clinic members only');
  const [appt] = await db
    .select({
      practitionerId: calendarEvents.userId,
      date: calendarEvents.date,
      start: calendarEvents.startTime,
      typeId: appointmentTypes.id,
      durationMinutes: appointmentTypes.durationMinutes,
      bufferBeforeMinutes: appointmentTypes.bufferBeforeMinutes,
      bufferAfterMinutes: appointmentTypes.bufferAfterMinutes,
      bookingWindowDays: appointmentTypes.bookingWindowDays,
      minNoticeMinutes: appointmentTypes.minNoticeMinutes,
    })
    .from(calendarEvents)
    .innerJoin(appointments, eq(appointments.calendarEventId, calendarEvents.id))
    .innerJoin(appointmentTypes, eq(appointmentTypes.id, appointments.appointmentTypeId))
    .innerJoin(users, eq(users.id, calendarEvents.userId))
    .where(and(eq(calendarEvents.id, input.calendarEventId), eq(users.clinicId, caller.clinicId)));
  if (!appt) throw new AppError('not_found', 'Appointment not found');
  if (!mayManage(caller, appt.practitionerId)) {
    throw new AppError('forbidden', "Only the practitioner or a clinic admin may move this practitioner's appointments");
  }
  const target = await findPractitionerForCaller(db, caller, input.practitionerId);
  if (!mayManage(caller, target.id))
    throw new AppError('forbidden', "Only a clinic admin may move an appointment into another practitioner's calendar");

  const clinic = await getClinicSettings(db, caller.clinicId);
  const type = {
    id: appt.typeId,
    durationMinutes: appt.durationMinutes,
    bufferBeforeMinutes: appt.bufferBeforeMinutes,
    bufferAfterMinutes: appt.bufferAfterMinutes,
    bookingWindowDays: appt.bookingWindowDays,
    minNoticeMinutes: appt.minNoticeMinutes,
  };
  const days = await slotsByPractitioner(db, {
    clinic,
    practitionerIds: [target.id],
    type,
    from: input.date,
    to: input.date,
    clock: input.clock,
    excludeCalendarEventIds: [input.calendarEventId],
  });
  const current = appt.start ? appt.start.slice(0, 5) : null;
  const samePlace = target.id === appt.practitionerId && input.date === appt.date;
  const slots = days.get(target.id)![0]!.available_slots.filter((s) => !(samePlace && s.start_time === current));
  return { practitioner_id: target.id, date: input.date, slots };
}
