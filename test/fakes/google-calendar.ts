import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import * as rruleModule from 'rrule';

// rrule is CommonJS for Node: run by tsx as ESM (the e2e fake), its classes sit behind `default`.
const { RRule } = ((rruleModule as unknown as { default?: typeof rruleModule }).default ?? rruleModule) as typeof rruleModule;

/*
 * A local stand-in for the parts of Google Calendar API v3 and Google's OAuth token endpoint that the
 * sync uses, following Google's documented behaviour:
 *   - errors: https://developers.google.com/workspace/calendar/api/guides/errors
 *   - incremental sync: https://developers.google.com/workspace/calendar/api/guides/sync
 *   - push notifications: https://developers.google.com/workspace/calendar/api/guides/push
 *   - usage limits: https://developers.google.com/workspace/calendar/api/guides/quota
 *   - events.insert/get/patch/update/delete/list/instances/watch, channels.stop:
 *     https://developers.google.com/workspace/calendar/api/v3/reference/events
 *   - recurring events: https://developers.google.com/workspace/calendar/api/guides/recurringevents
 *     (`recurrence` stored as sent; RRULE/EXDATE expanded in the event's time zone; an instance's
 *     id is `<series id>_<YYYYMMDD>` (all day) or `_<YYYYMMDDTHHMMSSZ>` (UTC start); a changed or
 *     deleted instance is an exception with recurringEventId and originalStartTime, listed in
 *     incremental syncs on its own; `singleEvents=true` lists instances instead of series)
 *
 * Point the real `googleapis` client at it with `google.calendar({ version: 'v3', auth, rootUrl: fake.url })`
 * (googleapis keeps only the path `/calendar/v3/…` and puts it under rootUrl) and an OAuth2Client with
 * `endpoints: { oauth2TokenUrl: fake.tokenUrl }`.
 *
 * Standalone: `await new FakeGoogleCalendar().start()`. Mounted: `new FakeGoogleOidc().mountCalendar(fake)`
 * makes the issuer serve /calendar/v3/*, /__calendar/* and the refresh-token grant through this object,
 * and the tokens the issuer hands out at sign-in work here.
 */

// ---------------------------------------------------------------------------------------------------
// Types

export interface EventDateTime {
  date?: string | null;
  dateTime?: string | null;
  timeZone?: string | null;
}

/** The event resource as Google returns it (the fields we store; unknown fields are kept as sent). */
export interface CalendarEvent {
  kind: 'calendar#event';
  etag: string;
  id: string;
  status: 'confirmed' | 'tentative' | 'cancelled';
  htmlLink?: string;
  created?: string;
  updated?: string;
  summary?: string;
  description?: string;
  location?: string;
  colorId?: string;
  creator?: { email: string; self?: boolean };
  organizer?: { email: string; self?: boolean };
  start?: EventDateTime;
  end?: EventDateTime;
  iCalUID?: string;
  sequence?: number;
  transparency?: 'opaque' | 'transparent';
  visibility?: 'default' | 'public' | 'private' | 'confidential';
  reminders?: { useDefault?: boolean; overrides?: Array<{ method: string; minutes: number }> };
  extendedProperties?: { private?: Record<string, string>; shared?: Record<string, string> };
  attendees?: Array<{ email: string; responseStatus?: string; self?: boolean; [k: string]: unknown }>;
  recurrence?: string[];
  /** on an instance of a recurring event: the series' id and where the instance was */
  recurringEventId?: string;
  originalStartTime?: EventDateTime;
  eventType?: string;
  [key: string]: unknown;
}

/** What a test passes to the user-side methods: any part of an event resource. */
export type EventInput = Partial<Omit<CalendarEvent, 'kind' | 'etag'>> & Record<string, unknown>;

/** Google's method names, used to aim the failure knobs and to query the record. */
export type CalendarOp =
  | 'events.insert'
  | 'events.get'
  | 'events.patch'
  | 'events.update'
  | 'events.delete'
  | 'events.list'
  | 'events.instances'
  | 'events.watch'
  | 'channels.stop'
  | 'oauth.token'
  | 'unknown';

export interface RecordedRequest {
  seq: number;
  at: number;
  method: string;
  /** the path without the query, e.g. /calendar/v3/calendars/primary/events */
  path: string;
  op: CalendarOp;
  /** the calendarId as it appears in the path (e.g. 'primary') and as resolved (the account's email) */
  calendarId?: string;
  resolvedCalendarId?: string;
  eventId?: string;
  query: Record<string, string | string[]>;
  /** lower-cased header names */
  headers: Record<string, string>;
  authorization: string | null;
  /** the account the bearer token belongs to, when it was valid */
  account: string | null;
  /** JSON bodies parsed, form bodies as an object, else the raw text ('' when none) */
  body: unknown;
  /** the status answered, or null while the request hangs / was never answered */
  status: number | null;
  response?: unknown;
  /** what the knobs did to it */
  injected?: 'fail' | 'hang' | 'hang-after-execute' | 'quota';
  closedUnanswered?: true;
}

export interface RecordedTokenRequest {
  at: number;
  params: Record<string, string>;
  authorization: string | null;
  status: number;
  body: Record<string, unknown>;
}

export type ResourceState = 'sync' | 'exists' | 'not_exists';

export interface RecordedNotification {
  at: number;
  channelId: string;
  address: string;
  calendarId: string;
  state: ResourceState;
  messageNumber: number;
  headers: Record<string, string>;
  /** the receiver's status, or null when delivery failed (error says why) */
  status: number | null;
  error?: string;
  /** true for the second copy sent when `duplicateNotifications` is on */
  duplicate?: true;
}

export interface WatchChannel {
  id: string;
  resourceId: string;
  resourceUri: string;
  /** the calendar the channel watches (resolved: 'primary' becomes the email) */
  calendarId: string;
  address: string;
  token: string | null;
  /** ms since epoch */
  expiration: number;
  account: string;
  params?: Record<string, string>;
  createdAt: number;
  stopped: boolean;
  messageNumber: number;
}

export interface FailSpec {
  /** the HTTP status; default 500 */
  status?: number;
  /** Google's errors[0].reason; defaults per status (see defaultError) */
  reason?: string;
  /** Google's errors[0].domain; defaults per status */
  domain?: string;
  message?: string;
  /** only requests of this method (Google's name) … */
  op?: CalendarOp;
  /** … and/or whose path matches */
  path?: string | RegExp;
  calendarId?: string;
  /** a Retry-After header to add (seconds) */
  retryAfter?: number;
}

export interface HangSpec {
  op?: CalendarOp;
  path?: string | RegExp;
  calendarId?: string;
  /** carry out the request, then never answer (as when Google did the work and the answer was lost) */
  execute?: boolean;
}

export interface QuotaSpec {
  /** requests allowed per account within the window */
  limit: number;
  windowMs?: number;
  /** 403 (usageLimits/rateLimitExceeded, Google's usual answer) or 429 */
  status?: 403 | 429;
  reason?: 'rateLimitExceeded' | 'userRateLimitExceeded' | 'quotaExceeded';
}

export interface FakeGoogleCalendarOptions {
  /** the OAuth client the token endpoint accepts (the issuer's, by default) */
  client?: { id: string; secret: string };
  /** expires_in for access tokens the token endpoint issues; default 3599 */
  accessTokenLifetimeSeconds?: number;
  /** the time zone of every calendar (all-day events begin at its midnight); default Asia/Taipei */
  timeZone?: string;
  /**
   * Send 'exists' notifications by itself after changes: 'user' after the user-side methods, 'all' also after
   * writes through the API (Google notifies for those too). Default 'none': tests call notify().
   */
  autoNotify?: 'none' | 'user' | 'all';
  /** deliver every notification twice (same message number), as Google's at-least-once delivery may */
  duplicateNotifications?: boolean;
  /** refuse watch addresses that are not https, as Google does; default false for local receivers */
  requireHttpsWebhooks?: boolean;
}

interface StoredEvent {
  resource: CalendarEvent;
  /** the calendar's change counter when this event last changed */
  changeSeq: number;
}

interface CalendarState {
  id: string;
  owner: string;
  events: Map<string, StoredEvent>;
  seq: number;
  generation: number;
  resourceId: string;
}

interface AccessToken {
  email: string;
  expiresAt: number;
  scope: string;
  revoked: boolean;
}

interface RefreshToken {
  email: string;
  scope: string;
  revoked: boolean;
}

type Pending<T> = { remaining: number; spec: T };

