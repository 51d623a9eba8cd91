'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/actions';
import { getDb } from '@/lib/db/client';
import type { ActionState } from '@/lib/errors';
import { listFutureOutsideHours, type OutsideHoursAppointmentDto } from '@/lib/queries/outside-hours';
import { positiveId } from '@/lib/schemas/common';
import { repeatExceptionsSchema } from '@/lib/schemas/repeat-suggestion';
import { copyWeeklyScheduleSchema } from '@/lib/schemas/schedule-copy';
import { weeklyScheduleSchema, type WeeklyScheduleDto } from '@/lib/schemas/weekly-schedule';
import { repeatExceptionsWeekly } from '@/lib/services/exception-repeat';
import { copyWeeklySchedule } from '@/lib/services/schedule-copy';
import { replaceWeeklySchedule } from '@/lib/services/weekly-schedule';

export interface SavedWeek {
  schedule: WeeklyScheduleDto;
  outsideHours: OutsideHoursAppointmentDto[];
}

/** The settings form's auto-save: same schema and service as PUT …/availability/default. */
export async function saveWeeklyScheduleAction(practitionerId: number, schedule: unknown, confirm: boolean): Promise<ActionState<SavedWeek>> {
  return runAction(async (caller) => {
    const id = positiveId.parse(practitionerId);
    const db = await getDb();
    const saved = await replaceWeeklySchedule(db, caller, {
      practitionerId: id,
      schedule: weeklyScheduleSchema.parse(schedule),
      confirm: confirm === true,
    });
    revalidatePath('/settings/availability');
    revalidatePath('/calendar');
    return { schedule: saved, outsideHours: await listFutureOutsideHours(db, caller.clinicId, id) };
  });
}

/** "Copy hours from…": same schema and service as POST …/availability/default/copy. */
export async function copyWeeklyScheduleAction(practitionerId: number, input: unknown, confirm: boolean): Promise<ActionState<SavedWeek>> {
  return runAction(async (caller) => {
    const id = positiveId.parse(practitionerId);
    const { from_practitioner_id } = copyWeeklyScheduleSchema.parse(input);
    const db = await getDb();
    const saved = await copyWeeklySchedule(db, caller, { practitionerId: id, fromPractitionerId: from_practitioner_id, confirm: confirm === true });
    revalidatePath('/settings/availability');
    revalidatePath('/calendar');
    return { schedule: saved, outsideHours: await listFutureOutsideHours(db, caller.clinicId, id) };
  });
}

/** "Repeat every week" on a suggestion: the single exceptions of that weekday and span become one weekly series. */
export async function repeatExceptionsWeeklyAction(
  practitionerId: number,
  input: unknown,
  confirm: boolean,
): Promise<ActionState<{ replaced: number }>> {
  return runAction(async (caller) => {
    const id = positiveId.parse(practitionerId);
    const habit = repeatExceptionsSchema.parse(input);
    const { replaced } = await repeatExceptionsWeekly(await getDb(), caller, { practitionerId: id, habit, confirm: confirm === true });
    revalidatePath('/settings/availability');
    revalidatePath('/calendar');
    return { replaced };
  });
}
