import 'server-only';
import { NextResponse } from 'next/server';
import type { ZodType } from 'zod';
import { callerFromRequest, type Caller } from '../auth/caller';
import { AppError, toErrorBody, validationError } from '../errors';
import { outboxMark } from '../db/outbox-mark';
import { deliverOutboxAfterResponse } from '../outbox/after-response';
import type { Operation, PathParams } from './operation';
import { enforceAgentRateLimit } from './rate-limit';

type Params = Record<string, string | string[] | undefined>;

export interface RouteContext<P extends Params> {
  req: Request;
  params: P;
  caller: Caller;
  url: URL;
}

type Reply = Response | { status?: number; body: unknown };

export function json(body: unknown, status = 200): Response {
  return NextResponse.json(body, { status, headers: { 'X-Content-Type-Options': 'nosniff' } });
}

export function errorJson(err: unknown): Response {
  const { status, body } = toErrorBody(err);
  const res = json(body, status);
  // rate_limited and busy say when to come back.
  const retry = 'error' in body ? (body.details as { retry_after_seconds?: number } | undefined)?.retry_after_seconds : undefined;
  if (retry) res.headers.set('Retry-After', String(retry));
  return res;
}

/** The answer route() gives a caller that the operation's `allow` leaves out. */
export const NOT_ALLOWED_MESSAGE = 'This caller may not use this endpoint';

/**
 * The one wrapper of every contract route, made from the route's operation declaration (its
 * operation.ts): authenticates (session or agent key), refuses callers the operation does not
 * `allow` (403), lets the handler parse and call a service, and turns whatever is thrown into the
 * contract's error shape. The OpenAPI document shows the same `allow` as the operation's security.
 */
export function route<O extends Operation, P extends Params = PathParams<O['path']>>(op: O, handler: (ctx: RouteContext<P>) => Promise<Reply>) {
  return async (req: Request, context: { params: Promise<P> }): Promise<Response> => {
    const mark = outboxMark();
    try {
      const caller = await callerFromRequest(req);
      if (!caller) throw new AppError('unauthorized', 'Sign in or send an agent key');
      if (!op.allow.includes(caller.kind)) throw new AppError('forbidden', NOT_ALLOWED_MESSAGE);
      await enforceAgentRateLimit(caller);
      const params = (await context.params) ?? ({} as P);
      const reply = await handler({ req, params, caller, url: new URL(req.url) });
      const res = reply instanceof Response ? reply : json(reply.body, reply.status ?? 200);
      // A change may have put LINE or Google work into the outbox.
      if (req.method !== 'GET' && res.ok) deliverOutboxAfterResponse(mark);
      return res;
    } catch (err) {
      return errorJson(err);
    }
  };
}

/**
 * Reads and validates a JSON body; a missing or malformed body is a validation error. The body is
 * read as a stream and refused with 413 payload_too_large once it passes 64 KiB, so an oversized
 * body is never buffered whole. A schema that throws (a bug) is a validation error too, never a 500.
 */
export async function readJson<T>(req: Request, schema: ZodType<T>): Promise<T> {
  const maxBytes = 64 * 1024;
  const tooLarge = () => new AppError('payload_too_large', `The body must be at most ${maxBytes} bytes`, { max_bytes: maxBytes });
  const notJson = () =>
    new AppError('validation_error', 'The body must be JSON', { issues: [{ path: [], code: 'invalid_json', message: 'Body is not valid JSON' }] });
  const declared = req.headers.get('content-length');
  if (declared !== null && /^[0-9]+$/.test(declared.trim()) && Number(declared.trim()) > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > maxBytes) {
          void reader.cancel().catch(() => undefined);
          throw tooLarge();
        }
        chunks.push(value);
      }
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw notJson();
    } finally {
      reader.releaseLock();
    }
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  let raw: unknown;
  try {
    // fatal: bytes that are not UTF-8 are not JSON text; V8's JSON.parse is not recursive, so deep nesting cannot overflow the stack
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw notJson();
  }
  let parsed: ReturnType<ZodType<T>['safeParse']>;
  try {
    parsed = schema.safeParse(raw);
  } catch {
    throw new AppError('validation_error', 'The request is not valid', {
      issues: [{ path: [], code: 'custom', message: 'The body could not be validated' }],
    });
  }
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** Validates the query (every value is text); a schema that throws is a validation error, never a 500. */
export function parseQuery<T>(url: URL, schema: ZodType<T>): T {
  let parsed: ReturnType<ZodType<T>['safeParse']>;
  try {
    parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  } catch {
    throw new AppError('validation_error', 'The request is not valid', {
      issues: [{ path: [], code: 'custom', message: 'The query could not be validated' }],
    });
  }
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** Path ids: anything that is not a positive integer names nothing, so it is a 404. */
export function idParam(value: string | string[] | undefined, what: string): number {
  const n = typeof value === 'string' && /^[1-9]\d{0,9}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n > 2_147_483_647) throw new AppError('not_found', `${what} not found`);
  return n;
}
