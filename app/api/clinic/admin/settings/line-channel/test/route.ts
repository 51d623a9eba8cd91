import { readJson, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { testClinicLineChannel } from '@/lib/integrations/line/channel-test';
import { operations } from './operation';

export const POST = route(operations.POST, async ({ req, caller }) => {
  const body = await readJson(req, operations.POST.body);
  return { body: await testClinicLineChannel(await getDb(), caller, { lineUserId: body.line_user_id }) };
});
