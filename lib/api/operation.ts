import type { ZodType } from 'zod';
import type { Caller } from '../auth/caller';

export type CallerKind = Caller['kind'];
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One successful answer of an operation; several with one status are alternatives (oneOf). */
export interface OperationResponse {
  status: 200 | 201;
  schema: ZodType;
  description: string;
}

/**
 * One contract operation, declared once beside its route (the route folder's operation.ts): the
 * route's handler is made from it (`route(op, handler)`, which enforces `allow`), the handler
 * parses its `query` and `body` with these schemas, and the OpenAPI document is generated from it
 * (security from `allow`, path parameters from the `{name}`s of `path`).
 */
export interface Operation {
  method: HttpMethod;
  /** OpenAPI path, e.g. `/api/clinic/practitioners/{user_id}/availability/default` */
  path: `/api/${string}`;
  operationId: string;
  summary: string;
  description?: string;
  /** Who may call: enforced by route() (anyone else gets 403) and shown as the operation's security. */
  allow: readonly CallerKind[];
  /** Query parameters (an object, or a union of objects for alternative forms). */
  query?: ZodType;
  /** The JSON body. */
  body?: ZodType;
  responses: readonly OperationResponse[];
  /** May answer 409 with a Warning (nothing saved; repeat with ?confirm=true). */
  warns?: boolean;
  /** Honours Idempotency-Key (the handler runs in `idempotent()`). */
  idempotent?: boolean;
}

/** The names of a path template's `{name}` parameters. */
export type PathParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? Name | PathParamNames<Rest> : never;
/** The params Next.js passes to a route of this path template. */
export type PathParams<P extends string> = { [K in PathParamNames<P>]: string };

/** The names of a path template's `{name}` parameters, in order. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

/** Declares an operation; its literal types (path, schemas) are kept for the handler. */
export function defineOperation<const O extends Operation>(op: O): O {
  return Object.freeze(op);
}
