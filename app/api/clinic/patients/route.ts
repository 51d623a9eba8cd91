import { idempotent } from '@/lib/api/idempotency';
import { parseQuery, readJson, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { findPatientsByLineUserId, searchPatients } from '@/lib/queries/patients';
import { findOrCreatePatient } from '@/lib/services/patients';
import { operations } from './operation';

/** The patient a LINE chat is with, found by LINE user id: `[]` or `[patient]`; for staff, a search by name, phone or LINE id. */
export const GET = route(operations.GET, async ({ caller, url }) => {
  const query = parseQuery(url, operations.GET.query);
  if ('line_user_id' in query) return { body: await findPatientsByLineUserId(await getDb(), caller, { lineUserId: query.line_user_id }) };
  // The agent finds only the patient it is chatting with: the clinic's patients are not listed to it.
  if (caller.kind !== 'user') {
    throw new AppError('validation_error', 'The request is not valid', {
      issues: [{ path: ['line_user_id'], code: 'invalid_type', message: 'line_user_id is required' }],
    });
  }
  return { body: await searchPatients(await getDb(), caller, { q: query.q ?? '', limit: query.limit }) };
});

/** Find-or-create by line_user_id: 201 for a new patient, 200 with the existing one. */
export const POST = route(operations.POST, async ({ req, caller }) => {
  const body = await readJson(req, operations.POST.body);
  return idempotent(req, caller, body, async (tx) => {
    const { created, patient } = await findOrCreatePatient(tx, caller, body);
    return { status: created ? 201 : 200, body: patient };
  });
});
