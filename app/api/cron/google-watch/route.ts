import { isCronAuthorized } from '@/lib/api/cron';
import { errorJson, json } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { renewChannels, syncAllConnections } from '@/lib/integrations/google/maintenance';

export const dynamic = 'force-dynamic';
export const maxDuration = 60;

/**
 * Vercel cron (every 30 minutes): renews Google watch channels that expire within 24 hours (new one
 * first, then the old one stopped), then catches up every connected calendar with an incremental
 * sync, in case a notification was lost. Answers {renewed, failed, synced}.
 */
export async function GET(req: Request): Promise<Response> {
  if (!isCronAuthorized(req)) return errorJson(new AppError('unauthorized', 'Cron routes need the CRON_SECRET bearer token'));
  try {
    const db = await getDb();
    const now = () => new Date();
    const renewal = await renewChannels(db, { now, budgetMs: 20_000 });
    const sync = await syncAllConnections(db, { now, budgetMs: 20_000 });
    return json({ renewed: renewal.renewed, failed: renewal.failed, synced: sync.synced, sync_failed: sync.failed });
  } catch (err) {
    return errorJson(err);
  }
}
