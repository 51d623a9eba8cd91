import { parseQuery, readJson, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { getAdminClinicSettings } from '@/lib/queries/clinic-settings';
import { updateClinicSettings } from '@/lib/services/clinic-settings';
import { operations } from './operation';

export const GET = route(operations.GET, async ({ caller }) => ({ body: await getAdminClinicSettings(await getDb(), caller) }));

export const PATCH = route(operations.PATCH, async ({ req, caller, url }) => {
  const { confirm } = parseQuery(url, operations.PATCH.query);
  const changes = await readJson(req, operations.PATCH.body);
  return { body: await updateClinicSettings(await getDb(), caller, { changes, confirm }) };
});
