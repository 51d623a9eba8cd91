import { catalogTranslator, requestLocale } from '@/i18n/translator';
import { parseQuery, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { listActivity } from '@/lib/queries/activity';
import { operations } from './operation';

export const GET = route(operations.GET, async ({ req, caller, url }) => {
  const query = parseQuery(url, operations.GET.query);
  const locale = requestLocale(req);
  return { body: await listActivity(await getDb(), caller, query, { locale, t: await catalogTranslator(locale, 'activity') }) };
});
