import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { google, type calendar_v3 } from 'googleapis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeGoogleCalendar } from './google-calendar';
import { FakeGoogleOidc } from './google-oidc';

// The fake is driven with the real googleapis client (Calendar v3 + OAuth2Client), as the sync will be.

const CLIENT = { id: 'e2e-google-client', secret: 'e2e-google-secret' };
const CHEN = 'chen@clinic.test';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  method: string;
}

/** A webhook receiver standing in for POST /api/webhooks/google-calendar. */
class Receiver {
  readonly received: Received[] = [];
  private waiters: Array<{ n: number; resolve: () => void }> = [];
  private server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), method: req.method ?? '' });
      res.writeHead(200).end();
      this.waiters = this.waiters.filter((w) => (this.received.length >= w.n ? (w.resolve(), false) : true));
    });
  });
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/webhooks/google-calendar`;
    return this;
  }

  /** Resolves once `n` notifications have arrived in all. */
  waitFor(n: number): Promise<void> {
    if (this.received.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.received.length} of ${n} notifications arrived`)), 3000);
      this.waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** What googleapis throws: a GaxiosError (its `name` is plain 'Error'). */
interface ApiError {
  kind: string;
  message: string;
  status?: number;
  code?: number | string;
  cause?: { errors?: Array<{ reason: string; domain: string; message: string }> };
  response?: { status: number; data: unknown; headers: Headers };
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    return Object.assign(e as ApiError, { kind: (e as object).constructor.name });
  }
  throw new Error('expected the call to fail');
}

const timed = (start: string, end: string): calendar_v3.Schema$Event => ({
  start: { dateTime: start, timeZone: 'Asia/Taipei' },
  end: { dateTime: end, timeZone: 'Asia/Taipei' },
});

let fake: FakeGoogleCalendar;
let receiver: Receiver;

beforeAll(async () => {
  fake = await new FakeGoogleCalendar().start();
  receiver = await new Receiver().start();
});
afterAll(async () => {
  await fake.close();
  await receiver.close();
});
beforeEach(() => {
  fake.reset();
  fake.configure({ autoNotify: 'none', duplicateNotifications: false, accessTokenLifetimeSeconds: 3599 });
  receiver.received.length = 0;
});

function oauthClient(url = fake.tokenUrl) {
  return new google.auth.OAuth2({ clientId: CLIENT.id, clientSecret: CLIENT.secret, endpoints: { oauth2TokenUrl: url } });
}

/** A Calendar client for the account, holding only a refresh token (as the app will, from the database). */
function calendarFor(email: string, options: { timeout?: number; retry?: boolean } = {}) {
  const { refreshToken } = fake.addAccount(email);
  const auth = oauthClient();
  auth.setCredentials({ refresh_token: refreshToken });
  const calendar = google.calendar({ version: 'v3', auth, rootUrl: fake.url, ...options });
  return { calendar, auth, refreshToken };
}

const appointment = (id: string, extra: calendar_v3.Schema$Event = {}): calendar_v3.Schema$Event => ({
  id,
  summary: 'Lin Mei - First visit',
  description: 'Patient: Lin Mei\nPhone: 0912345678\nType: First visit\n\nManaged by Clinic Bot',
  ...timed('2026-11-20T10:00:00', '2026-11-20T10:30:00'),
  colorId: '11',
  visibility: 'private',
  transparency: 'opaque',
  reminders: {
    useDefault: false,
    overrides: [
      { method: 'popup', minutes: 60 },
      { method: 'email', minutes: 1440 },
    ],
  },
  extendedProperties: { private: { clinicBotEventId: id } },
  ...extra,
});

