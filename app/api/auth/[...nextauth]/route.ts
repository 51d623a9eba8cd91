import type { NextRequest } from 'next/server';
import { handlers } from '@/auth';
import { deliverOutboxAfterResponse } from '@/lib/outbox/after-response';

/**
 * A sign-in callback may have connected Google Calendar (a `google.connect` job in the outbox): it
 * is delivered right after the answer, so the calendar is mirrored within seconds, not at the cron.
 */
function afterCallback(req: NextRequest): void {
  if (req.nextUrl.pathname.includes('/callback/')) deliverOutboxAfterResponse();
}

export async function GET(req: NextRequest): Promise<Response> {
  const res = await handlers.GET(req);
  afterCallback(req);
  return res;
}

export async function POST(req: NextRequest): Promise<Response> {
  const res = await handlers.POST(req);
  afterCallback(req);
  return res;
}
