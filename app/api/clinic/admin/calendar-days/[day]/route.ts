import { parseQuery, readJson, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { clinicDayRef, type ClinicDayRef } from '@/lib/schemas/clinic-calendar';
import { deleteClinicDay, updateClinicDay } from '@/lib/services/clinic-calendar';
import { operations } from './operation';

/** A path that is neither a real date nor an id names no day: 404, as ids do. */
function dayParam(value: string | string[] | undefined): ClinicDayRef {
  const parsed = typeof value === 'string' ? clinicDayRef.safeParse(value) : null;
  if (!parsed?.success) throw new AppError('not_found', 'No holiday or make-up workday on that date');
  return parsed.data;
}

export const PUT = route(operations.PUT, async ({ req, params, caller, url }) => {
  const ref = dayParam(params.day);
  const { confirm } = parseQuery(url, operations.PUT.query);
  const body = await readJson(req, operations.PUT.body);
  return { body: await updateClinicDay(await getDb(), caller, { ref, body, confirm }) };
});

export const DELETE = route(operations.DELETE, async ({ params, caller }) => {
  return { body: await deleteClinicDay(await getDb(), caller, { ref: dayParam(params.day) }) };
});
