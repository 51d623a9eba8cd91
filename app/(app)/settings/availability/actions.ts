'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/actions';
import { getDb } from '@/lib/db/client';
import type { ActionState } from '@/lib/errors';
import { listFutureOutsideHours, type OutsideHoursAppointmentDto } from '@/lib/queries/outside-hours';
import { positiveId } from '@/lib/schemas/common';
import { weeklyScheduleSchema, type WeeklyScheduleDto } from '@/lib/schemas/weekly-schedule';
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
