'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/actions';
import { getDb } from '@/lib/db/client';
import type { ActionState } from '@/lib/errors';
import { offeredMoveStarts } from '@/lib/queries/move-slots';
import { markAttendanceSchema } from '@/lib/schemas/attendance';
import { rescheduleAppointmentSchema } from '@/lib/schemas/agent';
import { calendarDate, positiveId } from '@/lib/schemas/common';
import type { AppointmentAttendanceDto, SlotDto } from '@/lib/schemas/responses';
import { markAttendance } from '@/lib/services/attendance';
import type { BookedAppointmentDto } from '@/lib/services/booking';
import { rescheduleAppointment } from '@/lib/services/reschedule';

// Moving an appointment and marking attendance from the calendar: the same schemas and services as
// the contract's routes (POST …/appointments/{id}/reschedule, PUT …/attendance).

function done() {
  revalidatePath('/calendar');
}

/** Moves a confirmed appointment; a start the engine does not offer is the `slot_unavailable` error state, the old time kept. */
export async function rescheduleAppointmentAction(calendarEventId: number, body: unknown): Promise<ActionState<BookedAppointmentDto>> {
  return runAction(async (caller) => {
    const result = await rescheduleAppointment(await getDb(), caller, {
      ...rescheduleAppointmentSchema.parse(body),
      calendarEventId: positiveId.parse(calendarEventId),
    });
    done();
    return result;
  });
}

/** The starts the appointment may move to on a date in a practitioner's calendar (the engine's, the appointment itself not counted). */
export async function offeredMoveStartsAction(
  calendarEventId: number,
  practitionerId: number,
  date: string,
): Promise<ActionState<{ practitioner_id: number; date: string; slots: SlotDto[] }>> {
  return runAction(async (caller) =>
    offeredMoveStarts(await getDb(), caller, {
      calendarEventId: positiveId.parse(calendarEventId),
      practitionerId: positiveId.parse(practitionerId),
      date: calendarDate.parse(date),
    }),
  );
}

/** Marks a started appointment arrived or no_show, or clears the mark (null). */
export async function markAttendanceAction(
  practitionerId: number,
  calendarEventId: number,
  attendance: unknown,
): Promise<ActionState<AppointmentAttendanceDto>> {
  return runAction(async (caller) => {
    const result = await markAttendance(await getDb(), caller, {
      practitionerId: positiveId.parse(practitionerId),
      calendarEventId: positiveId.parse(calendarEventId),
      attendance: markAttendanceSchema.parse({ attendance }).attendance,
    });
    done();
    return result;
  });
}
