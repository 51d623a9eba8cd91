import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { DeliveryError, type ClaimedJob } from '../../outbox/delivery';

/** The only place the LINE SDK is used. `LINE_API_BASE_URL` points it at a fake in tests. */
export function lineClient(): messagingApi.MessagingApiClient {
  const channelAccessToken = process.env.LINE_CHANNEL_ACCESS_TOKEN;
  if (!channelAccessToken) throw new DeliveryError('LINE is not configured: set LINE_CHANNEL_ACCESS_TOKEN', { permanent: true });
  return new messagingApi.MessagingApiClient({ channelAccessToken, baseURL: process.env.LINE_API_BASE_URL || undefined });
}

interface LinePushPayload { to: string; messages: messagingApi.Message[] }

/**
 * Pushes a `line.push` job. The job's retry key goes out as X-Line-Retry-Key: LINE executes a key
 * once and answers 409 to repeats, so a retried job never reaches the patient twice.
 */
export async function deliverLinePush(job: ClaimedJob): Promise<'delivered' | 'already_delivered'> {
  const { to, messages } = job.payload as unknown as LinePushPayload;
  if (typeof to !== 'string' || !Array.isArray(messages) || messages.length === 0) {
    throw new DeliveryError('A LINE job needs `to` and `messages`', { permanent: true });
  }
  try {
    await lineClient().pushMessage({ to, messages }, job.retryKey);
    return 'delivered';
  } catch (err) {
    if (err instanceof HTTPFetchError) {
      if (err.status === 409) return 'already_delivered';
      // Bad request, bad token, unknown user: trying again cannot help.
      const permanent = err.status === 400 || err.status === 401 || err.status === 403 || err.status === 404;
      throw new DeliveryError(`LINE answered ${err.status}: ${err.body.slice(0, 300)}`, { permanent });
    }
    if (err instanceof DeliveryError) throw err;
    throw new DeliveryError(`LINE request failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
