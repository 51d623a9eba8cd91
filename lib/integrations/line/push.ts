import 'server-only';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { messagingApi } from '@line/bot-sdk';
import { DeliveryError, type ClaimedJob, type HandlerContext } from '../../outbox/delivery';

const LINE_API = 'https://api.line.me';

function channelAccessToken(): string {
  const token = process.env.LINE_CHANNEL_ACCESS_TOKEN;
  if (!token) throw new DeliveryError('LINE is not configured: set LINE_CHANNEL_ACCESS_TOKEN', { permanent: true });
  return token;
}

/**
 * The SDK's Messaging API client, for calls that need no deadline. `LINE_API_BASE_URL` points it
 * at a fake in tests. Pushes do not go through it: see `pushMessage` below.
 */
export function lineClient(): messagingApi.MessagingApiClient {
  return new messagingApi.MessagingApiClient({ channelAccessToken: channelAccessToken(), baseURL: process.env.LINE_API_BASE_URL || undefined });
}

/**
 * POST /v2/bot/message/push as `MessagingApiClient.pushMessageWithHttpInfo` sends it (same URL,
 * headers and JSON body, typed by the SDK's PushMessageRequest), on a request the AbortSignal can
 * end: aborting destroys the request and its socket.
 *
 * Why not the SDK's client: @line/bot-sdk 11.0.0 cannot abort a request. `MessagingApiClient`
 * takes only { channelAccessToken, baseURL, defaultHeaders }; its internal HTTPFetchClient calls the
 * global `fetch` with method, headers and body only (no signal, timeout, custom fetch or dispatcher
 * option), and the `*WithHttpInfo` variants take the same path. Racing its promise against a timer
 * leaves the socket open until LINE answers, and the only ways into its fetch (replacing
 * globalThis.fetch or undici's global dispatcher, or its private httpClient) are monkeypatching.
 *
 * Why node:http(s) and not our own fetch(…, { signal }): aborting an in-flight fetch does close its
 * socket, but undici (Node 20's fetch) then opens a fresh idle connection to the same origin for
 * each aborted request (nodejs/undici#5845), so a run against a hanging LINE still leaves sockets
 * open. A request on its own socket (agent: false) has a socket that lives exactly as long as the
 * request; pushes are few, so the handshake per push costs little.
 */
async function pushMessage(
  request: messagingApi.PushMessageRequest,
  retryKey: string,
  signal: AbortSignal,
): Promise<{ status: number; body: string }> {
  const url = new URL('/v2/bot/message/push', process.env.LINE_API_BASE_URL || LINE_API);
  const payload = JSON.stringify(request);
  const token = channelAccessToken();
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        agent: false,
        signal,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          authorization: `Bearer ${token}`,
          'x-line-retry-key': retryKey,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
        // An answer cut short (the signal aborted while it streamed, or LINE closed the connection).
        res.on('close', () => {
          if (!res.complete) reject(new Error('the answer was cut short'));
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

interface LinePushPayload {
  to: string;
  messages: messagingApi.Message[];
}

/**
 * Pushes a `line.push` job. The job's retry key goes out as X-Line-Retry-Key: LINE executes a key
 * once and answers 409 to repeats, so a retried job never reaches the patient twice. The outbox's
 * signal aborts the HTTP request when the job's time is up; that attempt is then retried.
 */
export async function deliverLinePush(job: ClaimedJob, { signal }: HandlerContext): Promise<'delivered' | 'already_delivered'> {
  const { to, messages } = job.payload as unknown as LinePushPayload;
  if (typeof to !== 'string' || !Array.isArray(messages) || messages.length === 0) {
    throw new DeliveryError('A LINE job needs `to` and `messages`', { permanent: true });
  }
  let answer: { status: number; body: string };
  try {
    answer = await pushMessage({ to, messages }, job.retryKey, signal);
  } catch (err) {
    if (err instanceof DeliveryError) throw err;
    // Aborted (the job's timeout or the run's deadline) or a network failure: worth another try.
    const why = signal.aborted ? signal.reason : err;
    throw new DeliveryError(`LINE request ${signal.aborted ? 'aborted' : 'failed'}: ${why instanceof Error ? why.message : String(why)}`);
  }
  if (answer.status >= 200 && answer.status < 300) return 'delivered';
  if (answer.status === 409) return 'already_delivered';
  // Bad request, bad token, unknown user: trying again cannot help.
  const permanent = answer.status === 400 || answer.status === 401 || answer.status === 403 || answer.status === 404;
  throw new DeliveryError(`LINE answered ${answer.status}: ${answer.body.slice(0, 300)}`, { permanent });
}
