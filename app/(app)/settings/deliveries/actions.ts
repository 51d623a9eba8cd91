'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/actions';
import { getDb } from '@/lib/db/client';
import type { ActionState } from '@/lib/errors';
import { positiveId } from '@/lib/schemas/common';
import { retryDelivery } from '@/lib/services/deliveries';

export async function retryDeliveryAction(jobId: unknown): Promise<ActionState<{ retried: true }>> {
  return runAction(async (caller) => {
    await retryDelivery(await getDb(), caller, positiveId.parse(jobId));
    revalidatePath('/settings/deliveries');
    return { retried: true as const };
  });
}
