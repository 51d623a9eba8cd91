import { parseQuery, readJson, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { importClinicCalendar } from '@/lib/services/clinic-calendar';
import { operations } from './operation';

export const POST = route(operations.POST, async ({ req, caller, url }) => {
  const { dryRun } = parseQuery(url, operations.POST.query);
  const body = await readJson(req, operations.POST.body);
  return { body: await importClinicCalendar(await getDb(), caller, { body, dryRun }) };
});