interface ListCursor {
  e: string; // epoch
  c: string; // calendar
  g: number; // generation
  s: number; // snapshot seq
  b: number | null; // base seq for incremental lists
  a: [string, string] | null; // sort key of the last item sent
  h: string; // hash of the query (page tokens are good only for the same query)
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Google's error shape

const STATUS_TEXT: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/**
 * Google's JSON error: {error: {code, message, errors: [{domain, reason, message, …}], status}}. `status` is
 * the canonical code name Google adds; 410 has none, as in Google's examples.
 */
export function googleError(
  code: number,
  reason: string,
  message: string,
  extra: { domain?: string; location?: string; locationType?: string } = {},
): { error: { code: number; message: string; errors: Array<Record<string, string>>; status?: string } } {
  const item: Record<string, string> = { domain: extra.domain ?? 'global', reason, message };
  if (extra.location) item.location = extra.location;
  if (extra.locationType) item.locationType = extra.locationType;
  const error: { code: number; message: string; errors: Array<Record<string, string>>; status?: string } = { code, message, errors: [item] };
  if (STATUS_TEXT[code]) error.status = STATUS_TEXT[code];
  return { error };
}

/** The error Google documents for a status, for the failure knobs. */
export function defaultError(status: number, reason?: string): { reason: string; domain: string; message: string } {
  switch (status) {
    case 400:
      return { reason: reason ?? 'badRequest', domain: 'global', message: 'Bad Request' };
    case 401:
      return { reason: reason ?? 'authError', domain: 'global', message: 'Invalid Credentials' };
    case 403:
      if (reason === 'userRateLimitExceeded') return { reason, domain: 'usageLimits', message: 'User Rate Limit Exceeded' };
      if (reason === 'quotaExceeded') return { reason, domain: 'usageLimits', message: 'Calendar usage limits exceeded.' };
      if (reason === 'forbiddenForNonOrganizer')
        return { reason, domain: 'calendar', message: 'Shared properties can only be changed by the organizer of the event.' };
      if (reason === 'forbidden') return { reason, domain: 'global', message: 'Forbidden' };
      return { reason: reason ?? 'rateLimitExceeded', domain: 'usageLimits', message: 'Rate Limit Exceeded' };
    case 404:
      return { reason: reason ?? 'notFound', domain: 'global', message: 'Not Found' };
    case 409:
      return { reason: reason ?? 'duplicate', domain: 'global', message: 'The requested identifier already exists.' };
    case 410:
      return reason === 'fullSyncRequired'
        ? { reason, domain: 'calendar', message: 'Sync token is no longer valid, a full sync is required.' }
        : { reason: reason ?? 'deleted', domain: 'global', message: 'Resource has been deleted' };
    case 412:
      return { reason: reason ?? 'conditionNotMet', domain: 'global', message: 'Precondition Failed' };
    case 429:
      return { reason: reason ?? 'rateLimitExceeded', domain: 'usageLimits', message: 'Rate Limit Exceeded' };
    case 503:
      return { reason: reason ?? 'backendError', domain: 'global', message: 'The service is currently unavailable.' };
    default:
      return { reason: reason ?? 'backendError', domain: 'global', message: 'Backend Error' };
  }
}

const fail = (code: number, reason?: string, message?: string, extra: { domain?: string; location?: string; locationType?: string } = {}) => {
  const d = defaultError(code, reason);
  return new HttpError(code, googleError(code, d.reason, message ?? d.message, { domain: extra.domain ?? d.domain, ...extra }));
};
const invalid = (message: string, location?: string) =>
  new HttpError(400, googleError(400, 'invalid', message, location ? { location, locationType: 'parameter' } : {}));
const required = (message: string) => new HttpError(400, googleError(400, 'required', message));

// ---------------------------------------------------------------------------------------------------
// Small helpers

const BASE32HEX = /^[a-v0-9]{5,1024}$/;
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const unb64 = <T>(s: string): T | null => {
  try {
    return JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as T;
  } catch {
    return null;
  }
};
const clone = <T>(v: T): T => structuredClone(v);
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A random id in Google's base32hex alphabet, as the server makes when the client gives none. */
export function newEventId(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  return Array.from(randomBytes(26), (b) => alphabet[b % 32]).join('');
}

/** Patch semantics: objects merge field by field, arrays and scalars replace, null clears. */
function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (isPlainObject(v) && isPlainObject(out[k])) out[k] = mergePatch(out[k] as Record<string, unknown>, v);
    else out[k] = clone(v);
  }
  return out;
}

function tzOffsetMs(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - utcMs;
}

const HAS_OFFSET = /(?:[zZ]|[+-]\d{2}:\d{2})$/;

/** The instant an EventDateTime stands for (all-day dates begin at midnight in the calendar's zone). */
function instantOf(t: EventDateTime | undefined, calendarZone: string): number | null {
  if (!t) return null;
  if (t.dateTime) {
    if (HAS_OFFSET.test(t.dateTime)) return Date.parse(t.dateTime);
    const naive = Date.parse(`${t.dateTime}Z`);
    if (Number.isNaN(naive)) return null;
    return naive - tzOffsetMs(naive, t.timeZone ?? calendarZone);
  }
  if (t.date) {
    const naive = Date.parse(`${t.date}T00:00:00Z`);
    if (Number.isNaN(naive)) return null;
    return naive - tzOffsetMs(naive, calendarZone);
  }
  return null;
}

