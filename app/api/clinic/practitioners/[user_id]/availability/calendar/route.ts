import { idParam, parseQuery, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { getDayView, getMonthView } from '@/lib/queries/calendar';
import { calendarQuerySchema } from '@/lib/schemas/calendar';

type Params = { user_id: string };

export const GET = route<Params>({ allow: ['user'] }, async ({ params, caller, url }) => {
  const practitionerId = idParam(params.user_id, 'Practitioner');
  const query = parseQuery(url, calendarQuerySchema);
  const db = await getDb();
  return { body: 'date' in query ? await getDayView(db, caller, { practitionerId, date: query.date }) : await getMonthView(db, caller, { practitionerId, ...query }) };
});
