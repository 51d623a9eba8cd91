import { errorJson } from '@/lib/api/route';
import { handleMcpRequest } from '@/lib/api/mcp/server';
import { enforceAgentRateLimit } from '@/lib/api/rate-limit';
import { callerFromRequest } from '@/lib/auth/caller';
import { AppError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

/**
 * The MCP server (Streamable HTTP, stateless, JSON answers) for the clinic's AI agent: the same
 * agent key as the REST routes (`Authorization: Bearer <key>`; 401 without a valid one, 403 for a
 * session), counted against the same per-minute limit (429), and tools that call the same services
 * (lib/api/mcp/tools.ts), which write the same audit entries.
 */
export async function POST(req: Request): Promise<Response> {
  try {
    const caller = await callerFromRequest(req);
    if (!caller) {
      const res = errorJson(new AppError('unauthorized', 'Send the clinic agent key as Authorization: Bearer <key>'));
      res.headers.set('WWW-Authenticate', 'Bearer realm="clinic-bot-calendar"');
      return res;
    }
    if (caller.kind !== 'agent') throw new AppError('forbidden', 'The MCP server is for the AI agent: send its agent key');
    await enforceAgentRateLimit(caller);
    return await handleMcpRequest(req, caller);
  } catch (err) {
    return errorJson(err);
  }
}

/**
 * Stateless: no server-sent stream to open (GET) and no session to end (DELETE): 405, as the MCP
 * specification allows, with the JSON-RPC error body the SDK's own stateless servers answer.
 */
function methodNotAllowed(): Response {
  return Response.json(
    { jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: POST JSON-RPC messages to /api/mcp' }, id: null },
    { status: 405, headers: { Allow: 'POST', 'X-Content-Type-Options': 'nosniff' } },
  );
}

export const GET = methodNotAllowed;
export const DELETE = methodNotAllowed;