/** An instant as Google writes it: the wall clock of a zone with its offset, e.g. 2026-12-09T14:00:00+08:00. */
function rfc3339(ms: number, timeZone: string): string {
  const offset = tzOffsetMs(ms, timeZone);
  const wall = new Date(ms + offset).toISOString().slice(0, 19);
  const m = Math.abs(offset) / 60_000;
  return `${wall}${offset < 0 ? '-' : '+'}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** The instant of a zone's wall clock given as a floating UTC number (the wall clock read as if it were UTC). */
function instantOfWall(wallMs: number, timeZone: string): number {
  const guess = wallMs - tzOffsetMs(wallMs, timeZone);
  return wallMs - tzOffsetMs(guess, timeZone);
}

const RECURRENCE_LINE = /^(?:RRULE:|EXRULE:|RDATE[:;]|EXDATE[:;])/;
const ICAL_DATE = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/;

/** One occurrence of a recurring event, as its series' rule puts it. */
export interface Occurrence {
  /** the suffix of the instance's id */
  stamp: string;
  originalStartTime: EventDateTime;
  start: EventDateTime;
  end: EventDateTime;
  startMs: number;
}

/**
 * A series' occurrences that end after fromMs and start before toMs: the RRULE expanded on the wall
 * clock of the start's time zone (so 14:00 stays 14:00 across offset changes), minus EXDATEs.
 * All-day series: dates; timed: instants. RDATE/EXRULE are not needed by our tests and ignored.
 */
export function recurrenceOccurrences(master: CalendarEvent, calendarZone: string, fromMs: number, toMs: number): Occurrence[] {
  const rruleLine = master.recurrence?.find((l) => l.startsWith('RRULE:'));
  if (!rruleLine || !master.start || !master.end) return [];
  const allDay = Boolean(master.start.date);
  const zone = master.start.timeZone ?? calendarZone;
  const startMs = instantOf(master.start, calendarZone)!;
  const durationMs = instantOf(master.end, calendarZone)! - startMs;
  const dtstartWall = allDay ? Date.parse(`${master.start.date}T00:00:00Z`) : startMs + tzOffsetMs(startMs, zone);
  const options = RRule.parseString(rruleLine.slice('RRULE:'.length));
  if (options.until) {
    // A UTC UNTIL of a timed series is read on the series' wall clock; a date UNTIL is its whole day.
    const raw = /UNTIL=([0-9TZ]+)/.exec(rruleLine)?.[1] ?? '';
    const untilMs = options.until.getTime();
    options.until = new Date(
      raw.endsWith('Z') && !allDay ? untilMs + tzOffsetMs(untilMs, zone) : raw.length === 8 && !allDay ? untilMs + 86_399_000 : untilMs,
    );
  }
  const excluded = new Set<number>();
  for (const line of master.recurrence ?? []) {
    if (!line.startsWith('EXDATE')) continue;
    const [head, values = ''] = line.split(/:(?=[^:]*$)/);
    const tzid = /TZID=([^;:]+)/.exec(head!)?.[1];
    for (const v of values.split(',')) {
      const m = ICAL_DATE.exec(v.trim());
      if (!m) continue;
      const [, y, mo, d, h = '00', mi = '00', se = '00', z] = m;
      const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
      if (allDay) excluded.add(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
      else excluded.add(z ? wall : instantOfWall(wall, tzid ?? zone));
    }
  }
  const rule = new RRule({ ...options, dtstart: new Date(dtstartWall) });
  const out: Occurrence[] = [];
  // Wall clocks are at most 14 h from UTC: widen the window by a day and cut exactly below.
  for (const wall of rule.between(new Date(fromMs - durationMs - 86_400_000 * 2), new Date(toMs + 86_400_000 * 2), true)) {
    const wallMs = wall.getTime();
    if (allDay) {
      const date = new Date(wallMs).toISOString().slice(0, 10);
      const begin = instantOf({ date }, calendarZone)!;
      if (excluded.has(wallMs) || begin + durationMs <= fromMs || begin >= toMs) continue;
      const endDate = new Date(wallMs + Math.round(durationMs / 86_400_000) * 86_400_000).toISOString().slice(0, 10);
      out.push({ stamp: date.replace(/-/g, ''), originalStartTime: { date }, start: { date }, end: { date: endDate }, startMs: begin });
    } else {
      const begin = instantOfWall(wallMs, zone);
      if (excluded.has(begin) || begin + durationMs <= fromMs || begin >= toMs) continue;
      const stamp = new Date(begin)
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '');
      const at = (ms: number): EventDateTime => ({ dateTime: rfc3339(ms, zone), timeZone: zone });
      out.push({ stamp, originalStartTime: at(begin), start: at(begin), end: at(begin + durationMs), startMs: begin });
    }
  }
  return out;
}

function matchesPath(path: string, p: string | RegExp | undefined): boolean {
  if (p === undefined) return true;
  return typeof p === 'string' ? path === p || path.startsWith(p) : p.test(path);
}

// ---------------------------------------------------------------------------------------------------

/**
 * Google Calendar v3 (events.insert/get/patch/update/delete/list/watch, channels.stop) and the OAuth token
 * endpoint's refresh grant, in memory, per calendar and per access token. See the file header.
 */
export class FakeGoogleCalendar {
  /** every request received, in order (calendar calls and token requests; not the /__calendar controls) */
  readonly requests: RecordedRequest[] = [];
  readonly tokenRequests: RecordedTokenRequest[] = [];
  readonly notifications: RecordedNotification[] = [];
  readonly channels = new Map<string, WatchChannel>();
  url = '';

  private client: { id: string; secret: string };
  private readonly options: Required<Omit<FakeGoogleCalendarOptions, 'client'>>;
  private readonly calendars = new Map<string, CalendarState>();
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, RefreshToken>();
  private readonly failures: Array<Pending<FailSpec>> = [];
  private readonly hangs: Array<Pending<HangSpec>> = [];
  private quota: Required<QuotaSpec> | null = null;
  private readonly usage = new Map<string, number[]>();
  private readonly hanging = new Set<ServerResponse>();
  private readonly deliveries = new Set<Promise<unknown>>();
  private epoch = randomUUID().slice(0, 8);
  private seq = 0;
  private etagClock = 0;
  private server: ReturnType<typeof createServer> | null = null;
  private mounted = false;

  constructor(options: FakeGoogleCalendarOptions = {}) {
    this.client = options.client ?? { id: 'e2e-google-client', secret: 'e2e-google-secret' };
    this.options = {
      accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 3599,
      timeZone: options.timeZone ?? 'Asia/Taipei',
      autoNotify: options.autoNotify ?? 'none',
      duplicateNotifications: options.duplicateNotifications ?? false,
      requireHttpsWebhooks: options.requireHttpsWebhooks ?? false,
    };
  }

  // ----- lifecycle ---------------------------------------------------------------------------------

  async start(port = 0): Promise<this> {
    const server = createServer((req, res) => void this.serveStandalone(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  /** Where OAuth2Client's `endpoints.oauth2TokenUrl` should point. */
  get tokenUrl(): string {
    return `${this.url}/token`;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    await Promise.allSettled([...this.deliveries]);
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = null;
  }

  /**
   * Forget everything: events, calendars, channels, tokens, knobs and the record. Sync and page tokens
   * issued before answer 410 afterwards (a new epoch). Settings stay. `keepTokens` keeps the accounts'
   * access and refresh tokens (an app signed in through the mounted issuer stays connected).
   */
  reset(options: { keepTokens?: boolean } = {}): void {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    this.requests.length = 0;
    this.tokenRequests.length = 0;
    this.notifications.length = 0;
    this.channels.clear();
    this.calendars.clear();
    if (!options.keepTokens) {
      this.accessTokens.clear();
      this.refreshTokens.clear();
    }
    this.failures.length = 0;
    this.hangs.length = 0;
    this.quota = null;
    this.usage.clear();
    this.epoch = randomUUID().slice(0, 8);
  }

  /** Settings that can change while running (the constructor's options). */
  configure(options: Omit<FakeGoogleCalendarOptions, 'client'>): void {
    for (const [k, v] of Object.entries(options)) if (v !== undefined) (this.options as Record<string, unknown>)[k] = v;
  }

  /** Used by FakeGoogleOidc.mountCalendar: accept the issuer's client and claim only what it does not serve. */
  attachTo(client: { id: string; secret: string }, url: string): void {
    this.client = client;
    this.mounted = true;
    this.url = url;
  }

  // ----- accounts and tokens -----------------------------------------------------------------------

  /**
   * A Google account whose primary calendar is its email. Returns a refresh token for it (the given one, or a
   * new one) that the token endpoint exchanges for access tokens.
   */
  addAccount(email: string, options: { refreshToken?: string; scope?: string } = {}): { email: string; refreshToken: string } {
    this.calendarFor(email, email);
    const refreshToken = options.refreshToken ?? `1//fake-refresh-${randomUUID()}`;
    this.refreshTokens.set(refreshToken, { email, scope: options.scope ?? 'https://www.googleapis.com/auth/calendar', revoked: false });
    return { email, refreshToken };
  }

  /** An access token for the account, without a token request (seeds a client that already holds one). */
  issueAccessToken(email: string, options: { expiresInSeconds?: number; scope?: string } = {}): string {
    this.calendarFor(email, email);
    const token = `ya29.fake-${randomUUID()}`;
    const lifetime = options.expiresInSeconds ?? this.options.accessTokenLifetimeSeconds;
    this.accessTokens.set(token, {
      email,
      expiresAt: Date.now() + lifetime * 1000,
      scope: options.scope ?? 'https://www.googleapis.com/auth/calendar',
      revoked: false,
    });
    return token;
  }

  /** The issuer's sign-in handed these out: make them work here. */
  registerGrant(grant: { email: string; accessToken: string; refreshToken?: string; expiresIn: number; scope: string }): void {
    this.calendarFor(grant.email, grant.email);
    this.accessTokens.set(grant.accessToken, {
      email: grant.email,
      expiresAt: Date.now() + grant.expiresIn * 1000,
      scope: grant.scope,
      revoked: false,
    });
    if (grant.refreshToken) this.refreshTokens.set(grant.refreshToken, { email: grant.email, scope: grant.scope, revoked: false });
  }

  /** The account an unexpired access token belongs to, or null. */
  accountForAccessToken(token: string): string | null {
    const t = this.accessTokens.get(token);
    return t && !t.revoked && t.expiresAt > Date.now() ? t.email : null;
  }

  /** Make the access tokens issued so far (of one account, or all) expire now: calls with them get 401. */
  expireAccessTokens(email?: string): number {
    let n = 0;
    for (const t of this.accessTokens.values()) {
      if (email && t.email !== email) continue;
      t.expiresAt = Math.min(t.expiresAt, Date.now() - 1);
      n++;
    }
    return n;
  }

  /** Revoke one refresh token: its grant answers 400 invalid_grant. */
  revokeRefreshToken(refreshToken: string): void {
    const t = this.refreshTokens.get(refreshToken);
    if (t) t.revoked = true;
  }

  /** The user removed the app's access: every refresh and access token of the account stops working. */
  revokeAccount(email: string): void {
    for (const t of this.refreshTokens.values()) if (t.email === email) t.revoked = true;
    for (const t of this.accessTokens.values()) if (t.email === email) t.revoked = true;
  }

  // ----- knobs -------------------------------------------------------------------------------------

  /** Answer the next `count` matching requests with `spec.status` in Google's error shape. */
  failNext(count: number, spec: FailSpec = {}): void {
    this.failures.push({ remaining: count, spec });
  }

  /** Never answer the next `count` matching requests (until the client gives up or close()). */
  hangNext(count: number, spec: HangSpec = {}): void {
    this.hangs.push({ remaining: count, spec });
  }

  /** Per-account request quota over a sliding window (Google: 600 a minute per user); null removes it. */
  setQuota(spec: QuotaSpec | null): void {
    this.quota = spec ? { windowMs: 60_000, status: 403, reason: 'rateLimitExceeded', ...spec } : null;
    this.usage.clear();
  }

  /** Sync tokens (and sync page tokens) issued so far for the calendar (or all) answer 410 fullSyncRequired. */
  invalidateSyncTokens(calendarId?: string): void {
    for (const c of this.calendars.values()) if (!calendarId || c.id === calendarId) c.generation++;
  }

  /** Let channels (of one calendar, or all) run out now: notify() skips them. */
  expireChannels(calendarId?: string): void {
    for (const ch of this.channels.values()) if (!calendarId || ch.calendarId === calendarId) ch.expiration = Math.min(ch.expiration, Date.now() - 1);
  }

  // ----- state for assertions ----------------------------------------------------------------------

  /** The events of a calendar as Google holds them now (copies); deleted ones only with includeCancelled. */
  events(calendarId: string, options: { includeCancelled?: boolean } = {}): CalendarEvent[] {
    const cal = this.calendars.get(calendarId);
    if (!cal) return [];
    return [...cal.events.values()].filter((e) => options.includeCancelled || e.resource.status !== 'cancelled').map((e) => clone(e.resource));
  }

  event(calendarId: string, eventId: string): CalendarEvent | undefined {
    const e = this.calendars.get(calendarId)?.events.get(eventId);
    return e ? clone(e.resource) : undefined;
  }

  /** Requests of one method (Google's name), optionally of one calendar (resolved id). */
  requestsFor(op: CalendarOp, calendarId?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.op === op && (!calendarId || r.resolvedCalendarId === calendarId || r.calendarId === calendarId));
  }

  /** Channels that have not been stopped and have not run out. */
  liveChannels(calendarId?: string): WatchChannel[] {
    const now = Date.now();
    return [...this.channels.values()].filter((c) => !c.stopped && c.expiration > now && (!calendarId || c.calendarId === calendarId));
  }

  /** Resolves when the notifications already started have been delivered (or failed). */
  async settled(): Promise<void> {
    while (this.deliveries.size) await Promise.allSettled([...this.deliveries]);
  }

  // ----- the user in Google Calendar's UI ----------------------------------------------------------

  /** The practitioner adds an event of their own in Google Calendar. */
  userCreate(calendarId: string, event: EventInput): CalendarEvent {
    const cal = this.calendarFor(calendarId, calendarId);
    const id = typeof event.id === 'string' ? event.id : newEventId();
    if (cal.events.has(id)) throw new Error(`event ${id} already exists in ${calendarId}`);
    const stored = this.store(cal, id, this.build(cal, id, event, null));
    this.changed(cal, 'user');
    return clone(stored.resource);
  }

  /** The practitioner drags an event to another time. */
  userMove(calendarId: string, eventId: string, to: { start: EventDateTime; end: EventDateTime }): CalendarEvent {
    return this.userUpdate(calendarId, eventId, { start: to.start, end: to.end });
  }

  /** The practitioner edits an event (patch semantics; start/end replace as given). */
  userUpdate(calendarId: string, eventId: string, patch: EventInput): CalendarEvent {
    const { cal, stored } = this.userFind(calendarId, eventId);
    const next: Record<string, unknown> = { ...mergePatch(stored.resource, patch) };
    if (patch.start) next.start = clone(patch.start);
    if (patch.end) next.end = clone(patch.end);
    const resource = next as CalendarEvent;
    resource.sequence = (stored.resource.sequence ?? 0) + 1;
    this.touch(cal, stored, resource);
    this.changed(cal, 'user');
    return clone(stored.resource);
  }

  /** The practitioner deletes an event: it stays as status 'cancelled' for incremental sync. */
  userDelete(calendarId: string, eventId: string): CalendarEvent {
    const { cal, stored } = this.userFind(calendarId, eventId);
    if (stored.resource.status === 'cancelled') throw new Error(`event ${eventId} is already deleted`);
    this.touch(cal, stored, { ...stored.resource, status: 'cancelled', sequence: (stored.resource.sequence ?? 0) + 1 });
    this.changed(cal, 'user');
    return clone(stored.resource);
  }

  /**
   * The practitioner deletes one instance of a recurring event ("this event" in Google Calendar):
   * the instance on that local date becomes a cancelled exception, listed by the next incremental
   * sync with recurringEventId and originalStartTime.
   */
  userCancelInstance(calendarId: string, seriesId: string, date: string): CalendarEvent {
    const { cal, stored } = this.userInstance(calendarId, seriesId, date);
    if (stored.resource.status === 'cancelled') throw new Error(`the ${date} instance of ${seriesId} is already deleted`);
    this.touch(cal, stored, { ...stored.resource, status: 'cancelled', sequence: (stored.resource.sequence ?? 0) + 1 });
    this.changed(cal, 'user');
    return clone(stored.resource);
  }

  /** The practitioner drags one instance of a recurring event elsewhere: a confirmed exception at the new time. */
  userMoveInstance(calendarId: string, seriesId: string, date: string, to: { start: EventDateTime; end: EventDateTime }): CalendarEvent {
    const { cal, stored } = this.userInstance(calendarId, seriesId, date);
    const resource: CalendarEvent = { ...stored.resource, start: clone(to.start), end: clone(to.end), sequence: (stored.resource.sequence ?? 0) + 1 };
    this.touch(cal, stored, resource);
    this.changed(cal, 'user');
    return clone(stored.resource);
  }

  /** A series' instance whose original start falls on a local date (of the series' zone). */
  private userInstance(calendarId: string, seriesId: string, date: string): { cal: CalendarState; stored: StoredEvent } {
    const { cal, stored: master } = this.userFind(calendarId, seriesId);
    const day = Date.parse(`${date}T00:00:00Z`);
    const occurrence = recurrenceOccurrences(master.resource, this.options.timeZone, day - 86_400_000, day + 2 * 86_400_000).find(
      (o) => (o.originalStartTime.date ?? o.originalStartTime.dateTime!.slice(0, 10)) === date,
    );
    const stored = occurrence ? this.find(cal, `${seriesId}_${occurrence.stamp}`) : undefined;
    if (!stored) throw new Error(`${seriesId} has no instance on ${date}`);
    return { cal, stored };
  }

  // ----- push notifications ------------------------------------------------------------------------

  /**
   * POST a notification to every live channel of the calendar: Google's X-Goog-* headers and an empty
   * body. Calendar sends 'exists' for any change in the watched events collection (a deleted event too);
   * 'not_exists' means the watched resource itself is gone. Resolves when delivered.
   */
  async notify(calendarId: string, state: Exclude<ResourceState, 'sync'> = 'exists'): Promise<RecordedNotification[]> {
    const out = await Promise.all(this.liveChannels(calendarId).map((ch) => this.deliver(ch, state)));
    return out.flat();
  }

  private deliver(ch: WatchChannel, state: ResourceState): Promise<RecordedNotification[]> {
    ch.messageNumber += 1;
    const headers: Record<string, string> = {
      'X-Goog-Channel-ID': ch.id,
      'X-Goog-Channel-Expiration': new Date(ch.expiration).toUTCString(),
      'X-Goog-Resource-ID': ch.resourceId,
      'X-Goog-Resource-URI': ch.resourceUri,
      'X-Goog-Resource-State': state,
      'X-Goog-Message-Number': String(ch.messageNumber),
      'Content-Length': '0',
      'User-Agent': 'APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)',
      Accept: '*/*',
    };
    if (ch.token !== null) headers['X-Goog-Channel-Token'] = ch.token;
    const copies = this.options.duplicateNotifications ? 2 : 1;
    const run = (async () => {
      const out: RecordedNotification[] = [];
      for (let i = 0; i < copies; i++) {
        const record: RecordedNotification = {
          at: Date.now(),
          channelId: ch.id,
          address: ch.address,
          calendarId: ch.calendarId,
          state,
          messageNumber: ch.messageNumber,
          headers: { ...headers },
          status: null,
        };
        if (i > 0) record.duplicate = true;
        this.notifications.push(record);
        try {
          record.status = await postEmpty(ch.address, headers);
        } catch (e) {
          record.error = e instanceof Error ? e.message : String(e);
        }
        out.push(record);
      }
      return out;
    })();
    this.deliveries.add(run);
    void run.finally(() => this.deliveries.delete(run));
    return run;
  }

  // ----- HTTP --------------------------------------------------------------------------------------

  private async serveStandalone(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (await this.handleRequest(req, res, text)) return;
    send(res, 404, googleError(404, 'notFound', 'Not Found'));
  }

  /**
   * Serve a request whose body has been read. Claims /calendar/v3/*, the /__calendar/* controls and
   * POST /token with grant_type=refresh_token (standalone: every POST /token). Returns false otherwise.
   */
  async handleRequest(req: IncomingMessage, res: ServerResponse, text: string): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const path = url.pathname;
    if (path.startsWith('/__calendar/')) {
      await this.control(req.method ?? 'GET', path, url, text, res);
      return true;
    }
    const isToken = req.method === 'POST' && path === '/token';
    if (isToken && this.mounted && parseBody(req, text).parsed?.grant_type !== 'refresh_token') return false;
    if (!isToken && !path.startsWith('/calendar/v3/')) return false;
    await this.api(req, res, url, text);
    return true;
  }

  private async api(req: IncomingMessage, res: ServerResponse, url: URL, text: string): Promise<void> {
    const method = req.method ?? 'GET';
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const query: Record<string, string | string[]> = {};
    for (const k of new Set(url.searchParams.keys())) {
      const all = url.searchParams.getAll(k);
      query[k] = all.length > 1 ? all : (all[0] ?? '');
    }
    const { parsed, raw } = parseBody(req, text);
    const route = routeOf(method, url.pathname);
    const record: RecordedRequest = {
      seq: ++this.seq,
      at: Date.now(),
      method,
      path: url.pathname,
      op: route.op,
      query,
      headers,
      authorization: req.headers.authorization ?? null,
      account: null,
      body: parsed ?? raw,
      status: null,
    };
    if (route.calendarId !== undefined) record.calendarId = route.calendarId;
    if (route.eventId !== undefined) record.eventId = route.eventId;
    this.requests.push(record);
    res.once('close', () => {
      this.hanging.delete(res);
      if (!res.writableEnded) record.closedUnanswered = true;
    });
    const answer = (status: number, body: unknown, extraHeaders: Record<string, string> = {}) => {
      record.status = status;
      record.response = body;
      if (route.op === 'oauth.token') {
        this.tokenRequests.push({
          at: record.at,
          params: (parsed ?? {}) as Record<string, string>,
          authorization: record.authorization,
          status,
          body: body as Record<string, unknown>,
        });
      }
      send(res, status, body, extraHeaders);
    };

    // Knobs first: a failure or a hang comes whatever the request says.
    const hang = this.take(this.hangs, route, url.pathname);
    if (hang && !hang.execute) {
      record.injected = 'hang';
      this.hanging.add(res);
      return;
    }
    const failure = hang ? undefined : this.take(this.failures, route, url.pathname);
    if (failure) {
      record.injected = 'fail';
      const status = failure.status ?? 500;
      const d = defaultError(status, failure.reason);
      const extra: Record<string, string> = failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {};
      return answer(status, googleError(status, d.reason, failure.message ?? d.message, { domain: failure.domain ?? d.domain }), extra);
    }

    let result: { status: number; body: unknown; headers?: Record<string, string>; after?: () => void };
    try {
      if (route.op === 'oauth.token') result = this.token(req, (parsed ?? {}) as Record<string, string>);
      else {
        const account = this.authenticate(req);
        record.account = account;
        this.chargeQuota(account, record);
        result = this.calendarCall(route, method, url, parsed, raw, account, req, record);
      }
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      result = { status: e.status, body: e.body, headers: e.headers };
    }
    if (hang?.execute) {
      // Done, and the answer is lost.
      record.injected = 'hang-after-execute';
      this.hanging.add(res);
      result.after?.();
      return;
    }
    // Google sends the 'sync' message once the watch has been answered.
    if (result.after) res.once('finish', result.after);
    answer(result.status, result.body, result.headers);
  }

  private take<T extends { op?: CalendarOp; path?: string | RegExp; calendarId?: string }>(
    queue: Array<Pending<T>>,
    route: Route,
    path: string,
  ): T | undefined {
    const i = queue.findIndex(
      (p) =>
        (!p.spec.op || p.spec.op === route.op) && matchesPath(path, p.spec.path) && (!p.spec.calendarId || p.spec.calendarId === route.calendarId),
    );
    if (i < 0) return undefined;
    const pending = queue[i]!;
    pending.remaining -= 1;
    if (pending.remaining <= 0) queue.splice(i, 1);
    return pending.spec;
  }

  private authenticate(req: IncomingMessage): string {
    const bearer = req.headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
    const account = bearer ? this.accountForAccessToken(bearer) : null;
    if (account) return account;
    const body = googleError(401, 'authError', 'Invalid Credentials', { location: 'Authorization', locationType: 'header' });
    body.error.message =
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
    throw new HttpError(401, body, { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' });
  }

  private chargeQuota(account: string, record: RecordedRequest): void {
    if (!this.quota) return;
    const now = Date.now();
    const used = (this.usage.get(account) ?? []).filter((t) => t > now - this.quota!.windowMs);
    if (used.length >= this.quota.limit) {
      this.usage.set(account, used);
      record.injected = 'quota';
      const d = defaultError(this.quota.status, this.quota.reason);
      throw new HttpError(this.quota.status, googleError(this.quota.status, d.reason, d.message, { domain: d.domain }));
    }
    used.push(now);
    this.usage.set(account, used);
  }

  // ----- token endpoint ----------------------------------------------------------------------------

  private token(req: IncomingMessage, params: Record<string, string>): { status: number; body: unknown } {
    let clientId = params.client_id;
    let secret = params.client_secret;
    const authorization = req.headers.authorization;
    if (authorization?.startsWith('Basic ')) {
      const [id, pw] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent((id ?? '').replace(/\+/g, ' '));
      secret = decodeURIComponent((pw ?? '').replace(/\+/g, ' '));
    }
    if (clientId !== this.client.id || secret !== this.client.secret) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'The OAuth client was not found.' } };
    }
    if (params.grant_type !== 'refresh_token') {
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${params.grant_type ?? ''}` } };
    }
    if (!params.refresh_token)
      return { status: 400, body: { error: 'invalid_request', error_description: 'Missing required parameter: refresh_token' } };
    const rt = this.refreshTokens.get(params.refresh_token);
    if (!rt || rt.revoked) return { status: 400, body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } };
    const accessToken = this.issueAccessToken(rt.email, { scope: rt.scope });
    return {
      status: 200,
      body: { access_token: accessToken, expires_in: this.options.accessTokenLifetimeSeconds, scope: rt.scope, token_type: 'Bearer' },
    };
  }

  // ----- Calendar API ------------------------------------------------------------------------------

  private calendarCall(
    route: Route,
    method: string,
    url: URL,
    body: Record<string, unknown> | null,
    raw: string,
    account: string,
    req: IncomingMessage,
    record: RecordedRequest,
  ): { status: number; body: unknown; after?: () => void } {
    if (route.op === 'channels.stop') return this.stopChannel(body);
    if (route.op === 'unknown' || route.calendarId === undefined) throw fail(404);
    if (raw && body === null && method !== 'GET' && method !== 'DELETE') throw new HttpError(400, googleError(400, 'parseError', 'Parse Error'));
    const cal = this.access(route.calendarId, account);
    record.resolvedCalendarId = cal.id;
    switch (route.op) {
      case 'events.insert':
        return { status: 200, body: this.insert(cal, body ?? {}) };
      case 'events.get':
        return { status: 200, body: this.find(cal, route.eventId!).resource };
      case 'events.patch':
        return { status: 200, body: this.patch(cal, route.eventId!, body ?? {}, req) };
      case 'events.update':
        return { status: 200, body: this.update(cal, route.eventId!, body ?? {}, req) };
      case 'events.delete':
        this.remove(cal, route.eventId!, req);
        return { status: 204, body: null };
      case 'events.list':
        return { status: 200, body: this.list(cal, url.searchParams) };
      case 'events.instances':
        return { status: 200, body: this.instances(cal, route.eventId!, url.searchParams) };
      case 'events.watch':
        return this.watch(cal, route.calendarId, body ?? {}, account, url.searchParams);
      default:
        throw fail(404);
    }
  }

  /** 'primary' is the account's own calendar; another calendar only if the account owns it (else 404, as Google). */
  private access(calendarId: string, account: string): CalendarState {
    const id = calendarId === 'primary' ? account : calendarId;
    const cal = id === account ? this.calendarFor(id, account) : this.calendars.get(id);
    if (!cal || cal.owner !== account) throw fail(404);
    return cal;
  }

  /** A calendar owned by `owner` (made on first use). Other than the primary one: `addCalendar`. */
  addCalendar(calendarId: string, owner: string): void {
    this.calendarFor(calendarId, owner);
  }

  private calendarFor(id: string, owner: string): CalendarState {
    let cal = this.calendars.get(id);
    if (!cal) {
      cal = {
        id,
        owner,
        events: new Map(),
        seq: 0,
        generation: 0,
        resourceId: createHash('sha1').update(`${this.epoch}:${id}`).digest('base64url').slice(0, 27),
      };
      this.calendars.set(id, cal);
    }
    return cal;
  }

  private find(cal: CalendarState, eventId: string): StoredEvent {
    const e = cal.events.get(eventId) ?? this.instanceAsException(cal, eventId);
    if (!e) throw fail(404);
    return e;
  }

  /**
   * An instance of a series addressed by its id (`<series>_<stamp>`), made an exception of its own
   * the first time it is written to, as Google does: it starts as the instance the rule gives.
   */
  private instanceAsException(cal: CalendarState, instanceId: string): StoredEvent | undefined {
    const at = instanceId.lastIndexOf('_');
    if (at <= 0) return undefined;
    const master = cal.events.get(instanceId.slice(0, at));
    if (!master || master.resource.status === 'cancelled' || !master.resource.recurrence?.length) return undefined;
    const stamp = instanceId.slice(at + 1);
    const m = ICAL_DATE.exec(stamp);
    if (!m) return undefined;
    const [, y, mo, d, h = '00', mi = '00', se = '00'] = m;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
    const occurrence = recurrenceOccurrences(master.resource, this.options.timeZone, ms - 86_400_000, ms + 2 * 86_400_000).find(
      (o) => o.stamp === stamp,
    );
    if (!occurrence) return undefined;
    const stored: StoredEvent = { resource: this.instanceResource(master.resource, occurrence), changeSeq: master.changeSeq };
    cal.events.set(instanceId, stored);
    return stored;
  }

  /** An instance as the series gives it: the series' fields without its rule, at the occurrence's time. */
  private instanceResource(master: CalendarEvent, o: Occurrence): CalendarEvent {
    const resource: CalendarEvent = {
      ...clone(master),
      id: `${master.id}_${o.stamp}`,
      recurringEventId: master.id,
      originalStartTime: o.originalStartTime,
    };
    delete resource.recurrence;
    resource.start = clone(o.start);
    resource.end = clone(o.end);
    return resource;
  }

  /** A series' instances between two instants: exceptions as they now are (deleted ones only when asked), the others as the rule gives them. */
  private instancesOf(cal: CalendarState, master: StoredEvent, fromMs: number, toMs: number, showDeleted: boolean): StoredEvent[] {
    if (master.resource.status === 'cancelled') return [];
    const out: StoredEvent[] = [];
    for (const o of recurrenceOccurrences(master.resource, this.options.timeZone, fromMs, toMs)) {
      const exception = cal.events.get(`${master.resource.id}_${o.stamp}`);
      if (exception) {
        if (showDeleted || exception.resource.status !== 'cancelled') out.push(exception);
      } else out.push({ resource: this.instanceResource(master.resource, o), changeSeq: master.changeSeq });
    }
    return out;
  }

  private userFind(calendarId: string, eventId: string): { cal: CalendarState; stored: StoredEvent } {
    const cal = this.calendars.get(calendarId);
    const stored = cal?.events.get(eventId);
    if (!cal || !stored) throw new Error(`no event ${eventId} in calendar ${calendarId}`);
    return { cal, stored };
  }

  private nextEtag(): string {
    this.etagClock = Math.max(this.etagClock + 1, Date.now() * 1000);
    return `"${this.etagClock}"`;
  }

  private nowIso(): string {
    return new Date().toISOString();
  }

  /** Validate and build a full resource from what a client sent; `prior` keeps the server-owned fields. */
  private build(cal: CalendarState, id: string, input: Record<string, unknown>, prior: CalendarEvent | null): CalendarEvent {
    // Read-only fields a client may send back (from a get) are ignored, as Google does.
    const fields: Record<string, unknown> = { ...input };
    for (const k of ['kind', 'etag', 'htmlLink', 'created', 'updated', 'creator', 'organizer', 'iCalUID', 'id']) delete fields[k];
    const start = fields.start as EventDateTime | undefined;
    const end = fields.end as EventDateTime | undefined;
    if (!start || (!start.date && !start.dateTime)) throw required('Missing start time.');
    if (!end || (!end.date && !end.dateTime)) throw required('Missing end time.');
    for (const [name, t] of [
      ['start', start],
      ['end', end],
    ] as const) {
      if (t.dateTime && !HAS_OFFSET.test(t.dateTime) && !t.timeZone) {
        throw required(`Missing time zone definition for ${name} time.`);
      }
      if (t.timeZone) {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: t.timeZone });
        } catch {
          throw invalid(`Invalid time zone definition for ${name} time.`);
        }
      }
      if (instantOf(t, this.options.timeZone) === null) throw invalid(`Invalid ${name} time.`);
    }
    if (Boolean(start.date) !== Boolean(end.date)) throw invalid('Start and end times must either both be date or both be dateTime.');
    if (fields.recurrence !== undefined && fields.recurrence !== null) {
      const lines = fields.recurrence;
      if (!Array.isArray(lines) || lines.some((l) => typeof l !== 'string' || !RECURRENCE_LINE.test(l))) throw invalid('Invalid recurrence rule.');
      const rrule = (lines as string[]).find((l) => l.startsWith('RRULE:'));
      try {
        if (rrule) RRule.parseString(rrule.slice('RRULE:'.length));
      } catch {
        throw invalid('Invalid recurrence rule.');
      }
      // A recurring timed event is expanded in its time zone, so Google asks for one (an offset is not enough).
      if (lines.length > 0 && start.dateTime && !start.timeZone) throw required('Missing time zone definition for start time.');
      if (lines.length > 0 && end.dateTime && !end.timeZone) throw required('Missing time zone definition for end time.');
    }
    if ((instantOf(end, this.options.timeZone) ?? 0) < (instantOf(start, this.options.timeZone) ?? 0)) {
      throw new HttpError(400, googleError(400, 'timeRangeEmpty', 'The specified time range is empty.', { domain: 'calendar' }));
    }
    if (fields.colorId !== undefined && !/^(?:[1-9]|1[01])$/.test(String(fields.colorId))) throw invalid('Invalid color id');
    if (fields.status !== undefined && !['confirmed', 'tentative', 'cancelled'].includes(String(fields.status)))
      throw invalid('Invalid value for: status');
    const now = this.nowIso();
    const owner = { email: cal.owner, self: true };
    return {
      kind: 'calendar#event',
      etag: '',
      id,
      status: 'confirmed',
      htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(`${id} ${cal.id}`).toString('base64url')}`,
      created: prior?.created ?? now,
      updated: now,
      creator: prior?.creator ?? owner,
      organizer: prior?.organizer ?? owner,
      iCalUID: prior?.iCalUID ?? `${id}@google.com`,
      sequence: prior?.sequence ?? 0,
      reminders: { useDefault: true },
      eventType: 'default',
      ...clone(fields),
    } as CalendarEvent;
  }

  private store(cal: CalendarState, id: string, resource: CalendarEvent): StoredEvent {
    resource.etag = this.nextEtag();
    const stored: StoredEvent = { resource, changeSeq: ++cal.seq };
    cal.events.set(id, stored);
    return stored;
  }

  private touch(cal: CalendarState, stored: StoredEvent, resource: CalendarEvent): void {
    resource.etag = this.nextEtag();
    resource.updated = this.nowIso();
    stored.resource = resource;
    stored.changeSeq = ++cal.seq;
  }

  private changed(cal: CalendarState, by: 'user' | 'api'): void {
    const mode = this.options.autoNotify;
    if (mode === 'all' || (mode === 'user' && by === 'user')) void this.notify(cal.id, 'exists');
  }

  private checkIfMatch(req: IncomingMessage, stored: StoredEvent): void {
    const ifMatch = req.headers['if-match'];
    if (ifMatch && ifMatch !== '*' && ifMatch !== stored.resource.etag)
      throw fail(412, 'conditionNotMet', undefined, { location: 'If-Match', locationType: 'header' });
  }

  private insert(cal: CalendarState, body: Record<string, unknown>): CalendarEvent {
    let id: string;
    if (body.id !== undefined && body.id !== null) {
      id = String(body.id);
      if (!BASE32HEX.test(id)) throw invalid('Invalid resource id value.');
      // Deleted events keep their id: inserting it again is a duplicate too (restore with update/patch).
      if (cal.events.has(id)) throw fail(409, 'duplicate');
    } else id = newEventId();
    const stored = this.store(cal, id, this.build(cal, id, body, null));
    stored.resource.status = body.status === 'tentative' ? 'tentative' : 'confirmed';
    this.changed(cal, 'api');
    return clone(stored.resource);
  }

  private patch(cal: CalendarState, eventId: string, body: Record<string, unknown>, req: IncomingMessage): CalendarEvent {
    const stored = this.find(cal, eventId);
    this.checkIfMatch(req, stored);
    if (body.id !== undefined && body.id !== eventId) throw invalid('Invalid resource id value.');
    const merged = mergePatch(stored.resource, body);
    return this.replace(cal, stored, merged);
  }

  private update(cal: CalendarState, eventId: string, body: Record<string, unknown>, req: IncomingMessage): CalendarEvent {
    const stored = this.find(cal, eventId);
    this.checkIfMatch(req, stored);
    if (body.id !== undefined && body.id !== eventId) throw invalid('Invalid resource id value.');
    return this.replace(cal, stored, body);
  }

  private replace(cal: CalendarState, stored: StoredEvent, fields: Record<string, unknown>): CalendarEvent {
    const prior = stored.resource;
    const next = this.build(cal, prior.id, fields, prior);
    // An update that does not say otherwise keeps a deleted event deleted; status 'confirmed' restores it.
    next.status = (fields.status as CalendarEvent['status'] | undefined) ?? (prior.status === 'cancelled' ? 'cancelled' : 'confirmed');
    const moved =
      JSON.stringify([prior.start, prior.end, prior.location, prior.recurrence]) !==
      JSON.stringify([next.start, next.end, next.location, next.recurrence]);
    next.sequence = (prior.sequence ?? 0) + (moved ? 1 : 0);
    this.touch(cal, stored, next);
    this.changed(cal, 'api');
    return clone(stored.resource);
  }

  private remove(cal: CalendarState, eventId: string, req: IncomingMessage): void {
    const stored = this.find(cal, eventId);
    if (stored.resource.status === 'cancelled') throw fail(410, 'deleted');
    this.checkIfMatch(req, stored);
    this.touch(cal, stored, { ...stored.resource, status: 'cancelled' });
    this.changed(cal, 'api');
  }

  private list(cal: CalendarState, q: URLSearchParams): Record<string, unknown> {
    const syncToken = q.get('syncToken');
    const pageToken = q.get('pageToken');
    const timeMin = q.get('timeMin');
    const timeMax = q.get('timeMax');
    const orderBy = q.get('orderBy');
    const props = q.getAll('privateExtendedProperty');
    const showDeletedParam = q.get('showDeleted');
    const singleEvents = q.get('singleEvents') === 'true';
    const rawMax = q.get('maxResults');
    const maxResults = rawMax === null ? 250 : Number(rawMax);
    if (!Number.isInteger(maxResults) || maxResults < 1)
      throw invalid(`Invalid value '${rawMax}'. Values must be within the range: [1, 2500]`, 'maxResults');
    const pageSize = Math.min(maxResults, 2500);

    if (syncToken !== null) {
      for (const p of ['timeMin', 'timeMax', 'orderBy', 'privateExtendedProperty', 'sharedExtendedProperty', 'q', 'iCalUID', 'updatedMin']) {
        if (q.has(p)) throw invalid(`Parameter '${p}' cannot be used together with syncToken.`, p);
      }
      if (showDeletedParam === 'false') throw invalid('showDeleted cannot be false with syncToken: deletions are always included.', 'showDeleted');
    }
    if (orderBy !== null && orderBy !== 'startTime' && orderBy !== 'updated') throw invalid(`Invalid value for: ${orderBy}`, 'orderBy');
    if (orderBy === 'startTime' && !singleEvents) throw invalid('The requested ordering is not available for the particular query.', 'orderBy');
    const minMs = timeMin === null ? null : this.parseBound(timeMin, 'timeMin');
    const maxMs = timeMax === null ? null : this.parseBound(timeMax, 'timeMax');
    if (minMs !== null && maxMs !== null && maxMs <= minMs) {
      throw new HttpError(
        400,
        googleError(400, 'timeRangeEmpty', 'The specified time range is empty.', {
          domain: 'calendar',
          location: 'timeMax',
          locationType: 'parameter',
        }),
      );
    }
    const propFilters = props.map((p) => {
      const at = p.indexOf('=');
      if (at <= 0) throw invalid(`Invalid value for: ${p}`, 'privateExtendedProperty');
      return [p.slice(0, at), p.slice(at + 1)] as const;
    });
    const queryHash = createHash('sha1')
      .update(JSON.stringify([...q.entries()].filter(([k]) => k !== 'pageToken').sort()))
      .digest('base64url')
      .slice(0, 10);

    let cursor: ListCursor;
    if (pageToken !== null) {
      const parsed = unb64<ListCursor>(pageToken);
      if (!parsed || typeof parsed.s !== 'number' || parsed.c !== cal.id || parsed.h !== queryHash)
        throw invalid('Invalid page token value.', 'pageToken');
      // A sync listing whose token was invalidated (or any listing from before a reset) must start over.
      if (parsed.e !== this.epoch || (parsed.b !== null && parsed.g !== cal.generation)) {
        if (parsed.b !== null) throw fail(410, 'fullSyncRequired');
        throw invalid('Invalid page token value.', 'pageToken');
      }
      cursor = parsed;
    } else if (syncToken !== null) {
      const parsed = unb64<{ e: string; c: string; g: number; s: number }>(syncToken);
      if (!parsed || typeof parsed.s !== 'number' || typeof parsed.c !== 'string') throw invalid('Invalid sync token value.', 'syncToken');
      // Older than a reset, an invalidation, or of another calendar: Google says sync again from scratch.
      if (parsed.e !== this.epoch || parsed.c !== cal.id || parsed.g !== cal.generation || parsed.s > cal.seq) throw fail(410, 'fullSyncRequired');
      cursor = { e: this.epoch, c: cal.id, g: cal.generation, s: cal.seq, b: parsed.s, a: null, h: queryHash };
    } else {
      cursor = { e: this.epoch, c: cal.id, g: cal.generation, s: cal.seq, b: null, a: null, h: queryHash };
    }

    const incremental = cursor.b !== null;
    const showDeleted = incremental || showDeletedParam === 'true';
    const zone = this.options.timeZone;
    const keyOf = (e: StoredEvent): [string, string] => {
      if (orderBy === 'startTime') return [String(instantOf(e.resource.start, zone) ?? 0).padStart(16, '0'), e.resource.id];
      if (orderBy === 'updated') return [e.resource.updated ?? '', e.resource.id];
      return ['', e.resource.id];
    };
    const cmp = (a: [string, string], b: [string, string]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
    const source = singleEvents && !incremental ? this.expanded(cal, minMs, maxMs, showDeleted) : [...cal.events.values()];
    const candidates = source
      .filter((e) => e.changeSeq <= cursor.s && (cursor.b === null || e.changeSeq > cursor.b))
      .filter((e) => showDeleted || e.resource.status !== 'cancelled')
      .filter((e) => {
        if (incremental || e.resource.status === 'cancelled') return true;
        const s = instantOf(e.resource.start, zone);
        const en = instantOf(e.resource.end, zone);
        if (minMs !== null && en !== null && en <= minMs) return false;
        if (maxMs !== null && s !== null && s >= maxMs) return false;
        return propFilters.every(([k, v]) => e.resource.extendedProperties?.private?.[k] === v);
      })
      .map((e) => ({ e, key: keyOf(e) }))
      .sort((x, y) => cmp(x.key, y.key))
      .filter((x) => cursor.a === null || cmp(x.key, cursor.a) > 0);
    const page = candidates.slice(0, pageSize);
    const more = candidates.length > page.length;
    const items = page.map(({ e }) => this.listed(e.resource));
    const latest = [...cal.events.values()].reduce(
      (m, e) => (e.resource.updated && e.resource.updated > m ? e.resource.updated : m),
      new Date(0).toISOString(),
    );
    const response: Record<string, unknown> = {
      kind: 'calendar#events',
      etag: `"p3${cursor.s.toString(16).padStart(8, '0')}"`,
      summary: cal.id,
      description: '',
      updated: latest,
      timeZone: zone,
      accessRole: 'owner',
      defaultReminders: [{ method: 'popup', minutes: 10 }],
      items,
    };
    if (more) response.nextPageToken = b64({ ...cursor, a: page[page.length - 1]!.key });
    else response.nextSyncToken = b64({ e: cursor.e, c: cal.id, g: cursor.g, s: cursor.s });
    return response;
  }

  /**
   * As a list shows an event: a deleted one by its id and status only, a deleted instance also
   * with recurringEventId and originalStartTime (all Google promises for those).
   */
  private listed(resource: CalendarEvent): Record<string, unknown> {
    if (resource.status !== 'cancelled') return clone(resource);
    const out: Record<string, unknown> = { kind: 'calendar#event', etag: resource.etag, id: resource.id, status: 'cancelled' };
    if (resource.recurringEventId) {
      out.recurringEventId = resource.recurringEventId;
      out.originalStartTime = clone(resource.originalStartTime);
    }
    return out;
  }

  /** `singleEvents=true`: every series as its instances (up to two years past timeMin when no timeMax), the rest as they are. */
  private expanded(cal: CalendarState, minMs: number | null, maxMs: number | null, showDeleted: boolean): StoredEvent[] {
    const from = minMs ?? 0;
    const to = maxMs ?? (minMs ?? Date.now()) + 730 * 86_400_000;
    const out: StoredEvent[] = [];
    for (const e of cal.events.values()) {
      if (e.resource.recurringEventId) continue; // with its series
      if (e.resource.recurrence?.length) out.push(...this.instancesOf(cal, e, from, to, showDeleted));
      else out.push(e);
    }
    return out;
  }

  /** events.instances: a series' instances in [timeMin, timeMax), deleted ones with showDeleted. */
  private instances(cal: CalendarState, eventId: string, q: URLSearchParams): Record<string, unknown> {
    const master = cal.events.get(eventId);
    if (!master || !master.resource.recurrence?.length) throw fail(404);
    if (master.resource.status === 'cancelled') throw fail(410, 'deleted');
    const timeMin = q.get('timeMin');
    const timeMax = q.get('timeMax');
    const from = timeMin === null ? (instantOf(master.resource.start, this.options.timeZone) ?? 0) : this.parseBound(timeMin, 'timeMin');
    const to = timeMax === null ? from + 730 * 86_400_000 : this.parseBound(timeMax, 'timeMax');
    const rawMax = q.get('maxResults');
    const pageSize = Math.min(rawMax === null ? 250 : Math.max(1, Number(rawMax) || 250), 2500);
    const offset = q.get('pageToken') === null ? 0 : (unb64<{ o: number }>(q.get('pageToken')!)?.o ?? 0);
    const all = this.instancesOf(cal, master, from, to, q.get('showDeleted') === 'true').sort(
      (a, b) =>
        (instantOf(a.resource.originalStartTime, this.options.timeZone) ?? 0) - (instantOf(b.resource.originalStartTime, this.options.timeZone) ?? 0),
    );
    const page = all.slice(offset, offset + pageSize);
    const response: Record<string, unknown> = {
      kind: 'calendar#events',
      summary: cal.id,
      timeZone: this.options.timeZone,
      accessRole: 'owner',
      items: page.map((e) => this.listed(e.resource)),
    };
    if (offset + pageSize < all.length) response.nextPageToken = b64({ o: offset + pageSize });
    return response;
  }

  private parseBound(value: string, name: string): number {
    // Google requires an offset ("2026-11-20T00:00:00+08:00" or "…Z").
    const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[zZ]|[+-]\d{2}:\d{2})$/.test(value) ? Date.parse(value) : NaN;
    if (Number.isNaN(ms)) throw new HttpError(400, googleError(400, 'badRequest', 'Bad Request', { location: name, locationType: 'parameter' }));
    return ms;
  }

  private watch(
    cal: CalendarState,
    requestedId: string,
    body: Record<string, unknown>,
    account: string,
    q: URLSearchParams,
  ): { status: number; body: unknown; after: () => void } {
    const id = body.id;
    if (typeof id !== 'string' || id === '') throw required('Required');
    if (id.length > 64) throw invalid(`Channel id must be 64 characters or fewer: ${id.length}`);
    if (!/^[A-Za-z0-9\-_+/=]+$/.test(id)) throw invalid('Channel id contains characters that are not allowed.');
    if (body.type !== 'web_hook' && body.type !== 'webhook')
      throw new HttpError(400, googleError(400, 'push.channelTypeInvalid', `Invalid channel type: ${String(body.type)}`, { domain: 'push' }));
    const address = typeof body.address === 'string' ? body.address : '';
    let parsed: URL | null = null;
    try {
      parsed = new URL(address);
    } catch {
      parsed = null;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol))
      throw new HttpError(400, googleError(400, 'push.webhookUrlUnparseable', `Unparseable WebHook callback URL: ${address}`, { domain: 'push' }));
    if (this.options.requireHttpsWebhooks && parsed.protocol !== 'https:')
      throw new HttpError(400, googleError(400, 'push.webhookUrlNotHttps', `WebHook callback must be HTTPS: ${address}`, { domain: 'push' }));
    if (this.channels.has(id)) throw new HttpError(400, googleError(400, 'channelIdNotUnique', `Channel id ${id} not unique`));
    const token = typeof body.token === 'string' ? body.token : null;
    if (token !== null && token.length > 256) throw invalid('Channel token must be 256 characters or fewer.');
    const requested = body.expiration === undefined || body.expiration === null ? null : Number(body.expiration);
    if (requested !== null && !Number.isFinite(requested)) throw invalid(`Invalid value for: ${String(body.expiration)}`);
    // Without an expiration Google gives a week; channels never renew themselves.
    const expiration = requested ?? Date.now() + 7 * 24 * 3600 * 1000;
    const params = isPlainObject(body.params) ? (body.params as Record<string, string>) : undefined;
    const channel: WatchChannel = {
      id,
      resourceId: cal.resourceId,
      resourceUri: `https://www.googleapis.com/calendar/v3/calendars/${encodeURIComponent(requestedId)}/events?alt=json${q.toString() ? `&${q.toString()}` : ''}`,
      calendarId: cal.id,
      address,
      token,
      expiration,
      account,
      createdAt: Date.now(),
      stopped: false,
      messageNumber: 0,
    };
    if (params) channel.params = params;
    this.channels.set(id, channel);
    const out: Record<string, unknown> = {
      kind: 'api#channel',
      id,
      resourceId: channel.resourceId,
      resourceUri: channel.resourceUri,
      expiration: String(expiration),
    };
    if (token !== null) out.token = token;
    return { status: 200, body: out, after: () => void this.deliver(channel, 'sync') };
  }

  private stopChannel(body: Record<string, unknown> | null): { status: number; body: unknown } {
    const id = typeof body?.id === 'string' ? body.id : '';
    const resourceId = typeof body?.resourceId === 'string' ? body.resourceId : '';
    const ch = this.channels.get(id);
    if (!ch || ch.stopped || ch.resourceId !== resourceId) {
      throw fail(404, 'notFound', `Channel '${id}' not found for project '000000000000'`);
    }
    ch.stopped = true;
    return { status: 204, body: null };
  }

  // ----- HTTP controls, for a fake in another process (Playwright) --------------------------------

  private async control(method: string, path: string, url: URL, text: string, res: ServerResponse): Promise<void> {
    let c: Record<string, unknown>;
    try {
      c = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      return send(res, 400, { error: 'body must be JSON' });
    }
    try {
      const route = `${method} ${path}`;
      switch (route) {
        case 'POST /__calendar/control': {
          if (c.reset) this.reset({ keepTokens: c.keepTokens === true });
          const settings: Omit<FakeGoogleCalendarOptions, 'client'> = {};
          for (const k of ['accessTokenLifetimeSeconds', 'timeZone', 'autoNotify', 'duplicateNotifications', 'requireHttpsWebhooks'] as const) {
            if (c[k] !== undefined) (settings as Record<string, unknown>)[k] = c[k];
          }
          this.configure(settings);
          const out: Record<string, unknown> = { ok: true };
          if (typeof c.addAccount === 'string') out.account = this.addAccount(c.addAccount);
          else if (isPlainObject(c.addAccount)) out.account = this.addAccount(String(c.addAccount.email), c.addAccount as { refreshToken?: string });
          if (isPlainObject(c.failNext)) {
            const f = c.failNext as FailSpec & { count?: number; path?: string };
            this.failNext(f.count ?? 1, f);
          }
          if (isPlainObject(c.hangNext)) {
            const h = c.hangNext as HangSpec & { count?: number; path?: string };
            this.hangNext(h.count ?? 1, h);
          }
          if (c.quota !== undefined) this.setQuota(c.quota as QuotaSpec | null);
          if (c.expireAccessTokens)
            out.expired = this.expireAccessTokens(typeof c.expireAccessTokens === 'string' ? c.expireAccessTokens : undefined);
          if (typeof c.revokeRefreshToken === 'string') this.revokeRefreshToken(c.revokeRefreshToken);
          if (typeof c.revokeAccount === 'string') this.revokeAccount(c.revokeAccount);
          if (c.invalidateSyncTokens) this.invalidateSyncTokens(typeof c.invalidateSyncTokens === 'string' ? c.invalidateSyncTokens : undefined);
          if (c.expireChannels) this.expireChannels(typeof c.expireChannels === 'string' ? c.expireChannels : undefined);
          return send(res, 200, out);
        }
        case 'POST /__calendar/user': {
          const calendarId = String(c.calendarId);
          const eventId = String(c.eventId ?? '');
          let event: CalendarEvent;
          if (c.action === 'create') event = this.userCreate(calendarId, (c.event ?? {}) as EventInput);
          else if (c.action === 'move') event = this.userMove(calendarId, eventId, { start: c.start as EventDateTime, end: c.end as EventDateTime });
          else if (c.action === 'update') event = this.userUpdate(calendarId, eventId, (c.patch ?? {}) as EventInput);
          else if (c.action === 'delete') event = this.userDelete(calendarId, eventId);
          else if (c.action === 'cancelInstance') event = this.userCancelInstance(calendarId, eventId, String(c.date));
          else if (c.action === 'moveInstance')
            event = this.userMoveInstance(calendarId, eventId, String(c.date), { start: c.start as EventDateTime, end: c.end as EventDateTime });
          else return send(res, 400, { error: 'action must be create, move, update, delete, cancelInstance or moveInstance' });
          await this.settled();
          return send(res, 200, { event });
        }
        case 'POST /__calendar/notify': {
          const delivered = await this.notify(String(c.calendarId), (c.state as 'exists' | 'not_exists' | undefined) ?? 'exists');
          return send(res, 200, { notifications: delivered });
        }
        case 'GET /__calendar/requests':
          return send(res, 200, { requests: this.requests, tokenRequests: this.tokenRequests, notifications: this.notifications });
        case 'GET /__calendar/events': {
          const calendarId = url.searchParams.get('calendarId') ?? '';
          return send(res, 200, { items: this.events(calendarId, { includeCancelled: url.searchParams.get('all') === '1' }) });
        }
        case 'GET /__calendar/channels':
          return send(res, 200, { channels: [...this.channels.values()] });
        default:
          return send(res, 404, { error: 'not_found' });
      }
    } catch (e) {
      return send(res, 400, { error: e instanceof Error ? e.message : String(e) });
    }
  }
}

