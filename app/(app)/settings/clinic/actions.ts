'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { runAction } from '@/lib/actions';
import { getDb } from '@/lib/db/client';
import type { ActionState } from '@/lib/errors';
import { testClinicLineChannel } from '@/lib/integrations/line/channel-test';
import type { ClinicSettingsDto, LineChannelTestResultDto } from '@/lib/schemas/responses';
import { lineChannelSchema, lineChannelTestSchema, updateClinicSettingsSchema } from '@/lib/schemas/clinic-settings';
import { removeClinicLineChannel, setClinicLineChannel } from '@/lib/services/clinic-line-channel';
import { updateClinicSettings } from '@/lib/services/clinic-settings';

const PAGE = '/settings/clinic';

/** The settings form: the same service and schema as PATCH /api/clinic/admin/settings (`confirm` = ?confirm=true). */
export async function updateClinicSettingsAction(input: unknown, confirm: unknown): Promise<ActionState<ClinicSettingsDto>> {
  return runAction(async (caller) => {
    const changes = updateClinicSettingsSchema.parse(input);
    const saved = await updateClinicSettings(await getDb(), caller, { changes, confirm: z.boolean().parse(confirm) });
    revalidatePath(PAGE);
    return saved;
  });
}

export async function setLineChannelAction(input: unknown): Promise<ActionState<ClinicSettingsDto>> {
  return runAction(async (caller) => {
    const saved = await setClinicLineChannel(await getDb(), caller, lineChannelSchema.parse(input));
    revalidatePath(PAGE);
    return saved;
  });
}

export async function removeLineChannelAction(): Promise<ActionState<ClinicSettingsDto>> {
  return runAction(async (caller) => {
    const saved = await removeClinicLineChannel(await getDb(), caller);
    revalidatePath(PAGE);
    return saved;
  });
}

export async function testLineChannelAction(input: unknown): Promise<ActionState<LineChannelTestResultDto>> {
  return runAction(async (caller) => {
    const { line_user_id } = lineChannelTestSchema.parse(input);
    return testClinicLineChannel(await getDb(), caller, { lineUserId: line_user_id });
  });
}
