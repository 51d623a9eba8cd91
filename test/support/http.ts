import { encode } from '@auth/core/jwt';
import { NextRequest } from 'next/server';

const COOKIE = 'authjs.session-token';

/** An Auth.js session cookie for a user, encoded exactly as Auth.js does after sign-in. */
export async function sessionCookie(user: { id: number; clinicId: number; role: 'practitioner' | 'admin' }): Promise<string> {
  const token = await encode({
    token: { sub: String(user.id), uid: user.id, clinicId: user.clinicId, role: user.role },
    secret: process.env.AUTH_SECRET!,
    salt: COOKIE,
  });
  return `${COOKIE}=${token}`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (req: NextRequest, ctx: { params: Promise<any> }) => Promise<Response>;

export interface CallOptions {
  method?: string;
  path: string;
  params?: Record<string, string>;
  body?: unknown;
  /** raw body text, for malformed-JSON cases */
  rawBody?: string;
  cookie?: string;
  agentKey?: string;
  headers?: Record<string, string>;
}

/** Calls a route handler through a real Request, as Next.js would, and parses the JSON answer. */
// Bodies are asserted field by field in tests, so they stay loosely typed here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function callRoute(handler: Handler, opts: CallOptions): Promise<{ status: number; body: any }> {
  const headers = new Headers(opts.headers);
  if (opts.cookie) headers.set('cookie', opts.cookie);
  if (opts.agentKey) headers.set('authorization', `Bearer ${opts.agentKey}`);
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers.set('content-type', 'application/json');
  }
  const req = new NextRequest(new URL(opts.path, 'http://localhost:3000'), { method: opts.method ?? 'GET', headers, body });
  const res = await handler(req, { params: Promise.resolve(opts.params ?? {}) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Session cookies of a clinic's usual cast (see makeClinicWithStaff). */
export async function staffCookies(cast: {
  clinic: { id: number };
  practitioner: { id: number };
  colleague: { id: number };
  admin: { id: number };
}): Promise<{ own: string; colleague: string; admin: string }> {
  const clinicId = cast.clinic.id;
  return {
    own: await sessionCookie({ id: cast.practitioner.id, clinicId, role: 'practitioner' }),
    colleague: await sessionCookie({ id: cast.colleague.id, clinicId, role: 'practitioner' }),
    admin: await sessionCookie({ id: cast.admin.id, clinicId, role: 'admin' }),
  };
}
