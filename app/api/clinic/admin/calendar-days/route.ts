import { idempotent } from '@/lib/api/idempotency';
import { parseQuery, readJson, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { listClinicDays } from '@/lib/queries/clinic-calendar';
import { createClinicDay } from '@/lib/services/clinic-calendar';
import { operations } from './operation';

export const GET = route(operations.GET, async ({ caller, url }) => {
  const { year } = parseQuery(url, operations.GET.query);
  return { body: await listClinicDays(await getDb(), caller, { year }) };
});

export const POST = route(operations.POST, async ({ req, caller, url }) => {
  const { confirm } = parseQuery(url, operations.POST.query);
  const body = await readJson(req, operations.POST.body);
  return idempotent(req, caller, body, async (tx) => ({ status: 201, body: await createClinicDay(tx, caller, { body, confirm }) }));
});
