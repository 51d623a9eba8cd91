import type { ActionOutcome } from '../ui/action-error';

/** The reasons a member change is a 409 conflict (lib/services/members.ts), each with its own sentence (`members.conflict_<reason>`). */
export type ConflictReason =
  'member_exists' | 'invitation_exists' | 'invitation_accepted' | 'last_admin' | 'self_deactivation' | 'future_appointments';

export function conflictReason(outcome: ActionOutcome): ConflictReason | null {
  if (outcome.status !== 'error' || outcome.code !== 'conflict') return null;
  const reason = (outcome.details as { reason?: unknown } | undefined)?.reason;
  return typeof reason === 'string' ? (reason as ConflictReason) : null;
}
