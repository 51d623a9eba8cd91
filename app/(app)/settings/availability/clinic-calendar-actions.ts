'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { runAction } from '@/lib/actions';
import { getDb } from '@/lib/db/client';
import type { ActionState } from '@/lib/errors';
import { positiveId } from '@/lib/schemas/common';
import { setObservesClinicCalendar } from '@/lib/services/clinic-calendar';

/** Follow the clinic's holidays and make-up workdays, or not (the practitioner themself or an admin; audited). */
export async function setObservesClinicCalendarAction(
  practitionerId: unknown,
  observes: unknown,
): Promise<ActionState<{ practitioner_id: number; observes_clinic_calendar: boolean }>> {
  return runAction(async (caller) => {
    const saved = await setObservesClinicCalendar(await getDb(), caller, {
      practitionerId: positiveId.parse(practitionerId),
      observes: z.boolean().parse(observes),
    });
    revalidatePath('/settings/availability');
    return saved;
  });
}
