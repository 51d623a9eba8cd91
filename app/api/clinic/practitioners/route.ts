import { route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { listPractitioners } from '@/lib/queries/clinic';

export const GET = route({ allow: ['user', 'agent'] }, async ({ caller }) => ({
  body: await listPractitioners(await getDb(), caller.clinicId),
}));
