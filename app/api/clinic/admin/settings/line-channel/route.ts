import { readJson, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { removeClinicLineChannel, setClinicLineChannel } from '@/lib/services/clinic-line-channel';
import { operations } from './operation';

export const PUT = route(operations.PUT, async ({ req, caller }) => {
  const body = await readJson(req, operations.PUT.body);
  return { body: await setClinicLineChannel(await getDb(), caller, body) };
});

export const DELETE = route(operations.DELETE, async ({ caller }) => ({ body: await removeClinicLineChannel(await getDb(), caller) }));
