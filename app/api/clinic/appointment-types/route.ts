import { route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { clinicSnapshot } from '@/lib/queries/clinic-cache';
import { operations } from './operation';

export const GET = route(operations.GET, async ({ caller }) => ({
  body: (await clinicSnapshot(await getDb(), caller)).appointmentTypes,
}));
