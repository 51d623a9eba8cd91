import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGoogleCalendar } from './google-calendar';

export interface RecordedAuthorization {
  at: number;
  /** the query the browser arrived with, as Auth.js built it */
  params: Record<string, string>;
  /** the email signed in, or null when the request was refused */
  email: string | null;
}

export interface RecordedTokenRequest {
  at: number;
  params: Record<string, string>;
  authorization: string | null;
  /** the status answered */
  status: number;
  /** what was answered: the tokens, or the OAuth error */
  body: Record<string, unknown>;
}

interface PendingCode {
  email: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  nonce: string | null;
  codeChallenge: string | null;
  expiresAt: number;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** A stable subject per email, so a repeated sign-in is the same Google account. */
export function subjectFor(email: string): string {
  return createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 21);
}

/**
 * A local OpenID Connect issuer standing in for Google: discovery, a JWKS (an RS256 key pair made at
 * start), an authorization endpoint that signs in at once the email the test chose (`login_hint`, else
 * the last `POST /__control {email}`) and redirects back with a code, a token endpoint that checks the
 * client, the code, the redirect URI and PKCE and answers tokens with an RS256 id_token, and userinfo.
 * Records the authorization and token requests (`GET /__requests`).
 */
export class FakeGoogleOidc {
  readonly authorizations: RecordedAuthorization[] = [];
  readonly tokenRequests: RecordedTokenRequest[] = [];
  private readonly codes = new Map<string, PendingCode>();
  private readonly accessTokens = new Map<string, { email: string }>();
  private readonly privateKey: KeyObject;
  private readonly kid = randomUUID();
  readonly jwk: Record<string, unknown>;
  private nextEmail: string | null = null;
  private server = createServer((req, res) => void this.handle(req, res));
  /** Mounted with mountCalendar: serves /calendar/v3/*, /__calendar/* and refresh-token grants. */
  calendar: FakeGoogleCalendar | null = null;
  url = '';

