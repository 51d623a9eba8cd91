'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { runAction } from '@/lib/actions';
import { getDb } from '@/lib/db/client';
import type { ActionState } from '@/lib/errors';
import { clinicDayRef, createClinicDaySchema, importClinicCalendarSchema, updateClinicDaySchema } from '@/lib/schemas/clinic-calendar';
import type { ClinicCalendarImportDto, ClinicDayDto } from '@/lib/schemas/responses';
import { createClinicDay, deleteClinicDay, importClinicCalendar, updateClinicDay } from '@/lib/services/clinic-calendar';

// The clinic calendar page's actions: the same services and schemas as /api/clinic/admin/calendar-days
// (`confirm` = ?confirm=true, `dryRun` = ?dry_run=true). Admins only, enforced by the services.

const PAGE = '/settings/clinic/holidays';

export async function addClinicDayAction(input: unknown, confirm: unknown): Promise<ActionState<ClinicDayDto>> {
  return runAction(async (caller) => {
    const saved = await createClinicDay(await getDb(), caller, { body: createClinicDaySchema.parse(input), confirm: z.boolean().parse(confirm) });
    revalidatePath(PAGE);
    return saved;
  });
}

export async function updateClinicDayAction(day: unknown, input: unknown, confirm: unknown): Promise<ActionState<ClinicDayDto>> {
  return runAction(async (caller) => {
    const saved = await updateClinicDay(await getDb(), caller, {
      ref: clinicDayRef.parse(day),
      body: updateClinicDaySchema.parse(input),
      confirm: z.boolean().parse(confirm),
    });
    revalidatePath(PAGE);
    return saved;
  });
}

export async function removeClinicDayAction(day: unknown): Promise<ActionState<{ message: string; date: string }>> {
  return runAction(async (caller) => {
    const removed = await deleteClinicDay(await getDb(), caller, { ref: clinicDayRef.parse(day) });
    revalidatePath(PAGE);
    return removed;
  });
}

export async function importClinicCalendarAction(input: unknown, dryRun: unknown): Promise<ActionState<ClinicCalendarImportDto>> {
  return runAction(async (caller) => {
    const answer = await importClinicCalendar(await getDb(), caller, {
      body: importClinicCalendarSchema.parse(input),
      dryRun: z.boolean().parse(dryRun),
    });
    if (!answer.dry_run) revalidatePath(PAGE);
    return answer;
  });
}
