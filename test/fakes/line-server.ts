import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedPush {
  at: number;
  retryKey: string | null;
  authorization: string | null;
  body: { to: string; messages: Array<{ type: string; text?: string }> };
  /** the status answered, or null while the request hangs */
  status: number | null;
  /** set when the client closed the connection before an answer (an aborted request, a killed worker) */
  closedUnanswered?: true;
}

type Mode = { kind: 'fail'; status: number } | { kind: 'hang'; execute: boolean };

/**
 * The part of LINE's Messaging API we use: POST /v2/bot/message/push, and GET /v2/bot/info (the
 * bot of a channel added with addChannel; any other token is 401). Like LINE, a retry key is
 * executed once and repeats get 409. It can be told to fail the next N pushes, answer 429, or hang
 * (optionally after executing, as when LINE got the push but the answer was lost). Records all,
 * and counts the sockets and unanswered requests still open, so a test can see that a client which
 * gave up on a hanging push also closed its connection.
 */
export class FakeLineServer {
  readonly pushes: RecordedPush[] = [];
  /** pushes LINE executed: each one reached the patient exactly once */
  readonly executions: RecordedPush[] = [];
  private readonly executed = new Set<string>();
  private readonly queue: Mode[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private readonly sockets = new Set<Socket>();
  private readonly unanswered = new Set<ServerResponse>();
  /** channels whose access token GET /v2/bot/info accepts (any other token is 401), by token */
  private readonly channels = new Map<string, { displayName: string }>();
  /** GET /v2/bot/info requests, with the token they sent and the status answered */
  readonly botInfoRequests: Array<{ at: number; authorization: string | null; status: number }> = [];
  private server = createServer((req, res) => void this.handle(req, res));
  url = '';

  constructor() {
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** TCP connections from clients not yet closed (hanging requests, and idle keep-alive ones). */
  get openSockets(): number {
    return this.sockets.size;
  }

  /** requests received whose answer has not been sent and whose connection is still open */
  get openRequests(): number {
    return this.unanswered.size;
  }

  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  failNext(n: number, status = 500): void {
    for (let i = 0; i < n; i++) this.queue.push({ kind: 'fail', status });
  }

  hangNext(n: number, options: { execute?: boolean } = {}): void {
    for (let i = 0; i < n; i++) this.queue.push({ kind: 'hang', execute: options.execute ?? false });
  }

  /** A channel LINE knows: GET /v2/bot/info with its token answers its bot. */
  addChannel(token: string, displayName = 'Clinic Bot'): void {
    this.channels.set(token, { displayName });
  }

  reset(): void {
    this.botInfoRequests.length = 0;
    this.pushes.length = 0;
    this.executions.length = 0;
    this.queue.length = 0;
    this.executed.clear();
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private execute(push: RecordedPush): void {
    if (push.retryKey) this.executed.add(push.retryKey);
    this.executions.push(push);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.unanswered.add(res);
    // 'close' comes when the answer is sent or the connection closes, whichever is first.
    res.once('close', () => {
      this.unanswered.delete(res);
      this.hanging.delete(res);
    });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    // Control endpoints, for a fake started by the end-to-end run.
    if (req.url === '/__control' && req.method === 'POST') {
      const c = JSON.parse(text) as { failNext?: number; status?: number; reset?: boolean; addChannel?: { token: string; displayName?: string } };
      if (c.reset) this.reset();
      if (c.addChannel) this.addChannel(c.addChannel.token, c.addChannel.displayName);
      if (c.failNext) this.failNext(c.failNext, c.status ?? 500);
      return reply(200, { ok: true });
    }
    if (req.url === '/__pushes' && req.method === 'GET')
      return reply(200, { pushes: this.pushes, executions: this.executions, botInfoRequests: this.botInfoRequests });
    // The bot behind a channel access token, as LINE answers it; an unknown token is LINE's 401.
    if (req.url === '/v2/bot/info' && req.method === 'GET') {
      const authorization = req.headers.authorization ?? null;
      const channel = this.channels.get(authorization?.replace(/^Bearer /, '') ?? '');
      this.botInfoRequests.push({ at: Date.now(), authorization, status: channel ? 200 : 401 });
      if (!channel) return reply(401, { message: 'Authentication failed. Confirm that the access token in the authorization header is valid.' });
      return reply(200, {
        userId: 'U' + 'f'.repeat(32),
        basicId: '@000clinic',
        displayName: channel.displayName,
        chatMode: 'bot',
        markAsReadMode: 'auto',
      });
    }
    if (req.url !== '/v2/bot/message/push' || req.method !== 'POST') return reply(404, { message: 'Not found' });

    const retryKey = (req.headers['x-line-retry-key'] as string | undefined) ?? null;
    const push: RecordedPush = { at: Date.now(), retryKey, authorization: req.headers.authorization ?? null, body: JSON.parse(text), status: null };
    this.pushes.push(push);
    const mode = this.queue.shift();
    if (mode?.kind === 'hang') {
      if (mode.execute) this.execute(push);
      this.hanging.add(res);
      if (req.socket.destroyed) push.closedUnanswered = true;
      else
        res.once('close', () => {
          if (!res.writableEnded) push.closedUnanswered = true;
        });
      return;
    }
    if (mode?.kind === 'fail') {
      push.status = mode.status;
      const message = mode.status === 429 ? 'Too Many Requests' : mode.status === 400 ? 'The request body has 1 error(s)' : 'Internal Server Error';
      return reply(mode.status, { message });
    }
    if (retryKey && this.executed.has(retryKey)) {
      push.status = 409;
      res.setHeader('x-line-accepted-request-id', randomUUID());
      return reply(409, { message: 'The retry key is already accepted' });
    }
    this.execute(push);
    push.status = 200;
    return reply(200, { sentMessages: push.body.messages.map(() => ({ id: String(Date.now()), quoteToken: randomUUID() })) });
  }
}

// As a program: `tsx test/fakes/line-server.ts <port>` (the end-to-end run starts it this way).
if (process.argv[1]?.endsWith('line-server.ts')) {
  const fake = await new FakeLineServer().start(Number(process.argv[2] ?? 0));
  console.log(`fake LINE listening on ${fake.url}`);
}
