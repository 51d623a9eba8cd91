import { idParam, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { releaseHold } from '@/lib/services/holds';
import { operations } from './operation';

export const DELETE = route(operations.DELETE, async ({ params, caller }) => {
  const holdId = idParam(params.hold_id, 'Hold');
  return { body: await releaseHold(await getDb(), caller, { holdId }) };
});
