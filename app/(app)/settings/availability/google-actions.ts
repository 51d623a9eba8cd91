'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { signIn } from '@/auth';
import { runAction } from '@/lib/actions';
import { getDb } from '@/lib/db/client';
import type { ActionState } from '@/lib/errors';
import { positiveId } from '@/lib/schemas/common';
import { disconnectGoogleCalendar, setCountBusy } from '@/lib/services/google-connection';

// The Google Calendar section of the availability settings: the same services the API would use.

export async function disconnectGoogleAction(practitionerId: unknown): Promise<ActionState<{ disconnected: true }>> {
  return runAction(async (caller) => {
    await disconnectGoogleCalendar(await getDb(), caller, positiveId.parse(practitionerId));
    revalidatePath('/settings/availability');
    revalidatePath('/calendar');
    return { disconnected: true as const };
  });
}

export async function setCountBusyAction(practitionerId: unknown, on: unknown): Promise<ActionState<{ count_busy: boolean }>> {
  return runAction(async (caller) => {
    const value = z.boolean().parse(on);
    await setCountBusy(await getDb(), caller, positiveId.parse(practitionerId), value);
    revalidatePath('/settings/availability');
    return { count_busy: value };
  });
}

/** Connect (or reconnect) Google: Google's consent screen, then back to these settings, connected. */
export async function connectGoogleAction(): Promise<void> {
  await signIn('google', { redirectTo: '/settings/availability' });
}
