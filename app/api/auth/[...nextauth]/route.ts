import type { NextRequest } from 'next/server';
import { handlers } from '@/auth';
import { outboxMark } from '@/lib/db/outbox-mark';
import { deliverOutboxAfterResponse } from '@/lib/outbox/after-response';

/**
 * A sign-in callback may have connected Google Calendar (a `google.connect` job in the outbox): it
 * is delivered right after the answer, so the calendar is mirrored within seconds, not at the cron.
 */
async function answering(req: NextRequest, handler: (req: NextRequest) => Promise<Response>): Promise<Response> {
  const mark = outboxMark();
  const res = await handler(req);
  deliverOutboxAfterResponse(mark);
  return res;
}

export const GET = (req: NextRequest) => answering(req, handlers.GET);
export const POST = (req: NextRequest) => answering(req, handlers.POST);
