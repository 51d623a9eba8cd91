import { idempotent } from '@/lib/api/idempotency';
import { parseQuery, readJson, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { findPatientsByLineUserId } from '@/lib/queries/patients';
import { findOrCreatePatient } from '@/lib/services/patients';
import { operations } from './operation';

/** The patient a LINE chat is with, found by LINE user id: `[]` or `[patient]`. */
export const GET = route(operations.GET, async ({ caller, url }) => {
  const { line_user_id } = parseQuery(url, operations.GET.query);
  return { body: await findPatientsByLineUserId(await getDb(), caller, { lineUserId: line_user_id }) };
});

/** Find-or-create by line_user_id: 201 for a new patient, 200 with the existing one. */
export const POST = route(operations.POST, async ({ req, caller }) => {
  const body = await readJson(req, operations.POST.body);
  return idempotent(req, caller, body, async (tx) => {
    const { created, patient } = await findOrCreatePatient(tx, caller, body);
    return { status: created ? 201 : 200, body: patient };
  });
});
