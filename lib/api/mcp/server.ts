import 'server-only';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Caller } from '../../auth/caller';
import { AppError, toErrorBody, validationError } from '../../errors';
import { outboxMark } from '../../db/outbox-mark';
import { deliverOutboxAfterResponse } from '../../outbox/after-response';
import type { Clock } from '../../time/clock';
import { MCP_INSTRUCTIONS, MCP_TOOLS, toolInputJsonSchema, type McpTool } from './tools';

/** The server's name and version in the MCP handshake. */
export const MCP_SERVER_INFO = { name: 'clinic-bot-calendar', version: '1.0.0' } as const;

/** The most a JSON-RPC body may weigh (as the REST routes' 64 KiB); more is 413 before parsing. */
const MAX_BODY_BYTES = 64 * 1024;

const TOOLS_BY_NAME = new Map<string, McpTool>(MCP_TOOLS.map((t) => [t.name, t]));

/** A refusal as an MCP tool error: the REST error body as JSON text, so the session carries on. */
function toolError(err: unknown): CallToolResult {
  const { body } = toErrorBody(err);
  return { isError: true, content: [{ type: 'text', text: JSON.stringify(body) }] };
}

/**
 * One MCP server for one authenticated agent request (stateless: a server and transport per HTTP
 * request, no session ids, JSON answers; any instance can serve any request, as on Vercel).
 * Arguments are validated here with each tool's zod schema, so that a bad argument answers the
 * contract's validation_error (the SDK's own validation would answer a bare message).
 */
function createServer(caller: Caller, clock?: Clock): Server {
  const server = new Server(MCP_SERVER_INFO, { capabilities: { tools: {} }, instructions: MCP_INSTRUCTIONS });
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: MCP_TOOLS.map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description,
      inputSchema: toolInputJsonSchema(t) as { type: 'object'; [key: string]: unknown },
      annotations: { title: t.title, readOnlyHint: !t.mutates, destructiveHint: t.name === 'cancel_appointment', openWorldHint: false },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const tool = TOOLS_BY_NAME.get(request.params.name);
    if (!tool) {
      return toolError(
        new AppError('validation_error', `No tool named ${request.params.name}; call tools/list`, {
          issues: [{ path: ['name'], code: 'invalid_value', message: `Use one of: ${[...TOOLS_BY_NAME.keys()].join(', ')}` }],
        }),
      );
    }
    try {
      const parsed = tool.input.safeParse(request.params.arguments ?? {});
      if (!parsed.success) throw validationError(parsed.error);
      const result = await tool.run({ caller, clock }, parsed.data as Record<string, unknown>);
      return { content: [{ type: 'text', text: JSON.stringify(result) }] };
    } catch (err) {
      return toolError(err);
    }
  });
  return server;
}

/**
 * Answers one Streamable HTTP request of an authenticated agent (the route has checked the key and
 * the rate limit). POST only: a stateless server has no stream to open with GET and no session to
 * end with DELETE (405, as the MCP specification allows).
 */
export async function handleMcpRequest(req: Request, caller: Caller, options: { clock?: Clock } = {}): Promise<Response> {
  const mark = outboxMark();
  const server = createServer(caller, options.clock);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
    maxRequestBodySize: MAX_BODY_BYTES,
  });
  try {
    await server.connect(transport);
    const res = await transport.handleRequest(req);
    // A booking, move or cancellation may have put LINE or Google work into the outbox.
    deliverOutboxAfterResponse(mark);
    return res;
  } finally {
    await server.close().catch(() => undefined);
  }
}