// ---------------------------------------------------------------------------------------------------

interface Route {
  op: CalendarOp;
  calendarId?: string;
  eventId?: string;
}

function routeOf(method: string, path: string): Route {
  if (path === '/token') return { op: 'oauth.token' };
  if (path === '/calendar/v3/channels/stop') return method === 'POST' ? { op: 'channels.stop' } : { op: 'unknown' };
  const inst = path.match(/^\/calendar\/v3\/calendars\/([^/]+)\/events\/([^/]+)\/instances\/?$/);
  if (inst) {
    try {
      return method === 'GET'
        ? { op: 'events.instances', calendarId: decodeURIComponent(inst[1]!), eventId: decodeURIComponent(inst[2]!) }
        : { op: 'unknown' };
    } catch {
      return { op: 'unknown' };
    }
  }
  const m = path.match(/^\/calendar\/v3\/calendars\/([^/]+)\/events(?:\/([^/]+))?\/?$/);
  if (!m) return { op: 'unknown' };
  let calendarId: string;
  let eventId: string | undefined;
  try {
    calendarId = decodeURIComponent(m[1]!);
    eventId = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
  } catch {
    return { op: 'unknown' };
  }
  if (eventId === undefined) {
    if (method === 'POST') return { op: 'events.insert', calendarId };
    if (method === 'GET') return { op: 'events.list', calendarId };
    return { op: 'unknown', calendarId };
  }
  if (eventId === 'watch' && method === 'POST') return { op: 'events.watch', calendarId };
  const op =
    ({ GET: 'events.get', PATCH: 'events.patch', PUT: 'events.update', DELETE: 'events.delete' } as Record<string, CalendarOp>)[method] ?? 'unknown';
  return { op, calendarId, eventId };
}