describe('events.insert / get / patch / update / delete', () => {
  it('keeps the client-chosen id and the whole resource; the same id again is 409 duplicate', async () => {
    const { calendar } = calendarFor(CHEN);
    const { data, status } = await calendar.events.insert({ calendarId: 'primary', requestBody: appointment('cbc0appt0001') });
    expect(status).toBe(200);
    expect(data).toMatchObject({
      kind: 'calendar#event',
      id: 'cbc0appt0001',
      status: 'confirmed',
      summary: 'Lin Mei - First visit',
      colorId: '11',
      visibility: 'private',
      transparency: 'opaque',
      iCalUID: 'cbc0appt0001@google.com',
      sequence: 0,
      start: { dateTime: '2026-11-20T10:00:00', timeZone: 'Asia/Taipei' },
      reminders: {
        useDefault: false,
        overrides: [
          { method: 'popup', minutes: 60 },
          { method: 'email', minutes: 1440 },
        ],
      },
      extendedProperties: { private: { clinicBotEventId: 'cbc0appt0001' } },
      organizer: { email: CHEN, self: true },
    });
    expect(data.etag).toMatch(/^"\d+"$/);
    expect(data.created).toBe(data.updated);
    // 'primary' is the account's calendar.
    expect(fake.events(CHEN).map((e) => e.id)).toEqual(['cbc0appt0001']);

    const dup = await failure(calendar.events.insert({ calendarId: CHEN, requestBody: appointment('cbc0appt0001') }));
    expect(dup.kind).toBe('GaxiosError');
    expect(dup.status).toBe(409);
    expect(dup.code).toBe(409);
    expect(dup.message).toBe('The requested identifier already exists.');
    expect(dup.cause?.errors?.[0]).toMatchObject({ domain: 'global', reason: 'duplicate' });
    expect(dup.response?.data).toEqual({
      error: {
        code: 409,
        message: 'The requested identifier already exists.',
        status: 'ALREADY_EXISTS',
        errors: [{ domain: 'global', reason: 'duplicate', message: 'The requested identifier already exists.' }],
      },
    });

    for (const bad of ['ABCDE', 'abcw1', 'a1b2', 'has-dash1']) {
      const e = await failure(calendar.events.insert({ calendarId: 'primary', requestBody: appointment(bad) }));
      expect(e.status).toBe(400);
      expect(e.cause?.errors?.[0]?.reason).toBe('invalid');
    }

    // The record: what the client sent, with its bearer token.
    const inserts = fake.requestsFor('events.insert');
    expect(inserts[0]).toMatchObject({
      method: 'POST',
      path: '/calendar/v3/calendars/primary/events',
      calendarId: 'primary',
      resolvedCalendarId: CHEN,
      account: CHEN,
      status: 200,
    });
    expect(inserts[0]!.authorization).toMatch(/^Bearer ya29\.fake-/);
    expect(inserts[0]!.body).toMatchObject({ id: 'cbc0appt0001', extendedProperties: { private: { clinicBotEventId: 'cbc0appt0001' } } });
    expect(inserts[1]!.status).toBe(409);
  });

  it('patch merges, update replaces, delete leaves a cancelled event and a second delete is 410', async () => {
    const { calendar } = calendarFor(CHEN);
    const created = (await calendar.events.insert({ calendarId: 'primary', requestBody: appointment('cbc0appt0002') })).data;

    const patched = (
      await calendar.events.patch({
        calendarId: 'primary',
        eventId: 'cbc0appt0002',
        requestBody: {
          summary: 'Lin Mei - Follow-up',
          extendedProperties: { private: { note: 'x' } },
          ...timed('2026-11-20T11:00:00', '2026-11-20T11:30:00'),
        },
      })
    ).data;
    expect(patched).toMatchObject({
      summary: 'Lin Mei - Follow-up',
      description: created.description,
      colorId: '11',
      extendedProperties: { private: { clinicBotEventId: 'cbc0appt0002', note: 'x' } },
      start: { dateTime: '2026-11-20T11:00:00' },
      sequence: 1,
    });
    expect(patched.etag).not.toBe(created.etag);
    expect(patched.updated! > created.updated!).toBe(true);
    expect((await calendar.events.get({ calendarId: 'primary', eventId: 'cbc0appt0002' })).data).toEqual(patched);

    const replaced = (
      await calendar.events.update({
        calendarId: 'primary',
        eventId: 'cbc0appt0002',
        requestBody: { summary: 'Only this', ...timed('2026-11-20T11:00:00', '2026-11-20T11:30:00') },
      })
    ).data;
    expect(replaced.description).toBeUndefined();
    expect(replaced.extendedProperties).toBeUndefined();
    expect(replaced).toMatchObject({ summary: 'Only this', created: created.created, iCalUID: created.iCalUID, sequence: 1 });

    const del = await calendar.events.delete({ calendarId: 'primary', eventId: 'cbc0appt0002' });
    expect(del.status).toBe(204);
    expect(del.data).toBe('');
    expect((await calendar.events.get({ calendarId: 'primary', eventId: 'cbc0appt0002' })).data.status).toBe('cancelled');

    const again = await failure(calendar.events.delete({ calendarId: 'primary', eventId: 'cbc0appt0002' }));
    expect(again.status).toBe(410);
    expect(again.message).toBe('Resource has been deleted');
    expect(again.cause?.errors?.[0]).toMatchObject({ domain: 'global', reason: 'deleted' });

    const missing = await failure(calendar.events.get({ calendarId: 'primary', eventId: 'nosuchevent' }));
    expect(missing.status).toBe(404);
    expect(missing.cause?.errors?.[0]?.reason).toBe('notFound');
    expect((await failure(calendar.events.delete({ calendarId: 'primary', eventId: 'nosuchevent' }))).status).toBe(404);

    // The id of a deleted event is still taken: inserting it again is a duplicate.
    expect((await failure(calendar.events.insert({ calendarId: 'primary', requestBody: appointment('cbc0appt0002') }))).status).toBe(409);
    // Another account's calendar is not found.
    const { calendar: other } = calendarFor('wang@clinic.test');
    expect((await failure(other.events.get({ calendarId: CHEN, eventId: 'cbc0appt0001' }))).status).toBe(404);
  });
});

