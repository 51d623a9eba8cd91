import 'server-only';
import { after } from 'next/server';
import { getDb } from '../db/client';
import { outboxMark } from '../db/outbox-mark';
import { runOutbox } from './delivery';
import { outboxHandlers } from './handlers';

/**
 * The run's budget after a response (after() work counts against the request's function time): no
 * job is claimed after it, and a push still waiting on LINE then is aborted, its job retried here
 * or by the cron job.
 */
const BUDGET_MS = 20_000;
/** one push's limit here: a hanging LINE costs an attempt, not the whole budget */
const PUSH_TIMEOUT_MS = 10_000;

/**
 * Delivers the outbox after the response is sent (Next.js after()), so a patient hears of a
 * cancellation within seconds; the cron job picks up whatever this misses. With `since` (an
 * outboxMark() taken before the request's work), only when a job was written since.
 */
export function deliverOutboxAfterResponse(since?: number): void {
  if (since !== undefined && outboxMark() === since) return;
  try {
    after(async () => {
      try {
        await runOutbox(await getDb(), { handlers: outboxHandlers(), budgetMs: BUDGET_MS, timeoutMs: PUSH_TIMEOUT_MS });
      } catch (err) {
        console.error('Outbox delivery after response failed; the cron job will retry', err);
      }
    });
  } catch {
    // Outside a request (scripts, tests calling handlers directly): the cron job delivers.
  }
}
