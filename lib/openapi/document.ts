import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z, type ZodType } from 'zod';
import { pathParamNames, type CallerKind, type Operation } from '../api/operation';
import { errorCodesWithStatus } from '../errors';
import { MAX_ID } from '../schemas/common';
import * as responses from '../schemas/responses';
import { OPERATIONS } from './operations';

// The OpenAPI 3.1 document of the contract, generated with @asteasolutions/zod-to-openapi from the
// operations the routes are made from (app/api/clinic/**/operation.ts): their request schemas
// (the ones the handlers parse with), response schemas (lib/schemas/responses.ts) and `allow`
// lists (the ones route() enforces). Nothing here repeats a route's facts.

/** Path parameters, by the name a path template gives them. */
const PATH_PARAMS: Record<string, string> = {
  user_id: "The practitioner's id",
  exception_id: "The exception's id",
  calendar_event_id: "The appointment's calendar event id",
  invitation_id: "The invitation's id",
  appointment_type_id: "The appointment type's id",
  patient_id: "The patient's id",
  hold_id: "The hold's id (POST /holds answers it)",
  day: 'A day of the clinic calendar: its date (YYYY-MM-DD, clinic time) or its id',
};
/** Path parameters that are not ids alone (their schema in the document). */
const TEXT_PATH_PARAMS: ReadonlySet<string> = new Set(['day']);

const SECURITY: Record<CallerKind, Record<string, string[]>> = {
  agent: { agentKey: [] },
  user: { session: [] },
};

const idempotencyHeader = z.object({
  'Idempotency-Key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .meta({
      param: { description: 'Repeat a creating request safely: the same key and body within 24 hours returns the first answer.' },
    }),
});

const retryAfter = { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' as const, minimum: 1 } } };

const unwrapPipe = (s: ZodType): ZodType => (s instanceof z.ZodPipe ? unwrapPipe(s.in as ZodType) : s);

/**
 * The query schema as one object of parameters: a union of alternative forms (e.g. `date`, or
 * `from` and `to`) lists every field, required only where every form requires it.
 */
function queryParameters(schema: ZodType): z.ZodObject | ZodType {
  const root = unwrapPipe(schema);
  if (!(root instanceof z.ZodUnion)) return schema;
  const forms = root.options.map((o) => unwrapPipe(o as ZodType)) as z.ZodObject[];
  const names = [...new Set(forms.flatMap((f) => Object.keys(f.shape)))];
  return z.object(
    Object.fromEntries(
      names.map((name) => {
        const fields = forms.map((f) => f.shape[name] as ZodType | undefined);
        const required = fields.every((f) => f !== undefined && !f.safeParse(undefined).success);
        const field = fields.find((f) => f !== undefined)!;
        return [name, required ? field : field.optional()];
      }),
    ),
  );
}

function pathParameters(path: string): z.ZodObject | undefined {
  const names = pathParamNames(path);
  if (names.length === 0) return undefined;
  return z.object(
    Object.fromEntries(
      names.map((name) => {
        const description = PATH_PARAMS[name];
        if (!description) throw new Error(`No description for the path parameter {${name}} of ${path}`);
        if (TEXT_PATH_PARAMS.has(name)) return [name, z.string().meta({ param: { description } })];
        return [name, z.number().int().min(1).max(MAX_ID).meta({ param: { description } })];
      }),
    ),
  );
}

const json = (schema: ZodType) => ({ 'application/json': { schema } });
const errorsAs = (text: string, status: number) => `${text} (${errorCodesWithStatus(status).join(', ')})`;

function routeConfig(op: Operation): RouteConfig {
  const ok = new Map<number, Operation['responses'][number][]>();
  for (const r of op.responses) ok.set(r.status, [...(ok.get(r.status) ?? []), r]);
  const error = json(responses.errorResponse);
  return {
    method: op.method.toLowerCase() as Lowercase<Operation['method']>,
    path: op.path,
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    security: (['agent', 'user'] as const).filter((kind) => op.allow.includes(kind)).map((kind) => SECURITY[kind]),
    request: {
      params: pathParameters(op.path),
      ...(op.query ? { query: queryParameters(op.query) as z.ZodObject } : {}),
      ...(op.idempotent ? { headers: idempotencyHeader } : {}),
      ...(op.body ? { body: { required: true, content: json(op.body) } } : {}),
    },
    responses: {
      ...Object.fromEntries(
        [...ok].map(([status, list]) => [
          String(status),
          {
            description: list.map((l) => l.description).join(' / '),
            content: json(list.length === 1 ? list[0]!.schema : z.union(list.map((l) => l.schema))),
          },
        ]),
      ),
      '400': { description: errorsAs('Invalid request', 400), content: error },
      '401': { description: errorsAs('No valid session or agent key', 401), content: error },
      '403': { description: errorsAs('Not allowed for this caller', 403), content: error },
      '404': { description: errorsAs("Unknown id, or another clinic's", 404), content: error },
      '409': op.warns
        ? {
            description: errorsAs('A warning (nothing saved; repeat with ?confirm=true), or a conflict', 409),
            content: json(z.union([responses.warningResponse, responses.errorResponse])),
          }
        : { description: errorsAs('Conflict', 409), content: error },
      ...(op.body ? { '413': { description: errorsAs('The body is larger than 64 KiB', 413), content: error } } : {}),
      '429': { description: errorsAs('Rate limited (agent keys); see Retry-After', 429), headers: retryAfter, content: error },
      '503': {
        description: errorsAs('Busy (the calendar or the database); nothing changed, see Retry-After', 503),
        headers: retryAfter,
        content: error,
      },
    },
  };
}

/** OpenAPI 3.1 of the contract: one operation per declaration the routes are made from. */
export function buildOpenApiDocument() {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'agentKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An AI-agent key of one clinic (npm run agent-key).',
  });
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'authjs.session-token',
    description: 'A signed-in clinic member (Auth.js session).',
  });
  for (const op of OPERATIONS) registry.registerPath(routeConfig(op));
  return new OpenApiGeneratorV31(registry.definitions, { unionPreferredType: 'oneOf', sortComponents: 'alphabetically' }).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Clinic Bot Calendar API',
      version: '1.0.0',
      description:
        "Practitioner availability and booking for a clinic. An AI agent (Authorization: Bearer <agent key>) lists practitioners and appointment types, reads truly free slots, finds or creates patients, books and cancels. Dates and times are the clinic's wall-clock time (YYYY-MM-DD, HH:MM).",
    },
  });
}
