import 'server-only';
import { and, eq, isNull } from 'drizzle-orm';
import type { Caller } from './caller';
import type { DbOrTx } from '../db/client';
import { users } from '../db/schema';
import { AppError } from '../errors';

export interface PractitionerRef {
  id: number;
  name: string;
  clinicId: number;
}

/**
 * The practitioner behind a path id, as seen by the caller. Another clinic's practitioner (or an
 * id that is not a practitioner) is indistinguishable from a missing one: 404, before any read of
 * the practitioner's data.
 */
export async function findPractitionerForCaller(db: DbOrTx, caller: Caller, practitionerId: number): Promise<PractitionerRef> {
  const [row] = await db
    .select({ id: users.id, name: users.name, clinicId: users.clinicId })
    .from(users)
    .where(and(eq(users.id, practitionerId), eq(users.clinicId, caller.clinicId), eq(users.isPractitioner, true), isNull(users.deactivatedAt)));
  if (!row) throw new AppError('not_found', 'Practitioner not found');
  return row;
}

/**
 * Reads that show other patients' data or a practitioner's whole calendar (day and month views,
 * the weekly schedule): clinic members (staff) only. The agent is refused (403) before any lookup.
 */
export function assertMember(caller: Caller, what = 'This'): asserts caller is Extract<Caller, { kind: 'user' }> {
  if (caller.kind !== 'user') throw new AppError('forbidden', `${what} is for clinic members only, not the agent`);
}

/** Actions taken on the patient's behalf through the agent (e.g. cancel for the patient): the agent only. */
export function assertAgent(caller: Caller, what = 'This'): asserts caller is Extract<Caller, { kind: 'agent' }> {
  if (caller.kind !== 'agent') throw new AppError('forbidden', `${what} is for the clinic's agent only`);
}

/** Changing a practitioner's schedule, exceptions or appointments: themself or a clinic admin. */
export function assertMayManage(caller: Caller, practitioner: PractitionerRef): void {
  if (caller.kind !== 'user') throw new AppError('forbidden', 'Agents may not change schedules or exceptions');
  if (caller.userId !== practitioner.id && caller.role !== 'admin') {
    throw new AppError('forbidden', "Only the practitioner or a clinic admin may change this practitioner's calendar");
  }
}

/** Clinic-wide settings (agent keys, deliveries): the clinic's admins only. */
export function assertClinicAdmin(caller: Caller, what: string): asserts caller is Extract<Caller, { kind: 'user' }> {
  if (caller.kind !== 'user' || caller.role !== 'admin') throw new AppError('forbidden', `Only a clinic admin ${what}`);
}

export function mayManage(caller: Caller, practitionerId: number): boolean {
  return caller.kind === 'user' && (caller.userId === practitionerId || caller.role === 'admin');
}
