import 'server-only';
import { mayManage } from '../auth/access';
import type { UserCaller } from '../auth/session';
import { getDb } from '../db/client';
import type { ClinicSettings, PractitionerDto } from './clinic';
import { clinicSnapshot } from './clinic-cache';

export interface PractitionerContext {
  practitioners: readonly PractitionerDto[];
  practitioner: PractitionerDto | null;
  canManage: boolean;
  /** the clinic's settings (its time zone: what "today" is) */
  clinic: Readonly<ClinicSettings>;
}

/**
 * Which practitioner a page shows: `?practitioner=<id>` when given (any colleague of the caller's
 * clinic; anything else is null, which the page answers with a 404), else the caller themself,
 * else the clinic's first practitioner.
 */
export async function loadPractitionerContext(caller: UserCaller, requested: string | undefined): Promise<PractitionerContext | null> {
  // The clinic's practitioners and settings as of the version read with the caller: from this
  // process's memory while no one has changed them (lib/queries/clinic-cache.ts), no query.
  const { practitioners, settings } = await clinicSnapshot(await getDb(), caller);
  let practitioner: PractitionerDto | null;
  if (requested !== undefined) {
    practitioner = practitioners.find((p) => String(p.id) === requested) ?? null;
    if (!practitioner) return null;
  } else {
    practitioner = practitioners.find((p) => p.id === caller.userId) ?? practitioners[0] ?? null;
  }
  return { practitioners, practitioner, canManage: practitioner ? mayManage(caller, practitioner.id) : false, clinic: settings };
}
