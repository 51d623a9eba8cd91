import { route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { listPractitioners } from '@/lib/queries/clinic';
import { operations } from './operation';

export const GET = route(operations.GET, async ({ caller }) => ({
  body: await listPractitioners(await getDb(), caller.clinicId),
}));
