import 'server-only';
import { getDb } from '../db/client';
import { sessionUserId } from './session-token';
import { presentAgentKey, type AgentKeyMinute } from './agent-keys';
import { findUserById } from './users';

/**
 * Who is calling: a signed-in clinic member or a clinic's AI agent. Always tied to one clinic.
 * `clinicVersion` is the clinic's `cache_version` read with the caller (lib/queries/clinic-cache.ts
 * serves the clinic's settings, types and practitioners from memory while it holds); a caller made
 * without it costs that cache one version query.
 */
export type Caller =
  | { kind: 'user'; clinicId: number; userId: number; role: 'practitioner' | 'admin'; isPractitioner: boolean; name: string; clinicVersion?: number }
  | {
      kind: 'agent';
      clinicId: number;
      agentKeyId: number;
      clinicVersion?: number;
      /** this request's count in its key's minute, counted when the key was looked up (lib/api/rate-limit.ts reads it) */
      minute?: AgentKeyMinute;
    };

export function callerLabel(caller: Caller): string {
  return caller.kind === 'user' ? `user:${caller.userId}` : `agent:${caller.agentKeyId}`;
}

/** Loads the member behind a user id from a verified session; a deleted user is no caller. */
export async function userCaller(userId: number): Promise<Caller | null> {
  const member = await findUserById(userId);
  if (!member) return null;
  return {
    kind: 'user',
    clinicId: member.clinicId,
    userId: member.id,
    role: member.role,
    isPractitioner: member.isPractitioner,
    name: member.name,
    clinicVersion: member.clinicVersion,
  };
}

/**
 * Authenticates a route request: `Authorization: Bearer <agent key>`, else the Auth.js session
 * cookie. Reads only the request (no Next.js request context), so handlers run the same in tests.
 */
export async function callerFromRequest(req: Request): Promise<Caller | null> {
  const authorization = req.headers.get('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) return null;
    // The key is found and this request counted in its minute in one round trip.
    const key = await presentAgentKey(await getDb(), match[1]!);
    return key ? { kind: 'agent', clinicId: key.clinicId, agentKeyId: key.id, clinicVersion: key.clinicVersion, minute: key.minute } : null;
  }
  const userId = await sessionUserId(req.headers.get('cookie'), { secure: new URL(req.url).protocol === 'https:' });
  return userId === null ? null : userCaller(userId);
}
