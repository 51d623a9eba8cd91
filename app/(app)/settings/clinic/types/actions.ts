'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/actions';
import { getDb } from '@/lib/db/client';
import type { ActionState } from '@/lib/errors';
import { appointmentTypeVersionSchema, createAppointmentTypeSchema, updateAppointmentTypeSchema } from '@/lib/schemas/appointment-types';
import { positiveId } from '@/lib/schemas/common';
import type { AdminAppointmentTypeDto } from '@/lib/schemas/responses';
import { createAppointmentType, setAppointmentTypeArchived, updateAppointmentType } from '@/lib/services/appointment-types';

const PAGE = '/settings/clinic/types';

/** The same services and schemas as the /api/clinic/admin/appointment-types routes. */
export async function createAppointmentTypeAction(input: unknown): Promise<ActionState<AdminAppointmentTypeDto>> {
  return runAction(async (caller) => {
    const created = await createAppointmentType(await getDb(), caller, createAppointmentTypeSchema.parse(input));
    revalidatePath(PAGE);
    return created;
  });
}

export async function updateAppointmentTypeAction(id: unknown, input: unknown): Promise<ActionState<AdminAppointmentTypeDto>> {
  return runAction(async (caller) => {
    const saved = await updateAppointmentType(await getDb(), caller, { id: positiveId.parse(id), changes: updateAppointmentTypeSchema.parse(input) });
    revalidatePath(PAGE);
    return saved;
  });
}

export async function archiveAppointmentTypeAction(id: unknown, input: unknown): Promise<ActionState<AdminAppointmentTypeDto>> {
  return runAction(async (caller) => {
    const { version } = appointmentTypeVersionSchema.parse(input);
    const saved = await setAppointmentTypeArchived(await getDb(), caller, { id: positiveId.parse(id), version, archived: true });
    revalidatePath(PAGE);
    return saved;
  });
}

export async function restoreAppointmentTypeAction(id: unknown, input: unknown): Promise<ActionState<AdminAppointmentTypeDto>> {
  return runAction(async (caller) => {
    const { version } = appointmentTypeVersionSchema.parse(input);
    const saved = await setAppointmentTypeArchived(await getDb(), caller, { id: positiveId.parse(id), version, archived: false });
    revalidatePath(PAGE);
    return saved;
  });
}
