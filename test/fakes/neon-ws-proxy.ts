import { createServer, type Server } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

/**
 * What Neon runs in front of its PostgreSQL: a WebSocket that carries the raw PostgreSQL wire
 * protocol to `?address=host:port`. Lets `@neondatabase/serverless` talk to the local server.
 */
export async function startNeonWsProxy(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  const server: Server = createServer();
  const wss = new WebSocketServer({ server });
  let count = 0;
  wss.on('connection', (socket, req) => {
    const address = new URL(req.url ?? '/', 'http://x').searchParams.get('address') ?? '';
    const [host, port] = address.split(':');
    // Only ever the local database: this is a test fixture, not an open relay.
    if (host !== '127.0.0.1' && host !== 'localhost') return socket.close(1008, 'loopback only');
    count += 1;
    const tcp = net.connect(Number(port), host);
    tcp.on('data', (chunk) => socket.send(chunk));
    tcp.on('close', () => socket.close());
    tcp.on('error', () => socket.close());
    socket.on('message', (data) => tcp.write(data as Buffer));
    socket.on('close', () => tcp.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `127.0.0.1:${port}/v1`,
    connections: () => count,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => server.close(() => resolve())));
    },
  };
}
