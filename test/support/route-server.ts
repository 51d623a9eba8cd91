import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

type Handler = (req: Request) => Promise<Response> | Response;

/**
 * A real HTTP server on 127.0.0.1 around route handlers (method → handler), as Next.js would call
 * them: each request becomes a web Request, each Response is written back as it is. For clients
 * that speak HTTP themselves (the MCP SDK's client).
 */
export async function startRouteServer(handlers: Partial<Record<string, Handler>>): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
        else if (value !== undefined) headers.set(name, value);
      }
      const handler = handlers[req.method ?? 'GET'];
      const answer = handler
        ? await handler(
            new Request(new URL(req.url ?? '/', `http://${req.headers.host}`), {
              method: req.method,
              headers,
              body: req.method === 'GET' || req.method === 'HEAD' || body.length === 0 ? undefined : body,
            }),
          )
        : new Response(null, { status: 405 });
      res.writeHead(answer.status, Object.fromEntries(answer.headers.entries()));
      res.end(Buffer.from(await answer.arrayBuffer()));
    })().catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The official MCP client over Streamable HTTP, connected with an agent key. */
export async function connectMcpClient(url: string, agentKey: string): Promise<Client> {
  const client = new Client({ name: 'vitest-agent', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${agentKey}` } } }));
  return client;
}
