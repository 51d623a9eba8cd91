import { isCronAuthorized } from '@/lib/api/cron';
import { errorJson, json } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { runOutbox } from '@/lib/outbox/delivery';
import { outboxHandlers } from '@/lib/outbox/handlers';

export const dynamic = 'force-dynamic';
export const maxDuration = 60;

/** Vercel cron (every minute): delivers due LINE jobs, with retries falling due within ~45 s. */
export async function GET(req: Request): Promise<Response> {
  if (!isCronAuthorized(req)) return errorJson(new AppError('unauthorized', 'Cron routes need the CRON_SECRET bearer token'));
  try {
    const report = await runOutbox(await getDb(), { handlers: outboxHandlers(), budgetMs: 45_000 });
    return json(report);
  } catch (err) {
    return errorJson(err);
  }
}
