'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { runAction } from '@/lib/actions';
import { getDb } from '@/lib/db/client';
import type { ActionState } from '@/lib/errors';
import { positiveId } from '@/lib/schemas/common';
import { createAgentKeyByAdmin, revokeAgentKey } from '@/lib/services/agent-keys';

const keyName = z.string().trim().min(1, 'Give the key a name').max(100);

export async function createAgentKeyAction(name: unknown): Promise<ActionState<{ key: string; prefix: string }>> {
  return runAction(async (caller) => {
    const created = await createAgentKeyByAdmin(await getDb(), caller, keyName.parse(name));
    revalidatePath('/settings/agent-keys');
    return { key: created.key, prefix: created.prefix };
  });
}

export async function revokeAgentKeyAction(id: unknown): Promise<ActionState<{ revoked: true }>> {
  return runAction(async (caller) => {
    await revokeAgentKey(await getDb(), caller, positiveId.parse(id));
    revalidatePath('/settings/agent-keys');
    return { revoked: true as const };
  });
}