function parseBody(req: IncomingMessage, text: string): { parsed: Record<string, unknown> | null; raw: string } {
  if (!text) return { parsed: null, raw: '' };
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/x-www-form-urlencoded')) return { parsed: Object.fromEntries(new URLSearchParams(text)), raw: text };
  try {
    const v: unknown = JSON.parse(text);
    return { parsed: isPlainObject(v) ? v : null, raw: text };
  } catch {
    // A form body sent without its content type (the token endpoint takes it anyway).
    if (/^[^=&\s{[]+=[^&]*(?:&[^=&]+=[^&]*)*$/.test(text)) return { parsed: Object.fromEntries(new URLSearchParams(text)), raw: text };
    return { parsed: null, raw: text };
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  if (status === 204) {
    res.writeHead(204, headers);
    res.end();
    return;
  }
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'cache-control': 'no-cache, no-store, max-age=0, must-revalidate',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

/** POST with an empty body; resolves to the receiver's status. Its own connection, closed afterwards. */
function postEmpty(address: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(address);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(url, { method: 'POST', headers, agent: false, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

// As a program: `tsx test/fakes/google-calendar.ts <port>` (a standalone fake for a run in another process).
if (process.argv[1]?.endsWith('google-calendar.ts')) {
  const fake = await new FakeGoogleCalendar().start(Number(process.argv[2] ?? 0));
  console.log(`fake Google Calendar listening on ${fake.url}`);
}
