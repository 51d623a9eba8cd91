import 'server-only';
import { MCP_INSTRUCTIONS, MCP_TOOLS, toolInputJsonSchema } from '../api/mcp/tools';
import { errorCodesWithStatus } from '../errors';
import { buildOpenApiDocument } from './document';

// /llms.txt: the agent's API as one Markdown page an LLM reads before calling anything
// (https://llmstxt.org). Generated, never written by hand: the REST part from the OpenAPI document
// (itself made from the operations the routes are made from), the MCP part from the tool registry
// /api/mcp serves. A route or tool added there appears here; test/api/llms-txt.test.ts checks it.

type Json = Record<string, unknown>;
type Doc = ReturnType<typeof buildOpenApiDocument>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const HTTP_ERROR_STATUSES = [400, 401, 403, 404, 409, 413, 429, 503];

/** A JSON Schema as a short type, e.g. `{id: integer, name: string}` or `[Slot]`; refs by name, expanded once at the top. */
function typeText(schema: unknown, components: Json, depth = 0, named?: Set<string>): string {
  const s = (schema ?? {}) as Json;
  if (typeof s.$ref === 'string') {
    const name = s.$ref.split('/').pop()!;
    if (depth === 0 && components[name]) return `${name} ${typeText(components[name], components, depth + 1, named)}`;
    named?.add(name);
    return name;
  }
  const alternatives = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (alternatives) return alternatives.map((x) => typeText(x, components, depth, named)).join(' | ');
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.type === 'array') return `[${typeText(s.items, components, depth + 1, named)}]`;
  if (s.type === 'object' || s.properties) {
    const props = (s.properties ?? {}) as Json;
    const required = new Set((s.required as string[] | undefined) ?? []);
    const fields = Object.entries(props).map(([k, v]) => `${k}${required.has(k) ? '' : '?'}: ${typeText(v, components, depth + 1, named)}`);
    return `{${fields.join(', ')}}`;
  }
  if (Array.isArray(s.type)) return s.type.join(' | ');
  return typeof s.type === 'string' ? s.type : 'any';
}

/** The fields of an object schema as Markdown list items: name, type, required or not, description. */
function fieldList(schema: Json, components: Json): string[] {
  const props = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, prop]) => {
    const description = typeof prop.description === 'string' ? ` — ${prop.description}` : '';
    return `- \`${name}\` (${typeText(prop, components, 1)}${required.has(name) ? ', required' : ', optional'})${description}`;
  });
}

function restSection(doc: Doc): string[] {
  const components = (doc.components?.schemas ?? {}) as Json;
  const out: string[] = [];
  /** shapes named inside answers (e.g. Slot), described after the routes */
  const shapes = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = (item as Json)[method] as Json | undefined;
      if (!op) continue;
      const security = (op.security as Array<Record<string, unknown>> | undefined) ?? [];
      if (!security.some((s) => 'agentKey' in s)) continue;
      out.push(`### ${method.toUpperCase()} ${path}`, '', String(op.summary ?? ''));
      if (typeof op.description === 'string') out.push('', op.description);
      const params = (op.parameters as Json[] | undefined) ?? [];
      const named = params.filter((p) => p.in === 'path' || p.in === 'query' || p.in === 'header');
      if (named.length > 0) {
        out.push('', 'Parameters:');
        for (const p of named) {
          const description = typeof p.description === 'string' ? ` — ${p.description}` : '';
          out.push(
            `- \`${String(p.name)}\` in ${String(p.in)} (${typeText(p.schema, components, 1)}${p.required ? ', required' : ', optional'})${description}`,
          );
        }
      }
      const body = (((op.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema as
        Json | undefined;
      if (body) out.push('', 'JSON body:', ...fieldList(body, components));
      out.push('', 'Answers:');
      for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, Json>)) {
        if (!status.startsWith('2')) continue;
        const schema = ((response.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema;
        out.push(`- ${status} ${String(response.description ?? '')}: \`${typeText(schema, components, 0, shapes)}\``);
      }
      out.push('');
    }
  }
  if (shapes.size > 0) {
    out.push('## Shapes named in the answers', '');
    for (const name of [...shapes].sort()) {
      const schema = components[name] as Json;
      const description = typeof schema.description === 'string' ? ` — ${schema.description}` : '';
      out.push(`- \`${name}\`: \`${typeText(schema, components, 1)}\`${description}`);
    }
    out.push('');
  }
  return out;
}

function mcpSection(): string[] {
  const out: string[] = [];
  for (const tool of MCP_TOOLS) {
    const schema = toolInputJsonSchema(tool);
    out.push(`### ${tool.name}`, '', `${tool.title}. Does the work of ${tool.rest.map((op) => `\`${op.method} ${op.path}\``).join(' and ')}.`, '');
    out.push(tool.description, '');
    const fields = fieldList(schema, {});
    out.push('Arguments:', ...(fields.length > 0 ? fields : ['- none']), '');
  }
  return out;
}

/** The page served at /llms.txt. */
export function buildLlmsTxt(): string {
  const doc = buildOpenApiDocument();
  const lines = [
    '# Clinic Bot Calendar: the AI agent API',
    '',
    `> ${doc.info.description ?? ''}`,
    '',
    "Two doors to the same services, checks and audit log: an MCP server at `/api/mcp` (tools for an LLM) and REST routes under `/api/clinic` (OpenAPI 3.1 at `/api/openapi.json`). Dates are YYYY-MM-DD and times HH:MM (24 h) on the clinic's own clock.",
    '',
    '## Authentication',
    '',
    "- Every call sends the clinic's agent key: `Authorization: Bearer <agent key>` (created with `npm run agent-key -- --clinic <slug>`). A key belongs to one clinic; ids of any other clinic answer not_found.",
    '- Without a valid key: 401 unauthorized. Requests per key and minute are limited: 429 rate_limited with `Retry-After` (seconds).',
    '- Creating requests (POST) take an `Idempotency-Key` header (MCP: the `idempotency_key` argument): the same key and request within 24 hours returns the first answer and changes nothing again.',
    '',
    '## Errors',
    '',
    'A refusal is JSON `{"error": code, "message": text, "details"?: any}` (over MCP: a tool result with `isError: true` whose text is that JSON). Codes by HTTP status:',
    '',
    ...HTTP_ERROR_STATUSES.map((status) => `- ${status}: ${errorCodesWithStatus(status).join(', ')}`),
    '',
    '## MCP server: /api/mcp',
    '',
    "Streamable HTTP transport, stateless: POST JSON-RPC messages to `/api/mcp` with the agent key as Bearer (answers are JSON; GET and DELETE are 405). Connect with any MCP client (e.g. the official TypeScript SDK's `StreamableHTTPClientTransport`). Tools and their arguments (as `tools/list` shows them):",
    '',
    MCP_INSTRUCTIONS,
    '',
    ...mcpSection(),
    '## REST routes for the agent',
    '',
    ...restSection(doc),
  ];
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