describe('events.list', () => {
  it('pages a full list, giving nextSyncToken on the last page only; filters by time and private property', async () => {
    const { calendar } = calendarFor(CHEN);
    for (let i = 1; i <= 5; i++) {
      await calendar.events.insert({
        calendarId: 'primary',
        requestBody: appointment(`cbc0appt000${i}`, timed(`2026-11-2${i}T10:00:00`, `2026-11-2${i}T10:30:00`)),
      });
    }
    fake.userCreate(CHEN, { summary: 'Lunch', ...timed('2026-11-21T12:00:00', '2026-11-21T13:00:00'), transparency: 'transparent' });
    await calendar.events.delete({ calendarId: 'primary', eventId: 'cbc0appt0005' });

    const pages: calendar_v3.Schema$Events[] = [];
    let pageToken: string | undefined;
    do {
      const { data } = await calendar.events.list({ calendarId: 'primary', maxResults: 2, singleEvents: true, pageToken });
      pages.push(data);
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    expect(pages.map((p) => p.items!.length)).toEqual([2, 2, 1]);
    expect(pages.map((p) => Boolean(p.nextSyncToken))).toEqual([false, false, true]);
    expect(pages.map((p) => Boolean(p.nextPageToken))).toEqual([true, true, false]);
    const ids = pages.flatMap((p) => p.items!.map((e) => e.id));
    expect(ids).toHaveLength(5); // the deleted one is left out
    expect(ids).not.toContain('cbc0appt0005');
    expect(pages[0]).toMatchObject({ kind: 'calendar#events', timeZone: 'Asia/Taipei', accessRole: 'owner' });

    const withDeleted = (await calendar.events.list({ calendarId: 'primary', showDeleted: true })).data.items!;
    expect(withDeleted.find((e) => e.id === 'cbc0appt0005')).toMatchObject({ status: 'cancelled' });

    const ours = (await calendar.events.list({ calendarId: 'primary', privateExtendedProperty: ['clinicBotEventId=cbc0appt0002'] })).data.items!;
    expect(ours.map((e) => e.id)).toEqual(['cbc0appt0002']);

    const window = (
      await calendar.events.list({
        calendarId: 'primary',
        singleEvents: true,
        orderBy: 'startTime',
        timeMin: '2026-11-22T00:00:00+08:00',
        timeMax: '2026-11-24T00:00:00+08:00',
      })
    ).data.items!;
    expect(window.map((e) => e.id)).toEqual(['cbc0appt0002', 'cbc0appt0003']);

    const empty = await failure(calendar.events.list({ calendarId: 'primary', timeMin: '2026-11-24T00:00:00Z', timeMax: '2026-11-22T00:00:00Z' }));
    expect(empty.status).toBe(400);
    expect(empty.cause?.errors?.[0]).toMatchObject({ domain: 'calendar', reason: 'timeRangeEmpty' });
  });

  it('an incremental list after the practitioner deletes, moves and adds events returns just those, deletions as cancelled', async () => {
    const { calendar } = calendarFor(CHEN);
    await calendar.events.insert({ calendarId: 'primary', requestBody: appointment('cbc0appt0001') });
    await calendar.events.insert({ calendarId: 'primary', requestBody: appointment('cbc0appt0002') });
    await calendar.events.insert({ calendarId: 'primary', requestBody: appointment('cbc0appt0003') });
    const full = (await calendar.events.list({ calendarId: 'primary' })).data;
    expect(full.items).toHaveLength(3);
    const token1 = full.nextSyncToken!;

    // Nothing changed: nothing to read, and the token still works.
    const none = (await calendar.events.list({ calendarId: 'primary', syncToken: token1 })).data;
    expect(none.items).toEqual([]);
    expect(none.nextSyncToken).toBeTruthy();

    fake.userDelete(CHEN, 'cbc0appt0001');
    const moved = fake.userMove(CHEN, 'cbc0appt0002', timed('2026-11-20T15:00:00', '2026-11-20T15:30:00') as { start: object; end: object });
    expect(moved.sequence).toBe(1);
    const own = fake.userCreate(CHEN, {
      summary: 'Team meeting',
      ...timed('2026-11-20T16:00:00', '2026-11-20T17:00:00'),
      attendees: [{ email: CHEN, self: true, responseStatus: 'declined' }],
    });

    const changes = (await calendar.events.list({ calendarId: 'primary', syncToken: token1 })).data;
    const byId = new Map(changes.items!.map((e) => [e.id, e]));
    expect([...byId.keys()].sort()).toEqual(['cbc0appt0001', 'cbc0appt0002', own.id].sort());
    // A deletion: little more than the id.
    expect(byId.get('cbc0appt0001')).toEqual({
      kind: 'calendar#event',
      etag: expect.stringMatching(/^"\d+"$/),
      id: 'cbc0appt0001',
      status: 'cancelled',
    });
    expect(byId.get('cbc0appt0002')).toMatchObject({
      status: 'confirmed',
      start: { dateTime: '2026-11-20T15:00:00' },
      extendedProperties: { private: { clinicBotEventId: 'cbc0appt0002' } },
    });
    expect(byId.get(own.id)).toMatchObject({ summary: 'Team meeting', attendees: [{ responseStatus: 'declined' }] });
    expect(changes.nextSyncToken).toBeTruthy();
    expect(changes.nextPageToken).toBeUndefined();

    // Paged incremental: nextSyncToken again only at the end.
    const p1 = (await calendar.events.list({ calendarId: 'primary', syncToken: token1, maxResults: 2 })).data;
    expect(p1.items).toHaveLength(2);
    expect(p1.nextSyncToken).toBeUndefined();
    const p2 = (await calendar.events.list({ calendarId: 'primary', syncToken: token1, maxResults: 2, pageToken: p1.nextPageToken! })).data;
    expect(p2.items).toHaveLength(1);
    expect(p2.nextSyncToken).toBeTruthy();

    expect((await calendar.events.list({ calendarId: 'primary', syncToken: changes.nextSyncToken! })).data.items).toEqual([]);
    // Google refuses filters with a sync token.
    expect((await failure(calendar.events.list({ calendarId: 'primary', syncToken: token1, timeMin: '2026-11-01T00:00:00Z' }))).status).toBe(400);
  });

  it('an invalidated sync token, or one from before a reset, is 410 fullSyncRequired', async () => {
    const { calendar } = calendarFor(CHEN);
    await calendar.events.insert({ calendarId: 'primary', requestBody: appointment('cbc0appt0001') });
    const token = (await calendar.events.list({ calendarId: 'primary' })).data.nextSyncToken!;
    fake.invalidateSyncTokens(CHEN);
    const gone = await failure(calendar.events.list({ calendarId: 'primary', syncToken: token }));
    expect(gone.status).toBe(410);
    expect(gone.message).toBe('Sync token is no longer valid, a full sync is required.');
    expect(gone.cause?.errors?.[0]).toMatchObject({ domain: 'calendar', reason: 'fullSyncRequired' });
    // A full sync gives a token that works.
    const fresh = (await calendar.events.list({ calendarId: 'primary' })).data.nextSyncToken!;
    expect((await calendar.events.list({ calendarId: 'primary', syncToken: fresh })).data.items).toEqual([]);

    fake.reset();
    const again = calendarFor(CHEN).calendar;
    expect((await failure(again.events.list({ calendarId: 'primary', syncToken: fresh }))).status).toBe(410);
    expect((await failure(again.events.list({ calendarId: 'primary', syncToken: 'garbage' }))).status).toBe(400);
  });
});

describe('events.watch, notifications and channels.stop', () => {
  it("answers the channel, then posts 'sync' with Google's headers and an empty body; later changes post 'exists'", async () => {
    const { calendar } = calendarFor(CHEN);
    const expiration = String(Date.now() + 3600_000);
    const { data: channel } = await calendar.events.watch({
      calendarId: 'primary',
      requestBody: { id: 'chan-0001', type: 'web_hook', address: receiver.url, token: 'secret-token-1', expiration },
    });
    expect(channel).toMatchObject({ kind: 'api#channel', id: 'chan-0001', token: 'secret-token-1', expiration });
    expect(channel.resourceId).toBeTruthy();
    expect(channel.resourceUri).toBe('https://www.googleapis.com/calendar/v3/calendars/primary/events?alt=json');

    await receiver.waitFor(1);
    const sync = receiver.received[0]!;
    expect(sync.method).toBe('POST');
    expect(sync.body).toBe('');
    expect(sync.headers).toMatchObject({
      'x-goog-channel-id': 'chan-0001',
      'x-goog-channel-token': 'secret-token-1',
      'x-goog-channel-expiration': new Date(Number(expiration)).toUTCString(),
      'x-goog-resource-id': channel.resourceId,
      'x-goog-resource-uri': channel.resourceUri,
      'x-goog-resource-state': 'sync',
      'x-goog-message-number': '1',
      'content-length': '0',
    });

    // Notifications on demand, and by themselves after the user's changes.
    await calendar.events.insert({ calendarId: 'primary', requestBody: appointment('cbc0appt0001') });
    await fake.notify(CHEN);
    fake.configure({ autoNotify: 'user' });
    fake.userDelete(CHEN, 'cbc0appt0001');
    await receiver.waitFor(3);
    await fake.settled();
    expect(receiver.received.slice(1).map((r) => [r.headers['x-goog-resource-state'], r.headers['x-goog-message-number']])).toEqual([
      ['exists', '2'],
      ['exists', '3'],
    ]);
    expect(fake.notifications.map((n) => n.status)).toEqual([200, 200, 200]);

    // At-least-once delivery: the same message twice.
    fake.configure({ duplicateNotifications: true });
    await fake.notify(CHEN);
    await receiver.waitFor(5);
    expect(receiver.received.slice(3).map((r) => r.headers['x-goog-message-number'])).toEqual(['4', '4']);

    // channels.stop: 204, then nothing more for that channel; a second stop is 404.
    const stop = await calendar.channels.stop({ requestBody: { id: 'chan-0001', resourceId: channel.resourceId } });
    expect(stop.status).toBe(204);
    expect(await fake.notify(CHEN)).toEqual([]);
    const stopped = await failure(calendar.channels.stop({ requestBody: { id: 'chan-0001', resourceId: channel.resourceId } }));
    expect(stopped.status).toBe(404);
    expect(stopped.cause?.errors?.[0]?.reason).toBe('notFound');
    expect((await failure(calendar.channels.stop({ requestBody: { id: 'nope', resourceId: 'nope' } }))).status).toBe(404);
    expect(receiver.received).toHaveLength(5);
  });

  it('refuses a channel id over 64 characters or already used, and a channel without an expiration lasts a week', async () => {
    const { calendar } = calendarFor(CHEN);
    const long = await failure(
      calendar.events.watch({ calendarId: 'primary', requestBody: { id: 'x'.repeat(65), type: 'web_hook', address: receiver.url } }),
    );
    expect(long.status).toBe(400);
    const { data } = await calendar.events.watch({
      calendarId: 'primary',
      requestBody: { id: 'chan-0002', type: 'web_hook', address: receiver.url },
    });
    expect(Number(data.expiration) - Date.now()).toBeGreaterThan(7 * 24 * 3600_000 - 60_000);
    expect(data.token).toBeUndefined();
    await receiver.waitFor(1);
    expect(receiver.received[0]!.headers['x-goog-channel-token']).toBeUndefined();
    const dup = await failure(
      calendar.events.watch({ calendarId: 'primary', requestBody: { id: 'chan-0002', type: 'web_hook', address: receiver.url } }),
    );
    expect(dup.status).toBe(400);
    expect(dup.cause?.errors?.[0]?.reason).toBe('channelIdNotUnique');
    // An expired channel gets nothing.
    fake.expireChannels(CHEN);
    expect(await fake.notify(CHEN)).toEqual([]);
  });
});

describe('tokens', () => {
  it('refreshes by itself: first with no access token, then after the access token expires server-side', async () => {
    const { refreshToken } = fake.addAccount(CHEN);
    const auth = oauthClient();
    // What the app has after sign-in: tokens without an expiry date (so a 401 makes the client refresh).
    auth.setCredentials({ access_token: fake.issueAccessToken(CHEN), refresh_token: refreshToken });
    const calendar = google.calendar({ version: 'v3', auth, rootUrl: fake.url });
    await calendar.events.insert({ calendarId: 'primary', requestBody: appointment('cbc0appt0001') });
    expect(fake.tokenRequests).toHaveLength(0);

    fake.expireAccessTokens(CHEN);
    const got = await calendar.events.get({ calendarId: 'primary', eventId: 'cbc0appt0001' });
    expect(got.status).toBe(200);
    expect(fake.requests.map((r) => `${r.op} ${r.status}`)).toEqual(['events.insert 200', 'events.get 401', 'oauth.token 200', 'events.get 200']);
    const unauthorized = fake.requests[1]!;
    expect(unauthorized.response).toMatchObject({
      error: {
        code: 401,
        status: 'UNAUTHENTICATED',
        errors: [{ domain: 'global', reason: 'authError', message: 'Invalid Credentials', location: 'Authorization', locationType: 'header' }],
      },
    });
    expect(fake.tokenRequests[0]).toMatchObject({
      params: { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT.id, client_secret: CLIENT.secret },
      status: 200,
      body: { token_type: 'Bearer', expires_in: 3599, scope: 'https://www.googleapis.com/auth/calendar' },
    });
    expect(fake.requests[3]!.authorization).toBe(`Bearer ${(fake.tokenRequests[0]!.body as { access_token: string }).access_token}`);
  });

  it('short-lived tokens are refreshed before use; a client that trusts its expiry date sees the 401', async () => {
    fake.configure({ accessTokenLifetimeSeconds: 60 }); // under google-auth-library's 5-minute eager refresh
    const { calendar, auth } = calendarFor(CHEN);
    await calendar.events.list({ calendarId: 'primary' });
    await calendar.events.list({ calendarId: 'primary' });
    expect(fake.tokenRequests).toHaveLength(2);

    fake.configure({ accessTokenLifetimeSeconds: 3599 });
    await calendar.events.list({ calendarId: 'primary' }); // a long-lived token now, with its expiry_date
    expect(auth.credentials.expiry_date).toBeGreaterThan(Date.now());
    fake.expireAccessTokens();
    const e = await failure(calendar.events.list({ calendarId: 'primary' }));
    expect(e.status).toBe(401);
    expect(e.response?.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('a revoked refresh token surfaces as invalid_grant; a wrong client as invalid_client', async () => {
    const { calendar, refreshToken } = calendarFor(CHEN);
    fake.revokeRefreshToken(refreshToken);
    const e = await failure(calendar.events.list({ calendarId: 'primary' }));
    expect(e.kind).toBe('GaxiosError');
    expect(e.status).toBe(400);
    expect(e.message).toBe('invalid_grant');
    expect(e.response?.data).toEqual({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    expect(fake.requestsFor('events.list')).toHaveLength(0);

    const wrong = new google.auth.OAuth2({ clientId: 'other', clientSecret: 'x', endpoints: { oauth2TokenUrl: fake.tokenUrl } });
    wrong.setCredentials({ refresh_token: fake.addAccount(CHEN).refreshToken });
    const bad = await failure(wrong.getAccessToken());
    expect(bad.status).toBe(401);
    expect(bad.message).toBe('invalid_client');

    // Basic authentication works as well as the secret in the body.
    const basic = await fetch(fake.tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: fake.addAccount(CHEN).refreshToken }),
    });
    expect(basic.status).toBe(200);
  });
});

describe('failure knobs', () => {
  it("fail the next calls with Google's error shapes; googleapis retries 5xx/429 on GET by itself, never POST", async () => {
    const { calendar } = calendarFor(CHEN);
    fake.failNext(1, { op: 'events.insert', status: 403, reason: 'rateLimitExceeded' });
    const limited = await failure(calendar.events.insert({ calendarId: 'primary', requestBody: appointment('cbc0appt0001') }));
    expect(limited.status).toBe(403);
    expect(limited.message).toBe('Rate Limit Exceeded');
    expect(limited.cause?.errors?.[0]).toEqual({ domain: 'usageLimits', reason: 'rateLimitExceeded', message: 'Rate Limit Exceeded' });

    fake.failNext(1, { op: 'events.insert', status: 403, reason: 'quotaExceeded' });
    expect(
      (await failure(calendar.events.insert({ calendarId: 'primary', requestBody: appointment('cbc0appt0001') }))).cause?.errors?.[0],
    ).toMatchObject({ domain: 'usageLimits', reason: 'quotaExceeded' });

    fake.failNext(1, { op: 'events.insert', status: 503 });
    const unavailable = await failure(calendar.events.insert({ calendarId: 'primary', requestBody: appointment('cbc0appt0001') }));
    expect(unavailable.status).toBe(503);
    expect(unavailable.cause?.errors?.[0]?.reason).toBe('backendError');
    expect(fake.requestsFor('events.insert').map((r) => r.status)).toEqual([403, 403, 503]); // POST: no retry

    fake.failNext(1, { op: 'events.insert', status: 429, retryAfter: 2 });
    const tooMany = await failure(calendar.events.insert({ calendarId: 'primary', requestBody: appointment('cbc0appt0001') }));
    expect(tooMany.status).toBe(429);
    expect(tooMany.response?.headers.get('retry-after')).toBe('2');
    expect(tooMany.cause?.errors?.[0]).toMatchObject({ domain: 'usageLimits', reason: 'rateLimitExceeded' });

    await calendar.events.insert({ calendarId: 'primary', requestBody: appointment('cbc0appt0001') });
    fake.failNext(1, { op: 'events.get', status: 500 });
    expect((await calendar.events.get({ calendarId: 'primary', eventId: 'cbc0appt0001' })).status).toBe(200);
    expect(fake.requestsFor('events.get').map((r) => r.status)).toEqual([500, 200]); // gaxios retried after 100 ms

    fake.failNext(1, { op: 'events.get', status: 500 });
    const noRetry = await failure(calendar.events.get({ calendarId: 'primary', eventId: 'cbc0appt0001' }, { retry: false }));
    expect(noRetry.status).toBe(500);
    expect(noRetry.response?.data).toEqual({
      error: {
        code: 500,
        message: 'Backend Error',
        status: 'INTERNAL',
        errors: [{ domain: 'global', reason: 'backendError', message: 'Backend Error' }],
      },
    });
  });

  it('a per-account quota answers 403 rateLimitExceeded beyond N requests in the window', async () => {
    const { calendar } = calendarFor(CHEN);
    const { calendar: wang } = calendarFor('wang@clinic.test');
    fake.setQuota({ limit: 2, windowMs: 60_000 });
    await calendar.events.list({ calendarId: 'primary' });
    await calendar.events.list({ calendarId: 'primary' });
    const over = await failure(calendar.events.list({ calendarId: 'primary' }));
    expect(over.status).toBe(403);
    expect(over.cause?.errors?.[0]).toMatchObject({ domain: 'usageLimits', reason: 'rateLimitExceeded' });
    expect((await wang.events.list({ calendarId: 'primary' })).status).toBe(200); // per user
    fake.setQuota(null);
    expect((await calendar.events.list({ calendarId: 'primary' })).status).toBe(200);
  });

  it('hangs the next calls until the client gives up; with execute the work is done and the answer lost', async () => {
    const { calendar } = calendarFor(CHEN, { timeout: 300 });
    fake.hangNext(1, { op: 'events.insert' });
    const timedOut = await failure(calendar.events.insert({ calendarId: 'primary', requestBody: appointment('cbc0appt0001') }));
    expect(timedOut.kind).toBe('GaxiosError');
    // gaxios (on node-fetch here) reports the timeout as an abort, with no status and no response.
    expect(timedOut.message).toBe('The operation was aborted.');
    expect((timedOut.cause as { name?: string } | undefined)?.name).toBe('AbortError');
    expect(timedOut.status).toBeUndefined();
    expect(timedOut.response).toBeUndefined();
    expect(fake.events(CHEN)).toEqual([]);
    await expect.poll(() => fake.requestsFor('events.insert')[0]?.closedUnanswered).toBe(true);

    fake.hangNext(1, { op: 'events.insert', execute: true });
    await failure(calendar.events.insert({ calendarId: 'primary', requestBody: appointment('cbc0appt0001') }));
    expect(fake.events(CHEN).map((e) => e.id)).toEqual(['cbc0appt0001']);
    // Retrying with the same id tells the client it was done.
    expect((await failure(calendar.events.insert({ calendarId: 'primary', requestBody: appointment('cbc0appt0001') }))).status).toBe(409);
  });
});

describe('mounted in the fake OpenID issuer', () => {
  it('one server: sign-in tokens work for Calendar, refreshes go through the calendar, /__calendar controls work', async () => {
    const issuer = new FakeGoogleOidc();
    const cal = issuer.mountCalendar(new FakeGoogleCalendar());
    await issuer.start();
    try {
      // Sign in as Auth.js would: authorize → code → token.
      const authorize = new URL(`${issuer.url}/o/oauth2/v2/auth`);
      for (const [k, v] of Object.entries({
        response_type: 'code',
        client_id: CLIENT.id,
        redirect_uri: 'http://localhost:3100/api/auth/callback/google',
        scope: 'openid email https://www.googleapis.com/auth/calendar',
        login_hint: CHEN,
      }))
        authorize.searchParams.set(k, v);
      const redirect = await fetch(authorize, { redirect: 'manual' });
      const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
      const tokens = (await (
        await fetch(`${issuer.url}/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code,
            redirect_uri: 'http://localhost:3100/api/auth/callback/google',
            client_id: CLIENT.id,
            client_secret: CLIENT.secret,
          }),
        })
      ).json()) as { access_token: string; refresh_token: string };
      expect(issuer.tokenRequests).toHaveLength(1);

      const auth = oauthClient(`${issuer.url}/token`);
      auth.setCredentials({ access_token: tokens.access_token, refresh_token: tokens.refresh_token });
      const calendar = google.calendar({ version: 'v3', auth, rootUrl: issuer.url });
      await calendar.events.insert({ calendarId: 'primary', requestBody: appointment('cbc0appt0001') });
      expect(cal.events(CHEN).map((e) => e.id)).toEqual(['cbc0appt0001']);

      cal.expireAccessTokens();
      expect((await calendar.events.list({ calendarId: 'primary' })).data.items).toHaveLength(1);
      expect(cal.tokenRequests.map((t) => t.params.grant_type)).toEqual(['refresh_token']);
      expect(issuer.tokenRequests).toHaveLength(1); // the issuer's own record is unchanged
      // userinfo accepts the refreshed token too.
      const fresh = (cal.tokenRequests[0]!.body as { access_token: string }).access_token;
      expect((await fetch(`${issuer.url}/v1/userinfo`, { headers: { authorization: `Bearer ${fresh}` } })).status).toBe(200);

      // The controls a Playwright test (another process) would use.
      const post = (path: string, body: unknown) =>
        fetch(`${issuer.url}${path}`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
      await post('/__calendar/user', { action: 'delete', calendarId: CHEN, eventId: 'cbc0appt0001' });
      const all = (await (await fetch(`${issuer.url}/__calendar/events?calendarId=${encodeURIComponent(CHEN)}&all=1`)).json()) as {
        items: Array<{ status: string }>;
      };
      expect(all.items.map((e) => e.status)).toEqual(['cancelled']);
      await post('/__calendar/control', { failNext: { op: 'events.list', status: 503, count: 1 } });
      expect((await failure(calendar.events.list({ calendarId: 'primary' }, { retry: false }))).status).toBe(503);
      const recorded = (await (await fetch(`${issuer.url}/__calendar/requests`)).json()) as { requests: Array<{ op: string }> };
      expect(recorded.requests.map((r) => r.op)).toContain('events.insert');

      // A reset between tests that keeps the signed-in app connected.
      await post('/__calendar/control', { reset: true, keepTokens: true });
      expect((await calendar.events.list({ calendarId: 'primary' })).data.items).toEqual([]);

      // The issuer's own routes are unchanged.
      expect((await fetch(`${issuer.url}/.well-known/openid-configuration`)).status).toBe(200);
    } finally {
      await issuer.close();
    }
  });

  it('without a mounted calendar the issuer answers as before', async () => {
    const issuer = await new FakeGoogleOidc().start();
    try {
      const res = await fetch(`${issuer.url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x', client_id: CLIENT.id, client_secret: CLIENT.secret }),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'unsupported_grant_type' });
      expect((await fetch(`${issuer.url}/calendar/v3/calendars/primary/events`)).status).toBe(404);
    } finally {
      await issuer.close();
    }
  });
});

describe('recurring events', () => {
  // Every Wednesday 14:00-15:00 Taipei for four weeks from 2026-12-02, one of them (12-09) excluded.
  const weekly = (extra: calendar_v3.Schema$Event = {}): calendar_v3.Schema$Event => ({
    id: 'cbc0series01',
    summary: 'Unavailable',
    ...timed('2026-12-02T14:00:00', '2026-12-02T15:00:00'),
    recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=WE;UNTIL=20261223T155959Z', 'EXDATE;TZID=Asia/Taipei:20261209T140000'],
    extendedProperties: { private: { clinicBotEventId: '1' } },
    ...extra,
  });

  it('keeps recurrence as sent; a timed series needs a time zone and a readable rule', async () => {
    const { calendar } = calendarFor(CHEN);
    const { data } = await calendar.events.insert({ calendarId: 'primary', requestBody: weekly() });
    expect(data.recurrence).toEqual(weekly().recurrence);
    const noZone = await failure(
      calendar.events.insert({
        calendarId: 'primary',
        requestBody: weekly({ id: 'cbc0series02', start: { dateTime: '2026-12-02T14:00:00+08:00' }, end: { dateTime: '2026-12-02T15:00:00+08:00' } }),
      }),
    );
    expect(noZone.status).toBe(400);
    const badRule = await failure(
      calendar.events.insert({ calendarId: 'primary', requestBody: weekly({ id: 'cbc0series03', recurrence: ['FREQ=WEEKLY'] }) }),
    );
    expect(badRule.status).toBe(400);
  });

  it('singleEvents lists instances (ids <series>_<UTC start>, recurringEventId, originalStartTime) minus EXDATEs; all-day ones by date', async () => {
    const { calendar } = calendarFor(CHEN);
    await calendar.events.insert({ calendarId: 'primary', requestBody: weekly() });
    await calendar.events.insert({
      calendarId: 'primary',
      requestBody: {
        id: 'cbc0dates001',
        start: { date: '2026-12-07' },
        end: { date: '2026-12-08' },
        recurrence: ['RRULE:FREQ=DAILY;COUNT=3', 'EXDATE;VALUE=DATE:20261208'],
      },
    });
    const { data } = await calendar.events.list({
      calendarId: 'primary',
      singleEvents: true,
      orderBy: 'startTime',
      timeMin: '2026-12-01T00:00:00+08:00',
    });
    expect(data.items!.map((e) => e.id)).toEqual([
      'cbc0series01_20261202T060000Z',
      'cbc0dates001_20261207',
      'cbc0dates001_20261209',
      'cbc0series01_20261216T060000Z',
      'cbc0series01_20261223T060000Z',
    ]);
    expect(data.items![0]).toMatchObject({
      recurringEventId: 'cbc0series01',
      originalStartTime: { dateTime: '2026-12-02T14:00:00+08:00', timeZone: 'Asia/Taipei' },
      start: { dateTime: '2026-12-02T14:00:00+08:00' },
      extendedProperties: { private: { clinicBotEventId: '1' } },
    });
    expect(data.items![0]!.recurrence).toBeUndefined();
    // Without singleEvents the series is one item.
    const plain = await calendar.events.list({ calendarId: 'primary' });
    expect(plain.data.items!.map((e) => e.id).sort()).toEqual(['cbc0dates001', 'cbc0series01']);
  });

  it('an instance deleted or moved by the user is an exception of its own in the next incremental list; instances shows deleted ones on request', async () => {
    const { calendar } = calendarFor(CHEN);
    await calendar.events.insert({ calendarId: 'primary', requestBody: weekly() });
    const first = await calendar.events.list({ calendarId: 'primary' });
    fake.userCancelInstance(CHEN, 'cbc0series01', '2026-12-16');
    fake.userMoveInstance(CHEN, 'cbc0series01', '2026-12-23', {
      start: { dateTime: '2026-12-24T09:00:00+08:00' },
      end: { dateTime: '2026-12-24T10:00:00+08:00' },
    });
    const { data } = await calendar.events.list({ calendarId: 'primary', syncToken: first.data.nextSyncToken! });
    expect(data.items).toEqual([
      {
        kind: 'calendar#event',
        etag: expect.any(String),
        id: 'cbc0series01_20261216T060000Z',
        status: 'cancelled',
        recurringEventId: 'cbc0series01',
        originalStartTime: { dateTime: '2026-12-16T14:00:00+08:00', timeZone: 'Asia/Taipei' },
      },
      expect.objectContaining({
        id: 'cbc0series01_20261223T060000Z',
        status: 'confirmed',
        recurringEventId: 'cbc0series01',
        originalStartTime: { dateTime: '2026-12-23T14:00:00+08:00', timeZone: 'Asia/Taipei' },
        start: { dateTime: '2026-12-24T09:00:00+08:00' },
      }),
    ]);
    const shown = await calendar.events.instances({ calendarId: 'primary', eventId: 'cbc0series01' });
    expect(shown.data.items!.map((e) => [e.id, e.status])).toEqual([
      ['cbc0series01_20261202T060000Z', 'confirmed'],
      ['cbc0series01_20261223T060000Z', 'confirmed'],
    ]);
    const all = await calendar.events.instances({ calendarId: 'primary', eventId: 'cbc0series01', showDeleted: true });
    expect(all.data.items!.map((e) => e.status)).toEqual(['confirmed', 'cancelled', 'confirmed']);
    expect(fake.requestsFor('events.instances')).toHaveLength(2);
    // Changing the series keeps its exceptions, as Google does; deleting it answers 410 to instances.
    await calendar.events.patch({ calendarId: 'primary', eventId: 'cbc0series01', requestBody: { summary: 'Closed' } });
    expect(fake.event(CHEN, 'cbc0series01_20261223T060000Z')).toMatchObject({ start: { dateTime: '2026-12-24T09:00:00+08:00' } });
    await calendar.events.delete({ calendarId: 'primary', eventId: 'cbc0series01' });
    expect((await failure(calendar.events.instances({ calendarId: 'primary', eventId: 'cbc0series01' }))).status).toBe(410);
  });
});