  constructor(private readonly client = { id: 'e2e-google-client', secret: 'e2e-google-secret' }) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.jwk = { ...publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'RS256', use: 'sig' };
  }

  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.calendar?.attachTo(this.client, this.url);
    return this;
  }

  /**
   * Serve a fake Google Calendar (test/fakes/google-calendar.ts) from this issuer too: one process for sign-in,
   * token refreshes and Calendar calls. The tokens sign-in hands out work there. Call after start() or before.
   */
  mountCalendar(calendar: FakeGoogleCalendar): FakeGoogleCalendar {
    this.calendar = calendar;
    calendar.attachTo(this.client, this.url);
    return calendar;
  }

  /** The email the next authorization without a `login_hint` signs in. */
  signInNextAs(email: string): void {
    this.nextEmail = email;
  }

  reset(): void {
    this.authorizations.length = 0;
    this.tokenRequests.length = 0;
    this.codes.clear();
    this.accessTokens.clear();
    this.nextEmail = null;
  }

  async close(): Promise<void> {
    await this.calendar?.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private discovery() {
    return {
      issuer: this.url,
      authorization_endpoint: `${this.url}/o/oauth2/v2/auth`,
      token_endpoint: `${this.url}/token`,
      userinfo_endpoint: `${this.url}/v1/userinfo`,
      jwks_uri: `${this.url}/oauth2/v3/certs`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'profile'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      code_challenge_methods_supported: ['S256', 'plain'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
    };
  }

  private idToken(email: string, nonce: string | null): string {
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      iss: this.url,
      aud: this.client.id,
      azp: this.client.id,
      sub: subjectFor(email),
      email,
      email_verified: true,
      name: nameFor(email),
      iat: now,
      exp: now + 3600,
    };
    if (nonce) claims.nonce = nonce;
    const input = `${b64url(JSON.stringify({ alg: 'RS256', kid: this.kid, typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
    return `${input}.${b64url(sign('sha256', Buffer.from(input), this.privateKey))}`;
  }

  private authorize(url: URL, res: ServerResponse): void {
    const params = Object.fromEntries(url.searchParams);
    const email = params.login_hint || this.nextEmail;
    const record: RecordedAuthorization = { at: Date.now(), params, email: null };
    this.authorizations.push(record);
    const fail = (message: string) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(message);
    };
    if (params.response_type !== 'code') return fail('unsupported response_type');
    if (params.client_id !== this.client.id) return fail('unknown client_id');
    if (!params.redirect_uri) return fail('missing redirect_uri');
    if (!email) return fail('no account chosen: pass login_hint or POST /__control {email}');
    if (params.code_challenge && params.code_challenge_method !== 'S256') return fail('only S256 PKCE');
    record.email = email;
    const code = randomUUID();
    this.codes.set(code, {
      email,
      clientId: params.client_id,
      redirectUri: params.redirect_uri,
      scope: params.scope ?? 'openid',
      nonce: params.nonce ?? null,
      codeChallenge: params.code_challenge ?? null,
      expiresAt: Date.now() + 60_000,
    });
    const back = new URL(params.redirect_uri);
    back.searchParams.set('code', code);
    if (params.state) back.searchParams.set('state', params.state);
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  private token(req: IncomingMessage, text: string): { status: number; body: Record<string, unknown> } {
    const params = Object.fromEntries(new URLSearchParams(text));
    const authorization = req.headers.authorization ?? null;
    const answer = (status: number, body: Record<string, unknown>) => {
      this.tokenRequests.push({ at: Date.now(), params, authorization, status, body });
      return { status, body };
    };
    const invalid = (error: string, description: string) => answer(400, { error, error_description: description });

    // Client authentication: HTTP Basic (what Auth.js sends by default) or the secret in the body.
    let clientId = params.client_id;
    let secret = params.client_secret;
    if (authorization?.startsWith('Basic ')) {
      const [id, pw] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent((id ?? '').replace(/\+/g, ' '));
      secret = decodeURIComponent((pw ?? '').replace(/\+/g, ' '));
    }
    if (clientId !== this.client.id || secret !== this.client.secret) return answer(401, { error: 'invalid_client' });
    if (params.grant_type !== 'authorization_code') return invalid('unsupported_grant_type', String(params.grant_type));
    const pending = params.code ? this.codes.get(params.code) : undefined;
    if (params.code) this.codes.delete(params.code); // a code is good once
    if (!pending || pending.expiresAt < Date.now()) return invalid('invalid_grant', 'unknown, used or expired code');
    if (pending.clientId !== clientId) return invalid('invalid_grant', 'code issued to another client');
    if (pending.redirectUri !== params.redirect_uri) return invalid('invalid_grant', 'redirect_uri mismatch');
    if (pending.codeChallenge) {
      if (!params.code_verifier) return invalid('invalid_grant', 'missing code_verifier');
      const challenge = createHash('sha256').update(params.code_verifier).digest('base64url');
      if (challenge !== pending.codeChallenge) return invalid('invalid_grant', 'code_verifier does not match the code_challenge');
    }
    const accessToken = `ya29.fake-${randomUUID()}`;
    const refreshToken = `1//fake-refresh-${randomUUID()}`;
    this.accessTokens.set(accessToken, { email: pending.email });
    this.calendar?.registerGrant({ email: pending.email, accessToken, refreshToken, expiresIn: 3599, scope: pending.scope });
    return answer(200, {
      access_token: accessToken,
      refresh_token: refreshToken,
      expires_in: 3599,
      token_type: 'Bearer',
      scope: pending.scope,
      id_token: this.idToken(pending.email, pending.nonce),
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    // A mounted calendar takes its own paths and the refresh-token grant; all else is the issuer's.
    if (this.calendar && (await this.calendar.handleRequest(req, res, text))) return;
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'POST /__control': {
        const c = JSON.parse(text || '{}') as { email?: string; reset?: boolean };
        if (c.reset) this.reset();
        if (c.email) this.signInNextAs(c.email);
        return reply(200, { ok: true });
      }
      case 'GET /__requests':
        return reply(200, { authorizations: this.authorizations, tokenRequests: this.tokenRequests });
      case 'GET /.well-known/openid-configuration':
        return reply(200, this.discovery());
      case 'GET /oauth2/v3/certs':
        return reply(200, { keys: [this.jwk] });
      case 'GET /o/oauth2/v2/auth':
        return this.authorize(url, res);
      case 'POST /token': {
        const { status, body } = this.token(req, text);
        return reply(status, body);
      }
      case 'GET /v1/userinfo':
      case 'POST /v1/userinfo': {
        const bearer = req.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
        const fromCalendar = bearer ? this.calendar?.accountForAccessToken(bearer) : null;
        const holder = bearer ? (this.accessTokens.get(bearer) ?? (fromCalendar ? { email: fromCalendar } : undefined)) : undefined;
        if (!holder) {
          res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
          return reply(401, { error: 'invalid_token' });
        }
        return reply(200, { sub: subjectFor(holder.email), email: holder.email, email_verified: true, name: nameFor(holder.email) });
      }
      default:
        return reply(404, { error: 'not_found' });
    }
  }
}

function nameFor(email: string): string {
  const local = email.split('@')[0] ?? email;
  return local.charAt(0).toUpperCase() + local.slice(1);
}

// As a program: `tsx test/fakes/google-oidc.ts <port>` (the end-to-end run starts it this way).
// It serves the fake Google Calendar too (rootUrl and token URL = this URL; controls under /__calendar/).
if (process.argv[1]?.endsWith('google-oidc.ts')) {
  const fake = new FakeGoogleOidc();
  fake.mountCalendar(new FakeGoogleCalendar());
  await fake.start(Number(process.argv[2] ?? 0));
  console.log(`fake Google OpenID issuer (and Calendar) listening on ${fake.url}`);
}
