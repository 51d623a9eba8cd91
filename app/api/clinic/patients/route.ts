import { idempotent } from '@/lib/api/idempotency';
import { readJson, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { createPatientSchema } from '@/lib/schemas/agent';
import { findOrCreatePatient } from '@/lib/services/patients';

/** Find-or-create by line_user_id: 201 for a new patient, 200 with the existing one. */
export const POST = route({ allow: ['agent', 'user'] }, async ({ req, caller }) => {
  const body = await readJson(req, createPatientSchema);
  return idempotent(req, caller, body, async () => {
    const { created, patient } = await findOrCreatePatient(await getDb(), caller, body);
    return { status: created ? 201 : 200, body: patient };
  });
});
