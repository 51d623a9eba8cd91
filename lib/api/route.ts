import { NextResponse } from 'next/server';
import type { ZodType } from 'zod';
import { callerFromRequest, type Caller } from '../auth/caller';
import { AppError, toErrorBody, validationError } from '../errors';
import { deliverOutboxAfterResponse } from '../outbox/after-response';
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
  return NextResponse.json(body, { status });
}

export function errorJson(err: unknown): Response {
  const { status, body } = toErrorBody(err);
  const res = json(body, status);
  const retry = 'error' in body && body.error === 'rate_limited' ? (body.details as { retry_after_seconds?: number })?.retry_after_seconds : undefined;
  if (retry) res.headers.set('Retry-After', String(retry));
  return res;
}

/**
 * The one wrapper of every contract route: authenticates (session or agent key), lets the
 * handler parse and call a service, and turns whatever is thrown into the contract's error shape.
 */
export function route<P extends Params = Params>(
  options: { allow: Array<Caller['kind']> },
  handler: (ctx: RouteContext<P>) => Promise<Reply>,
) {
  return async (req: Request, context: { params: Promise<P> }): Promise<Response> => {
    try {
      const caller = await callerFromRequest(req);
      if (!caller) throw new AppError('unauthorized', 'Sign in or send an agent key');
      if (!options.allow.includes(caller.kind)) throw new AppError('forbidden', 'This caller may not use this endpoint');
      await enforceAgentRateLimit(caller);
      const params = (await context.params) ?? ({} as P);
      const reply = await handler({ req, params, caller, url: new URL(req.url) });
      const res = reply instanceof Response ? reply : json(reply.body, reply.status ?? 200);
      // A change may have put LINE or Google work into the outbox.
      if (req.method !== 'GET' && res.ok) deliverOutboxAfterResponse();
      return res;
    } catch (err) {
      return errorJson(err);
    }
  };
}

/** Reads and validates a JSON body; a missing or malformed body is a validation error. */
export async function readJson<T>(req: Request, schema: ZodType<T>): Promise<T> {
  let raw: unknown;
  try {
    raw = await req.json();
  } catch {
    throw new AppError('validation_error', 'The body must be JSON', { issues: [{ path: [], code: 'invalid_json', message: 'Body is not valid JSON' }] });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

export function parseQuery<T>(url: URL, schema: ZodType<T>): T {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** Path ids: anything that is not a positive integer names nothing, so it is a 404. */
export function idParam(value: string | string[] | undefined, what: string): number {
  const n = typeof value === 'string' && /^[1-9]\d{0,9}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n > 2_147_483_647) throw new AppError('not_found', `${what} not found`);
  return n;
}
