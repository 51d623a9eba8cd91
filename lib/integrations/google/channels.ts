import 'server-only';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull, lt, ne } from 'drizzle-orm';
import type { calendar_v3 } from 'googleapis';
import type { DbOrTx } from '../../db/client';
import { googleChannels } from '../../db/schema';
import type { GoogleConnectionRow } from '../../queries/google';
import { describeGoogleError } from './client';

/** Google's default and longest life of an events watch channel. */
const CHANNEL_LIFE_MS = 7 * 24 * 3600_000;
/** Channels are renewed this long before they expire (CONTRACT.md: within 24 hours). */
export const RENEW_WITHIN_MS = 24 * 3600_000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Whether a notification's token is the one issued for the channel (constant time). */
export function tokenMatches(token: string, tokenHash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(tokenHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function webhookAddress(): string {
  const base = process.env.APP_BASE_URL ?? process.env.AUTH_URL ?? 'http://localhost:3000';
  return `${base.replace(/\/+$/, '')}/api/webhooks/google-calendar`;
}

/**
 * Opens a watch channel on the connection's calendar, to exactly APP_BASE_URL's webhook, with a
 * random id and a random token (only its hash is stored). Older channels stay live until
 * `stopOtherChannels`: renewal overlaps old and new, so no change falls between them.
 */
export async function openChannel(db: DbOrTx, calendar: calendar_v3.Calendar, connection: GoogleConnectionRow, now: Date, signal?: AbortSignal) {
  const id = randomUUID();
  const token = randomBytes(24).toString('base64url');
  const { data } = await calendar.events.watch(
    {
      calendarId: connection.calendarId,
      requestBody: { id, type: 'web_hook', address: webhookAddress(), token, expiration: String(now.getTime() + CHANNEL_LIFE_MS) },
    },
    { signal },
  );
  const expiresAt = data.expiration ? new Date(Number(data.expiration)) : new Date(now.getTime() + CHANNEL_LIFE_MS);
  const [row] = await db
    .insert(googleChannels)
    .values({
      connectionId: connection.id,
      channelId: id,
      tokenHash: hashToken(token),
      resourceId: data.resourceId ?? null,
      expiresAt,
    })
    .returning();
  return row!;
}

/** Stops every live channel of a connection but `keep` (404 = Google already forgot it). */
export async function stopOtherChannels(
  db: DbOrTx,
  calendar: calendar_v3.Calendar | null,
  connectionId: number,
  keep: number | null,
  now: Date,
  signal?: AbortSignal,
) {
  const live = await db
    .select()
    .from(googleChannels)
    .where(and(eq(googleChannels.connectionId, connectionId), isNull(googleChannels.stoppedAt), ...(keep ? [ne(googleChannels.id, keep)] : [])));
  for (const channel of live) {
    if (calendar && channel.expiresAt > now) {
      try {
        await calendar.channels.stop({ requestBody: { id: channel.channelId, resourceId: channel.resourceId ?? undefined } }, { signal });
      } catch (err) {
        if (describeGoogleError(err).status !== 404) throw err;
      }
    }
    await db.update(googleChannels).set({ stoppedAt: now }).where(eq(googleChannels.id, channel.id));
  }
  // Long-dead rows are history nobody needs.
  await db
    .delete(googleChannels)
    .where(and(eq(googleChannels.connectionId, connectionId), lt(googleChannels.expiresAt, new Date(now.getTime() - 30 * 24 * 3600_000))));
}
