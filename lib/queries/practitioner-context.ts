import 'server-only';
import { mayManage } from '../auth/access';
import type { UserCaller } from '../auth/session';
import { getDb } from '../db/client';
import { listPractitioners, type PractitionerDto } from './clinic';

export interface PractitionerContext {
  practitioners: PractitionerDto[];
  practitioner: PractitionerDto | null;
  canManage: boolean;
}

/**
 * Which practitioner a page shows: `?practitioner=<id>` when given (any colleague of the caller's
 * clinic; anything else is null, which the page answers with a 404), else the caller themself,
 * else the clinic's first practitioner.
 */
export async function loadPractitionerContext(caller: UserCaller, requested: string | undefined): Promise<PractitionerContext | null> {
  const practitioners = await listPractitioners(await getDb(), caller.clinicId);
  let practitioner: PractitionerDto | null;
  if (requested !== undefined) {
    practitioner = practitioners.find((p) => String(p.id) === requested) ?? null;
    if (!practitioner) return null;
  } else {
    practitioner = practitioners.find((p) => p.id === caller.userId) ?? practitioners[0] ?? null;
  }
  return { practitioners, practitioner, canManage: practitioner ? mayManage(caller, practitioner.id) : false };
}
