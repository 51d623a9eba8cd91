import 'server-only';
import { and, eq } from 'drizzle-orm';
import { google, type calendar_v3 } from 'googleapis';
import type { DbOrTx } from '../../db/client';
import { accounts } from '../../db/schema';

/**
 * The only place googleapis is set up. `GOOGLE_API_ROOT_URL` and `GOOGLE_OAUTH_TOKEN_URL` point it
 * at local fakes in tests; in production both are Google's.
 */

export interface GoogleGrant {
  userId: number;
  refreshToken: string;
  accessToken: string | null;
  expiresAt: number | null;
}

/** The member's stored Google grant (Auth.js keeps it in `accounts`), or null. */
export async function loadGrant(db: DbOrTx, userId: number): Promise<GoogleGrant | null> {
  const [row] = await db
    .select({ refreshToken: accounts.refreshToken, accessToken: accounts.accessToken, expiresAt: accounts.expiresAt })
    .from(accounts)
    .where(and(eq(accounts.userId, userId), eq(accounts.provider, 'google')))
    .limit(1);
  if (!row?.refreshToken) return null;
  return { userId, refreshToken: row.refreshToken, accessToken: row.accessToken, expiresAt: row.expiresAt };
}

/**
 * A Calendar v3 client acting for one member. The access token is refreshed through the token
 * endpoint when it expires, and the new one is stored (never logged). gaxios's own retries are off:
 * the outbox retries with its backoff, and a sync runs again on the next notification or cron.
 */
export function calendarFor(db: DbOrTx, grant: GoogleGrant): calendar_v3.Calendar {
  const tokenUrl = process.env.GOOGLE_OAUTH_TOKEN_URL;
  const auth = new google.auth.OAuth2({
    clientId: process.env.AUTH_GOOGLE_ID,
    clientSecret: process.env.AUTH_GOOGLE_SECRET,
    // A 401 (the access token expired or was revoked before its stored expiry) refreshes and retries once.
    forceRefreshOnFailure: true,
    ...(tokenUrl ? { endpoints: { oauth2TokenUrl: tokenUrl } } : {}),
  });
  auth.setCredentials({
    refresh_token: grant.refreshToken,
    access_token: grant.accessToken ?? undefined,
    expiry_date: grant.expiresAt ? grant.expiresAt * 1000 : undefined,
  });
  auth.on('tokens', (tokens) => {
    if (!tokens.access_token) return;
    const expiresAt = tokens.expiry_date ? Math.floor(tokens.expiry_date / 1000) : null;
    void db
      .update(accounts)
      .set({ accessToken: tokens.access_token, expiresAt, updatedAt: new Date() })
      .where(and(eq(accounts.userId, grant.userId), eq(accounts.provider, 'google')))
      .catch(() => {
        /* the next refresh stores it again */
      });
  });
  return google.calendar({ version: 'v3', auth, rootUrl: process.env.GOOGLE_API_ROOT_URL || undefined, retry: false, timeout: 15_000 });
}

interface GaxiosLike {
  status?: number;
  code?: string | number;
  message?: string;
  response?: { status?: number; data?: unknown };
}

/** What a failed Google call means for us. */
export interface GoogleFailure {
  status: number | null;
  /** errors[0].reason of Google's error body, or the OAuth error ("invalid_grant") */
  reason: string | null;
  /** the grant is gone (revoked, expired, deleted): only the member reconnecting helps */
  revoked: boolean;
  /** worth trying again later (5xx, timeouts, quota) */
  transient: boolean;
  /** a message safe to store and show: no tokens, no request details */
  message: string;
}

export function describeGoogleError(err: unknown): GoogleFailure {
  const e = (err ?? {}) as GaxiosLike;
  const status = e.response?.status ?? (typeof e.status === 'number' ? e.status : null);
  const data = e.response?.data as { error?: unknown; error_description?: string } | undefined;
  let reason: string | null = null;
  if (typeof data?.error === 'string') reason = data.error;
  else if (e.message === 'invalid_grant') reason = 'invalid_grant';
  else if (data?.error && typeof data.error === 'object') {
    const first = (data.error as { errors?: Array<{ reason?: string }> }).errors?.[0]?.reason;
    reason = first ?? null;
  }
  const revoked = reason === 'invalid_grant' || reason === 'unauthorized_client';
  const quota = reason === 'rateLimitExceeded' || reason === 'userRateLimitExceeded' || reason === 'usageLimits' || reason === 'quotaExceeded';
  const transient = !revoked && (status === null || status >= 500 || status === 429 || (status === 403 && quota) || status === 408 || status === 401);
  const what = status
    ? `Google answered ${status}${reason ? ` (${reason})` : ''}`
    : `Google request failed: ${e.code ?? (err instanceof Error ? err.name : 'error')}`;
  return { status, reason, revoked, transient, message: what };
}
