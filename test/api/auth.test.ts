import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as listPractitioners } from '@/app/api/clinic/practitioners/route';
import { GET as listTypes } from '@/app/api/clinic/appointment-types/route';
import { isDevLoginEnabled } from '@/lib/auth/dev-login';
import { agentKeys } from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import { assertMayManage, findPractitionerForCaller } from '@/lib/auth/access';
import { createAgentKey } from '@/lib/services/agent-keys';
import { useTestDatabase } from '../support/db';
import { makeClinicWithStaff } from '../support/factories';
import { callRoute, sessionCookie } from '../support/http';

describe('who may call', () => {
  const t = useTestDatabase();
  let a: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let b: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let keyA: string;

  beforeAll(async () => {
    a = await makeClinicWithStaff(t.db());
    b = await makeClinicWithStaff(t.db());
    keyA = (await createAgentKey(t.db(), { clinicSlug: a.clinic.slug, name: 'agent A' })).key;
  });

  const cookieOf = (u: { id: number; clinicId: number; role: string }) =>
    sessionCookie({ id: u.id, clinicId: u.clinicId, role: u.role as 'practitioner' | 'admin' });

  it.each([
    ['no credentials', {}],
    ['a malformed Authorization header', { headers: { authorization: 'Basic abc' } }],
    ['an unknown agent key', { agentKey: 'cbk_not-a-real-key' }],
    ['a forged session cookie', { cookie: 'authjs.session-token=eyJhbGciOiJkaXIifQ.forged' }],
  ])('refuses %s with 401 in the contract shape', async (_name, opts) => {
    const res = await callRoute(listPractitioners, { path: '/api/clinic/practitioners', ...opts });
    expect(res).toEqual({ status: 401, body: { error: 'unauthorized', message: expect.any(String) } });
  });

  it('shows a signed-in member only the practitioners of their own clinic', async () => {
    const res = await callRoute(listPractitioners, { path: '/api/clinic/practitioners', cookie: await cookieOf(a.practitioner) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { id: a.practitioner.id, name: 'Dr. Chen' },
      { id: a.colleague.id, name: 'Dr. Lin' },
    ]);
    const other = await callRoute(listPractitioners, { path: '/api/clinic/practitioners', cookie: await cookieOf(b.admin) });
    expect(other.body.map((p: { id: number }) => p.id)).toEqual([b.practitioner.id, b.colleague.id]);
  });

  it('ties an agent key to its clinic and refuses it once revoked', async () => {
    const res = await callRoute(listTypes, { path: '/api/clinic/appointment-types', agentKey: keyA });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ id: a.type.id, name: a.type.name, duration_minutes: 60, buffer_before_minutes: 0, buffer_after_minutes: 0 }]);
    await t.db().update(agentKeys).set({ revokedAt: new Date() }).where(eq(agentKeys.clinicId, a.clinic.id));
    const revoked = await callRoute(listTypes, { path: '/api/clinic/appointment-types', agentKey: keyA });
    expect(revoked.status).toBe(401);
  });

  it('stores agent keys hashed, never in plain text', async () => {
    const { key, id } = await createAgentKey(t.db(), { clinicSlug: b.clinic.slug, name: 'agent B' });
    const [row] = await t.db().select().from(agentKeys).where(eq(agentKeys.id, id));
    expect(JSON.stringify(row)).not.toContain(key);
    expect(row!.keyHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("answers 404 for another clinic's practitioner, before reading anything of theirs", async () => {
    const callerA = {
      kind: 'user',
      clinicId: a.clinic.id,
      userId: a.practitioner.id,
      role: 'practitioner',
      isPractitioner: true,
      name: 'x',
    } as const;
    await expect(findPractitionerForCaller(t.db(), callerA, b.practitioner.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(findPractitionerForCaller(t.db(), callerA, a.admin.id)).rejects.toMatchObject({ code: 'not_found' });
    const colleague = await findPractitionerForCaller(t.db(), callerA, a.colleague.id);
    expect(colleague.name).toBe('Dr. Lin');
  });

  it('lets a practitioner change only their own calendar, an admin every one, an agent none', async () => {
    const target = { id: a.colleague.id, name: 'Dr. Lin', clinicId: a.clinic.id };
    const practitioner = {
      kind: 'user',
      clinicId: a.clinic.id,
      userId: a.practitioner.id,
      role: 'practitioner',
      isPractitioner: true,
      name: 'x',
    } as const;
    const self = { ...practitioner, userId: a.colleague.id };
    const admin = { ...practitioner, userId: a.admin.id, role: 'admin', isPractitioner: false } as const;
    const agent = { kind: 'agent', clinicId: a.clinic.id, agentKeyId: 1 } as const;
    const outcome = (c: Parameters<typeof assertMayManage>[0]) => {
      try {
        assertMayManage(c, target);
        return 'ok';
      } catch (e) {
        return (e as AppError).code;
      }
    };
    expect([outcome(practitioner), outcome(self), outcome(admin), outcome(agent)]).toEqual(['forbidden', 'ok', 'ok', 'forbidden']);
  });
});

describe('local demo sign-in gate', () => {
  it.each([
    [{ NODE_ENV: 'development' }, true],
    [{ NODE_ENV: 'test' }, true],
    [{ NODE_ENV: 'production' }, false],
    [{ NODE_ENV: 'production', AUTH_DEV_LOGIN: 'false' }, false],
    [{ NODE_ENV: 'production', AUTH_DEV_LOGIN: '1' }, false],
    [{ NODE_ENV: 'production', AUTH_DEV_LOGIN: 'true' }, true],
  ])('%o → %s', (env, expected) => {
    expect(isDevLoginEnabled(env as NodeJS.ProcessEnv)).toBe(expected);
  });
});
