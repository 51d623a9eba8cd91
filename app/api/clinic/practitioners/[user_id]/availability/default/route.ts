import { idParam, parseQuery, readJson, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { getWeeklySchedule } from '@/lib/queries/weekly-schedule';
import { replaceWeeklySchedule } from '@/lib/services/weekly-schedule';
import { operations } from './operation';

export const GET = route(operations.GET, async ({ params, caller }) => ({
  body: await getWeeklySchedule(await getDb(), caller, idParam(params.user_id, 'Practitioner')),
}));

export const PUT = route(operations.PUT, async ({ req, params, caller, url }) => {
  const practitionerId = idParam(params.user_id, 'Practitioner');
  const { confirm } = parseQuery(url, operations.PUT.query);
  const schedule = await readJson(req, operations.PUT.body);
  return { body: await replaceWeeklySchedule(await getDb(), caller, { practitionerId, schedule, confirm }) };
});
