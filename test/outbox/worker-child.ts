// A delivery worker in its own process, for the crash test: it claims due jobs and delivers them
// with the real LINE handler, and is killed by the test while a push hangs.
import { getDb } from '../../lib/db/client';
import { deliverDueJobs } from '../../lib/outbox/delivery';
import { outboxHandlers } from '../../lib/outbox/handlers';

const db = await getDb();
console.log('worker started');
await deliverDueJobs(db, { handlers: outboxHandlers(), lockSeconds: Number(process.env.OUTBOX_LOCK_SECONDS ?? 60) });
console.log('worker finished');
process.exit(0);
