import { idParam, parseQuery, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { getDayView, getMonthView } from '@/lib/queries/calendar';
import { operations } from './operation';

export const GET = route(operations.GET, async ({ params, caller, url }) => {
  const practitionerId = idParam(params.user_id, 'Practitioner');
  const query = parseQuery(url, operations.GET.query);
  const db = await getDb();
  return {
    body:
      'date' in query
        ? await getDayView(db, caller, { practitionerId, date: query.date })
        : await getMonthView(db, caller, { practitionerId, ...query }),
  };
});
