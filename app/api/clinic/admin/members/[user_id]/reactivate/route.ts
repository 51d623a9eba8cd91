import { idParam, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { reactivateMember } from '@/lib/services/members';
import { operations } from './operation';

export const POST = route(operations.POST, async ({ params, caller }) => ({
  body: await reactivateMember(await getDb(), caller, idParam(params.user_id, 'Member')),
}));
