import 'server-only';
import { timingSafeEqual } from 'node:crypto';

/** Cron routes require `Authorization: Bearer $CRON_SECRET`; without a configured secret, nobody. */
export function isCronAuthorized(req: Request): boolean {
  const secret = process.env.CRON_SECRET;
  const header = req.headers.get('authorization') ?? '';
  if (!secret) return false;
  const expected = Buffer.from(`Bearer ${secret}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
