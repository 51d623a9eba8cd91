import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { saveOAuthAccount } from '@/lib/auth/users';
import { accounts, auditLog, googleConnections, outboxJobs } from '@/lib/db/schema';
import { useTestDatabase } from '../support/db';
import { makeClinicWithStaff } from '../support/factories';

describe('saving a Google grant at sign-in', () => {
  const t = useTestDatabase();

  it('stores the tokens, keeps the refresh token when a later sign-in brings none, and audits without tokens', async () => {
    const c = await makeClinicWithStaff(t.db());
    const grant = {
      type: 'oidc' as const,
      provider: 'google',
      providerAccountId: 'g-123',
      access_token: 'at-1',
      refresh_token: 'rt-1',
      expires_at: 2_000_000_000,
      scope: 'openid email https://www.googleapis.com/auth/calendar',
      token_type: 'bearer' as const,
    };
    await saveOAuthAccount(c.practitioner.id, grant);
    await saveOAuthAccount(c.practitioner.id, { ...grant, access_token: 'at-2', refresh_token: undefined });
    const [row] = await t.db().select().from(accounts).where(eq(accounts.userId, c.practitioner.id));
    expect(row).toMatchObject({ provider: 'google', accessToken: 'at-2', refreshToken: 'rt-1' });
    const audits = await t.db().select().from(auditLog).where(eq(auditLog.action, 'google.connected'));
    expect(audits.map((a) => a.details)).toEqual([
      { scope: grant.scope, refresh_token_received: true },
      { scope: grant.scope, refresh_token_received: false },
    ]);
    expect(JSON.stringify(audits)).not.toMatch(/rt-1|at-1|at-2/);
  });

  it("connects the member's calendar with no second step: one connection and one connect job, not again on later sign-ins", async () => {
    const c = await makeClinicWithStaff(t.db());
    const grant = {
      type: 'oidc' as const,
      provider: 'google',
      providerAccountId: 'g-456',
      access_token: 'at-1',
      refresh_token: 'rt-1',
      expires_at: 2_000_000_000,
      scope: 'openid email https://www.googleapis.com/auth/calendar',
      token_type: 'bearer' as const,
    };
    await saveOAuthAccount(c.practitioner.id, grant, 'chen@gmail.test');
    await saveOAuthAccount(c.practitioner.id, { ...grant, refresh_token: undefined }, 'chen@gmail.test');
    expect(await t.db().select().from(googleConnections).where(eq(googleConnections.userId, c.practitioner.id))).toEqual([
      expect.objectContaining({ state: 'connected', googleEmail: 'chen@gmail.test', clinicId: c.clinic.id }),
    ]);
    const jobs = await t.db().select().from(outboxJobs).where(eq(outboxJobs.clinicId, c.clinic.id));
    expect(jobs.map((j) => [j.kind, j.payload])).toEqual([['google.connect', { practitioner_id: c.practitioner.id }]]);
    // Broken, then signing in again reconnects (and pushes again).
    await t.db().update(googleConnections).set({ state: 'broken', brokenReason: 'revoked' }).where(eq(googleConnections.userId, c.practitioner.id));
    await saveOAuthAccount(c.practitioner.id, grant, 'chen@gmail.test');
    expect((await t.db().select().from(googleConnections).where(eq(googleConnections.userId, c.practitioner.id)))[0]).toMatchObject({
      state: 'connected',
      brokenReason: null,
    });
    expect(await t.db().select().from(outboxJobs).where(eq(outboxJobs.clinicId, c.clinic.id))).toHaveLength(2);
  });

  it('a sign-in without the Calendar scope connects nothing', async () => {
    const c = await makeClinicWithStaff(t.db());
    await saveOAuthAccount(
      c.practitioner.id,
      { type: 'oidc', provider: 'google', providerAccountId: 'g-789', access_token: 'a', scope: 'openid email' },
      'x@gmail.test',
    );
    expect(await t.db().select().from(googleConnections).where(eq(googleConnections.userId, c.practitioner.id))).toEqual([]);
  });
});
