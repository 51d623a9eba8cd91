import 'server-only';
import { deliverGoogleConnect, deliverGoogleDisconnect } from '../integrations/google/connection-jobs';
import { deliverGoogleDelete, deliverGoogleUpsert } from '../integrations/google/push';
import { deliverLinePush } from '../integrations/line/push';
import type { Handlers } from './delivery';

/** Every kind of outbox job and the outside service that delivers it. */
export function outboxHandlers(): Handlers {
  return {
    'line.push': deliverLinePush,
    'google.upsert_event': deliverGoogleUpsert,
    'google.delete_event': deliverGoogleDelete,
    'google.connect': deliverGoogleConnect,
    'google.disconnect': deliverGoogleDisconnect,
  };
}
