import 'server-only';

/**
 * How many outbox jobs this process has written or made due again (committed or not; a delivery
 * an admin retries counts). A request notes it before its work and asks for an outbox run after
 * its response only when it moved: a booking with nothing to tell LINE or Google costs no outbox
 * round trips. Another request's job moving it too only means one more run. Jobs due later
 * (automatic retries) are the cron job's, as ever.
 */
let written = 0;

export function noteOutboxJobWritten(): void {
  written += 1;
}

export function outboxMark(): number {
  return written;
}
