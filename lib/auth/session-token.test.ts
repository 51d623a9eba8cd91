import { encode } from '@auth/core/jwt';
import { afterEach, describe, expect, it } from 'vitest';
import { sessionUserId } from './session-token';

const COOKIE = 'authjs.session-token';
const SECRET = process.env.AUTH_SECRET!;

async function cookieFor(uid: number, o: { secret?: string; maxAge?: number; name?: string } = {}): Promise<{ header: string; exp: number }> {
  const maxAge = o.maxAge ?? 3600;
  const before = Math.floor(Date.now() / 1000);
  const token = await encode({ token: { sub: String(uid), uid }, secret: o.secret ?? SECRET, salt: o.name ?? COOKIE, maxAge });
  return { header: `locale=en; ${o.name ?? COOKIE}=${token}; wide=1`, exp: before + maxAge };
}

describe('session cookies, verified once and remembered', () => {
  afterEach(() => {
    process.env.AUTH_SECRET = SECRET;
  });

  it('reads the member of a cookie the same the second time, and tells two cookies apart', async () => {
    const a = await cookieFor(11);
    const b = await cookieFor(12);
    expect(await sessionUserId(a.header)).toBe(11);
    expect(await sessionUserId(a.header)).toBe(11);
    expect(await sessionUserId(b.header)).toBe(12);
    // Other cookies around it change nothing.
    expect(await sessionUserId(a.header.replace('locale=en', 'locale=zh-TW').replace('; wide=1', ''))).toBe(11);
  });

  it('refuses a remembered cookie once its token has expired', async () => {
    const a = await cookieFor(21, { maxAge: 600 });
    expect(await sessionUserId(a.header, { now: a.exp * 1000 - 60_000 })).toBe(21);
    expect(await sessionUserId(a.header, { now: a.exp * 1000 + 1 })).toBeNull();
    // Judged again (not from memory): still refused at that time, still fine before it.
    expect(await sessionUserId(a.header, { now: a.exp * 1000 + 1 })).toBeNull();
    expect(await sessionUserId(a.header, { now: a.exp * 1000 - 60_000 })).toBe(21);
  });

  it('refuses tampered cookies, cookies of another secret, and remembered ones after the secret changes', async () => {
    const a = await cookieFor(31);
    expect(await sessionUserId(a.header)).toBe(31);
    const value = a.header.split(`${COOKIE}=`)[1]!.split(';')[0]!;
    const flipped = value.slice(0, 40) + (value[40] === 'A' ? 'B' : 'A') + value.slice(41);
    expect(await sessionUserId(`${COOKIE}=${flipped}`)).toBeNull();
    expect(await sessionUserId(`${COOKIE}=${value.slice(0, -2)}`)).toBeNull();
    const foreign = await cookieFor(32, { secret: 'another-secret-0123456789abcdef0123456789' });
    expect(await sessionUserId(foreign.header)).toBeNull();
    process.env.AUTH_SECRET = 'a-rotated-secret-0123456789abcdef0123456789';
    expect(await sessionUserId(a.header)).toBeNull();
  });

  it('reads the __Secure- cookie only where the request is secure', async () => {
    const secure = await cookieFor(41, { name: `__Secure-${COOKIE}` });
    expect(await sessionUserId(secure.header, { secure: true })).toBe(41);
    expect(await sessionUserId(secure.header, { secure: false })).toBeNull();
    const plain = await cookieFor(42);
    expect(await sessionUserId(plain.header, { secure: true })).toBeNull();
    expect(await sessionUserId(null)).toBeNull();
    expect(await sessionUserId('locale=en')).toBeNull();
  });
});
