import { route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { listMembers } from '@/lib/queries/members';
import { operations } from './operation';

export const GET = route(operations.GET, async ({ caller }) => ({ body: await listMembers(await getDb(), caller) }));
