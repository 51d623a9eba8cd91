import { idempotent } from '@/lib/api/idempotency';
import { readJson, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { clinicSnapshot } from '@/lib/queries/clinic-cache';
import { holdSlot } from '@/lib/services/holds';
import { operations } from './operation';

export const POST = route(operations.POST, async ({ req, caller }) => {
  const body = await readJson(req, operations.POST.body);
  // Read before the transaction (no second connection while it holds one); warm, it costs no query.
  const clinic = await clinicSnapshot(await getDb(), caller);
  return idempotent(req, caller, body, async (tx) => ({ status: 201, body: await holdSlot(tx, caller, { ...body, clinic }) }));
});
