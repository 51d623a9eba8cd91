import { isCronAuthorized } from '@/lib/api/cron';
import { errorJson, json } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { runOutbox } from '@/lib/outbox/delivery';
import { outboxHandlers } from '@/lib/outbox/handlers';
import { purgeExpired } from '@/lib/outbox/housekeeping';

export const dynamic = 'force-dynamic';
export const maxDuration = 60;

/**
 * The delivery run's budget, leaving maxDuration's last 15 s to tidy up and answer: no job is
 * claimed after it, and pushes still waiting on LINE then are aborted and retried later.
 * (A route module may export only Next.js's names, so it stays a local constant.)
 */
const DELIVERY_BUDGET_MS = (maxDuration - 15) * 1000;

/** Vercel cron (every minute): delivers due LINE jobs, with retries falling due within the budget (45 s), then tidies up. */
export async function GET(req: Request): Promise<Response> {
  if (!isCronAuthorized(req)) return errorJson(new AppError('unauthorized', 'Cron routes need the CRON_SECRET bearer token'));
  try {
    const db = await getDb();
    const report = await runOutbox(db, { handlers: outboxHandlers(), budgetMs: DELIVERY_BUDGET_MS });
    return json({ ...report, purged: await purgeExpired(db) });
  } catch (err) {
    return errorJson(err);
  }
}
