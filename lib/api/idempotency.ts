import 'server-only';
import { createHash } from 'node:crypto';
import { and, eq, lt, sql } from 'drizzle-orm';
import { callerLabel, type Caller } from '../auth/caller';
import { getDb, type DbOrTx } from '../db/client';
import { idempotencyKeys } from '../db/schema';
import { inTransaction } from '../db/transaction';
import { AppError, sqlStateOf } from '../errors';

const TTL_MS = 24 * 60 * 60 * 1000;
/** A placeholder status for the claim row; it is never visible to others (uncommitted). */
const CLAIMED = 0;

/** How long a repeat waits for the first request with its key (contract: at most 10 s). */
function waitMs(): number {
  const n = Number(process.env.IDEMPOTENCY_WAIT_MS ?? 10_000);
  return Number.isFinite(n) && n > 0 ? Math.min(n, 10_000) : 10_000;
}

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, stable((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * Method, path, query (sorted) and body with its keys sorted: the same request however its JSON
 * or query was spelled. The query counts: `?confirm=true` is another request than without it.
 */
function requestHash(req: Request, body: unknown): string {
  const url = new URL(req.url);
  const query = [...url.searchParams.entries()].sort(([a, x], [b, y]) => a.localeCompare(b) || x.localeCompare(y));
  return createHash('sha256')
    .update(`${req.method} ${url.pathname}\n${JSON.stringify(query)}\n${JSON.stringify(stable(body))}`)
    .digest('hex');
}

/** A non-2xx answer: the transaction rolls back (the key stays free), the answer still goes out. */
class Unstored {
  constructor(readonly result: { status: number; body: unknown }) {}
}

/**
 * The contract's Idempotency-Key for creating requests.
 *
 * The key is claimed by inserting its row in the same transaction as the change, and the answer
 * is written into that row before the commit: a process killed after the commit can neither lose
 * nor repeat the answer, and a process killed before it leaves nothing behind. A repeat that
 * arrives while the first is still running blocks on the uncommitted row (PostgreSQL's unique
 * index makes it wait for the first transaction), then returns the stored answer; it waits at most
 * IDEMPOTENCY_WAIT_MS (10 s), after which it is 409 idempotency_conflict. The same key with another
 * request is 409 idempotency_conflict. Only 2xx answers are stored: errors and warnings leave the
 * key free, so a `?confirm=true` retry or a corrected request can use it.
 */
export async function idempotent(
  req: Request,
  caller: Caller,
  body: unknown,
  run: (tx: DbOrTx) => Promise<{ status: number; body: unknown }>,
): Promise<{ status: number; body: unknown }> {
  const key = req.headers.get('idempotency-key');
  if (key === null) return run(await getDb());
  if (key.length === 0 || key.length > 255 || /[\u0000-\u001f\u007f]/.test(key)) {
    throw new AppError('validation_error', 'Idempotency-Key must be 1 to 255 printable characters', {
      issues: [{ path: ['Idempotency-Key'], code: 'invalid_header', message: 'Use 1 to 255 printable characters' }],
    });
  }
  return once(caller, key, requestHash(req, body), run);
}

/**
 * A server action's double submit: the client sends a key it made for one intended change (a
 * booking sheet makes one per sheet), and a repeat with the same key and input returns the first
 * answer, exactly as a route's Idempotency-Key does (the same table, claimed in the change's
 * transaction; warnings and errors leave the key free). `scope` names the action, so one key
 * cannot answer another action; action keys live apart from the routes' keys.
 */
export async function idempotentAction<T>(caller: Caller, key: string, scope: string, input: unknown, run: (tx: DbOrTx) => Promise<T>): Promise<T> {
  if (key.length < 8 || key.length > 100 || /[\u0000-\u001f\u007f]/.test(key)) {
    throw new AppError('validation_error', 'The idempotency key must be 8 to 100 printable characters');
  }
  const hash = createHash('sha256')
    .update(`ACTION ${scope}\n${JSON.stringify(stable(input))}`)
    .digest('hex');
  const result = await once(caller, `action:${key}`, hash, async (tx) => ({ status: 200, body: await run(tx) }));
  return result.body as T;
}

async function once(
  caller: Caller,
  key: string,
  hash: string,
  run: (tx: DbOrTx) => Promise<{ status: number; body: unknown }>,
): Promise<{ status: number; body: unknown }> {
  const who = callerLabel(caller);
  let claiming = false;
  try {
    return await inTransaction(await getDb(), async (tx) => {
      await tx
        .delete(idempotencyKeys)
        .where(and(eq(idempotencyKeys.caller, who), eq(idempotencyKeys.key, key), lt(idempotencyKeys.createdAt, new Date(Date.now() - TTL_MS))));
      claiming = true;
      await tx.execute(sql.raw(`SET LOCAL lock_timeout = ${Math.round(waitMs())}`));
      const claimed = await tx
        .insert(idempotencyKeys)
        .values({ caller: who, key, requestHash: hash, responseStatus: CLAIMED, responseBody: {} })
        .onConflictDoNothing()
        .returning({ id: idempotencyKeys.id });
      await tx.execute(sql`SET LOCAL lock_timeout = DEFAULT`);
      claiming = false;
      if (claimed.length === 0) {
        const [stored] = await tx
          .select()
          .from(idempotencyKeys)
          .where(and(eq(idempotencyKeys.caller, who), eq(idempotencyKeys.key, key)));
        if (!stored || stored.responseStatus === CLAIMED)
          throw new AppError('idempotency_conflict', 'A request with this Idempotency-Key is still in progress');
        if (stored.requestHash !== hash) throw new AppError('idempotency_conflict', 'This Idempotency-Key was used with a different request');
        return { status: stored.responseStatus, body: stored.responseBody };
      }
      const result = await run(tx);
      if (result.status < 200 || result.status >= 300) throw new Unstored(result);
      await tx
        .update(idempotencyKeys)
        .set({ responseStatus: result.status, responseBody: result.body as object })
        .where(eq(idempotencyKeys.id, claimed[0]!.id));
      return result;
    });
  } catch (err) {
    if (err instanceof Unstored) return err.result;
    // lock_not_available while claiming: the first request with this key is still running.
    if (claiming && sqlStateOf(err) === '55P03') {
      throw new AppError('idempotency_conflict', 'A request with this Idempotency-Key is still in progress; try again shortly');
    }
    throw err;
  }
}
