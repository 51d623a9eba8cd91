import { createHash } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import { callerLabel, type Caller } from '../auth/caller';
import { getDb } from '../db/client';
import { idempotencyKeys } from '../db/schema';
import { AppError } from '../errors';

const TTL_MS = 24 * 60 * 60 * 1000;
/** responseStatus of a claimed key whose request is still running */
const IN_PROGRESS = 0;
/** a claim this old belongs to a request that died (crash, timeout): take it over */
const STALE_CLAIM_MS = 60 * 1000;

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, stable((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** Method, path and body with its keys sorted: the same request however its JSON was spelled. */
function requestHash(req: Request, body: unknown): string {
  return createHash('sha256').update(`${req.method} ${new URL(req.url).pathname}\n${JSON.stringify(stable(body))}`).digest('hex');
}

/**
 * The contract's Idempotency-Key for creating requests: a repeat with the same key and body within
 * 24 hours gets the first (successful) answer and creates nothing; the same key with another body
 * is 409 idempotency_conflict. The key is claimed before the work runs, so two concurrent repeats
 * (a double tap) cannot both create. Failed requests release the key, so they can be retried.
 */
export async function idempotent(req: Request, caller: Caller, body: unknown, run: () => Promise<{ status: number; body: unknown }>): Promise<{ status: number; body: unknown }> {
  const key = req.headers.get('idempotency-key');
  if (key === null) return run();
  if (key.length === 0 || key.length > 255) throw new AppError('validation_error', 'Idempotency-Key must be 1 to 255 characters');
  const db = await getDb();
  const who = callerLabel(caller);
  const hash = requestHash(req, body);
  await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.caller, who), eq(idempotencyKeys.key, key), lt(idempotencyKeys.createdAt, new Date(Date.now() - TTL_MS))));
  const claimed = await db.insert(idempotencyKeys)
    .values({ caller: who, key, requestHash: hash, responseStatus: IN_PROGRESS, responseBody: {} })
    .onConflictDoNothing().returning({ id: idempotencyKeys.id });
  if (claimed.length === 0) {
    const [existing] = await db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.caller, who), eq(idempotencyKeys.key, key)));
    if (!existing) return idempotent(req, caller, body, run);
    if (existing.requestHash !== hash) throw new AppError('idempotency_conflict', 'This Idempotency-Key was used with a different request');
    if (existing.responseStatus === IN_PROGRESS) {
      if (Date.now() - existing.createdAt.getTime() > STALE_CLAIM_MS) {
        await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.id, existing.id), eq(idempotencyKeys.responseStatus, IN_PROGRESS)));
        return idempotent(req, caller, body, run);
      }
      throw new AppError('idempotency_conflict', 'A request with this Idempotency-Key is still in progress');
    }
    return { status: existing.responseStatus, body: existing.responseBody };
  }
  const id = claimed[0]!.id;
  try {
    const result = await run();
    if (result.status >= 200 && result.status < 300) {
      await db.update(idempotencyKeys).set({ responseStatus: result.status, responseBody: result.body as object }).where(eq(idempotencyKeys.id, id));
    } else {
      await db.delete(idempotencyKeys).where(eq(idempotencyKeys.id, id));
    }
    return result;
  } catch (err) {
    await db.delete(idempotencyKeys).where(eq(idempotencyKeys.id, id));
    throw err;
  }
}
