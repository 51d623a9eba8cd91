import 'server-only';
import { randomUUID } from 'node:crypto';
import { assertClinicAdmin } from '../../auth/access';
import type { Caller } from '../../auth/caller';
import { writeAudit } from '../../db/audit';
import type { DbOrTx } from '../../db/client';
import { AppError } from '../../errors';
import { getClinicSettings } from '../../queries/clinic';
import { clinicLineChannel } from '../../queries/line-channel';
import type { LineChannelTestResultDto } from '../../schemas/responses';
import { lineRequest } from './push';

/** How long the check waits for LINE in all. */
const TEST_TIMEOUT_MS = 8000;

const lineMessageOf = (body: string): string => {
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message;
    return typeof message === 'string' ? message.slice(0, 200) : '';
  } catch {
    return '';
  }
};

/**
 * "Send test message": proves the clinic's own channel works. The access token is checked with
 * LINE's GET /v2/bot/info (the bot's name comes back); given a LINE user id, a short test message is
 * pushed to it too. LINE's verdict is the answer (`ok: false` with the reason when it refuses);
 * no channel of its own, or one this server cannot decrypt, is an error.
 */
export async function testClinicLineChannel(db: DbOrTx, caller: Caller, input: { lineUserId?: string | null }): Promise<LineChannelTestResultDto> {
  assertClinicAdmin(caller, 'manages the clinic settings');
  const channel = await clinicLineChannel(db, caller.clinicId);
  if (channel.kind === 'none')
    throw new AppError('conflict', 'This clinic has no LINE channel of its own yet: save its access token and channel secret first');
  if (channel.kind === 'unusable') throw new AppError('not_configured', `The clinic's LINE channel cannot be read: ${channel.problem}`);
  const signal = AbortSignal.timeout(TEST_TIMEOUT_MS);
  const result = await check(channel.accessToken, input.lineUserId ?? null, (await getClinicSettings(db, caller.clinicId)).name, signal);
  await writeAudit(db, caller, {
    action: 'clinic.line_channel_tested',
    entityType: 'clinic',
    entityId: caller.clinicId,
    details: { ok: result.ok, pushed: result.pushed, ...(result.reason ? { reason: result.reason } : {}) },
  });
  return result;
}

async function check(token: string, to: string | null, clinicName: string, signal: AbortSignal): Promise<LineChannelTestResultDto> {
  const unreachable = (err: unknown): LineChannelTestResultDto => ({
    ok: false,
    pushed: false,
    reason: 'line_unreachable',
    message: `LINE could not be reached: ${signal.aborted ? 'no answer in time' : err instanceof Error ? err.message : String(err)}`,
  });
  let info: { status: number; body: string };
  try {
    info = await lineRequest({ method: 'GET', path: '/v2/bot/info', token, signal });
  } catch (err) {
    return unreachable(err);
  }
  if (info.status === 401 || info.status === 403) {
    return { ok: false, pushed: false, reason: 'token_rejected', message: `LINE refused the access token (${info.status})` };
  }
  if (info.status < 200 || info.status >= 300) {
    return { ok: false, pushed: false, reason: 'line_unreachable', message: `LINE answered ${info.status} ${lineMessageOf(info.body)}`.trim() };
  }
  let botName: string | undefined;
  try {
    const name = (JSON.parse(info.body) as { displayName?: unknown }).displayName;
    if (typeof name === 'string') botName = name;
  } catch {
    // LINE accepted the token; the name is a nicety
  }
  const named = botName === undefined ? {} : { bot_name: botName };
  if (!to) return { ok: true, pushed: false, ...named };
  const text = `✅ LINE 測試訊息：${clinicName} 的預約系統已連上這個頻道。\nTest message: ${clinicName}'s booking system is connected to this channel.`;
  let push: { status: number; body: string };
  try {
    push = await lineRequest({
      method: 'POST',
      path: '/v2/bot/message/push',
      token,
      body: { to, messages: [{ type: 'text', text }] },
      headers: { 'x-line-retry-key': randomUUID() },
      signal,
    });
  } catch (err) {
    return { ...unreachable(err), ...named };
  }
  if (push.status >= 200 && push.status < 300) return { ok: true, pushed: true, ...named };
  return {
    ok: false,
    pushed: false,
    ...named,
    reason: 'push_failed',
    message: `LINE refused the test message (${push.status}) ${lineMessageOf(push.body)}`.trim(),
  };
}
