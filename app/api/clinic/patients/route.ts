import { idempotent } from '@/lib/api/idempotency';
import { readJson, route } from '@/lib/api/route';
import { findOrCreatePatient } from '@/lib/services/patients';
import { operations } from './operation';

/** Find-or-create by line_user_id: 201 for a new patient, 200 with the existing one. */
export const POST = route(operations.POST, async ({ req, caller }) => {
  const body = await readJson(req, operations.POST.body);
  return idempotent(req, caller, body, async (tx) => {
    const { created, patient } = await findOrCreatePatient(tx, caller, body);
    return { status: created ? 201 : 200, body: patient };
  });
});
