import { runAfterResponse } from '@/lib/api/after-response';
import { errorJson, json } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { tokenMatches } from '@/lib/integrations/google/channels';
import { syncConnection } from '@/lib/integrations/google/sync';
import { runOutbox } from '@/lib/outbox/delivery';
import { outboxHandlers } from '@/lib/outbox/handlers';
import { findLiveChannel } from '@/lib/queries/google';

export const dynamic = 'force-dynamic';
export const maxDuration = 60;

const unauthorized = () => errorJson(new AppError('unauthorized', 'Unknown channel or wrong token'));

/**
 * Google's push notification for a watched calendar (an empty body, whatever its content type).
 * Only a channel we opened, with the token we gave it, is heard; anything else is 401 and changes
 * nothing. The answer goes out at once; the incremental sync runs after it (and on the cron).
 */
export async function POST(req: Request): Promise<Response> {
  const channelId = req.headers.get('x-goog-channel-id');
  const token = req.headers.get('x-goog-channel-token');
  if (!channelId || !token || channelId.length > 64 || token.length > 256) return unauthorized();
  try {
    const db = await getDb();
    const channel = await findLiveChannel(db, channelId, new Date());
    if (!channel || !tokenMatches(token, channel.tokenHash)) return unauthorized();
    const resourceId = req.headers.get('x-goog-resource-id');
    if (channel.resourceId && resourceId && resourceId !== channel.resourceId) return unauthorized();
    // "sync" only says the channel works; "exists"/"not_exists" say something changed.
    if (req.headers.get('x-goog-resource-state') !== 'sync') {
      // A failed sync is caught up by the next notification or the cron.
      runAfterResponse('Google sync after a notification', async () => {
        const db = await getDb();
        const report = await syncConnection(db, channel.connectionId);
        // Patients hear of what the sync changed (cancellations, moves) within seconds.
        if (report.changes > 0) await runOutbox(db, { handlers: outboxHandlers(), budgetMs: 20_000, timeoutMs: 10_000 });
      });
    }
    return json({ received: true });
  } catch (err) {
    return errorJson(err);
  }
}
