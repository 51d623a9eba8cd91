import 'server-only';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { messagingApi } from '@line/bot-sdk';
import { getDb } from '../../db/client';
import { DeliveryError, type ClaimedJob, type HandlerContext } from '../../outbox/delivery';
import { clinicLineChannel } from '../../queries/line-channel';

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
  token: string,
): Promise<{ status: number; body: string }> {
  return lineRequest({ method: 'POST', path: '/v2/bot/message/push', token, body: request, headers: { 'x-line-retry-key': retryKey }, signal });
}

/** One call of the Messaging API on a socket of its own, ended by `signal` (see pushMessage for why). */
export async function lineRequest(o: {
  method: 'GET' | 'POST';
  path: string;
  token: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal: AbortSignal;
}): Promise<{ status: number; body: string }> {
  const url = new URL(o.path, process.env.LINE_API_BASE_URL || LINE_API);
  const payload = o.body === undefined ? null : JSON.stringify(o.body);
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: o.method,
        agent: false,
        signal: o.signal,
        headers: {
          ...(payload === null ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          authorization: `Bearer ${o.token}`,
          ...o.headers,
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
    req.end(payload ?? undefined);
  });
}

/**
 * The token a clinic's patients are messaged with: the clinic's own channel when it has one,
 * else the deployment's LINE_CHANNEL_ACCESS_TOKEN. A clinic channel this server cannot decrypt is a
 * permanent failure with the reason (never a silent fallback to another channel's bot).
 */
async function tokenForClinic(clinicId: number): Promise<string> {
  const channel = await clinicLineChannel(await getDb(), clinicId);
  if (channel.kind === 'clinic') return channel.accessToken;
  if (channel.kind === 'unusable') {
    throw new DeliveryError(
      `The clinic's own LINE channel cannot be used: ${channel.problem}. Set APP_ENCRYPTION_KEY to the key it was saved with, or save the channel again`,
      { permanent: true },
    );
  }
  return channelAccessToken();
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
  const token = await tokenForClinic(job.clinicId);
  let answer: { status: number; body: string };
  try {
    answer = await pushMessage({ to, messages }, job.retryKey, signal, token);
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
