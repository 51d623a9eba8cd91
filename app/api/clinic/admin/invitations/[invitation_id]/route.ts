import { idParam, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { withdrawInvitation } from '@/lib/services/members';
import { operations } from './operation';

export const DELETE = route(operations.DELETE, async ({ params, caller }) => ({
  body: await withdrawInvitation(await getDb(), caller, idParam(params.invitation_id, 'Invitation')),
}));
