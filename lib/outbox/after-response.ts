import { after } from 'next/server';
import { getDb } from '../db/client';
import { runOutbox } from './delivery';
import { outboxHandlers } from './handlers';

/**
 * Delivers the outbox after the response is sent (Next.js after()), so a patient hears of a
 * cancellation within seconds; the cron job picks up whatever this misses.
 */
export function deliverOutboxAfterResponse(): void {
  try {
    after(async () => {
      try {
        await runOutbox(await getDb(), { handlers: outboxHandlers(), budgetMs: 20_000 });
      } catch (err) {
        console.error('Outbox delivery after response failed; the cron job will retry', err);
      }
    });
  } catch {
    // Outside a request (scripts, tests calling handlers directly): the cron job delivers.
  }
}
