import { idParam, parseQuery, readJson, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { confirmQuery } from '@/lib/schemas/common';
import { weeklyScheduleSchema } from '@/lib/schemas/weekly-schedule';
import { getWeeklySchedule, replaceWeeklySchedule } from '@/lib/services/weekly-schedule';

type Params = { user_id: string };

export const GET = route<Params>({ allow: ['user'] }, async ({ params, caller }) => ({
  body: await getWeeklySchedule(await getDb(), caller, idParam(params.user_id, 'Practitioner')),
}));

export const PUT = route<Params>({ allow: ['user'] }, async ({ req, params, caller, url }) => {
  const practitionerId = idParam(params.user_id, 'Practitioner');
  const { confirm } = parseQuery(url, confirmQuery);
  const schedule = await readJson(req, weeklyScheduleSchema);
  return { body: await replaceWeeklySchedule(await getDb(), caller, { practitionerId, schedule, confirm }) };
});
