import 'server-only';
import { deliverLinePush } from '../integrations/line/push';
import type { Handlers } from './delivery';

/**
 * The outside services the outbox delivers to today. Google jobs (google.upsert_event,
 * google.delete_event) wait, pending, until the Google Calendar sync registers its handlers.
 */
export function outboxHandlers(): Handlers {
  return { 'line.push': deliverLinePush };
}
