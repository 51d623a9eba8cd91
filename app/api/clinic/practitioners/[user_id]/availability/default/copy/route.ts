import { idempotent } from '@/lib/api/idempotency';
import { idParam, parseQuery, readJson, route } from '@/lib/api/route';
import { copyWeeklySchedule } from '@/lib/services/schedule-copy';
import { operations } from './operation';

export const POST = route(operations.POST, async ({ req, params, caller, url }) => {
  const practitionerId = idParam(params.user_id, 'Practitioner');
  const { confirm } = parseQuery(url, operations.POST.query);
  const body = await readJson(req, operations.POST.body);
  return idempotent(req, caller, body, async (tx) => ({
    status: 200,
    body: await copyWeeklySchedule(tx, caller, { practitionerId, fromPractitionerId: body.from_practitioner_id, confirm }),
  }));
});
