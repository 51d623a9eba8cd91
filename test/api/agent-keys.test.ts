import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as practitioners } from '@/app/api/clinic/practitioners/route';
import type { Caller } from '@/lib/auth/caller';
import { auditLog } from '@/lib/db/schema';
import { listAgentKeys } from '@/lib/queries/agent-keys';
import { createAgentKeyByAdmin, revokeAgentKey } from '@/lib/services/agent-keys';
import { useTestDatabase } from '../support/db';
import { makeClinicWithStaff } from '../support/factories';
import { callRoute } from '../support/http';

describe('agent keys managed by the clinic admin', () => {
  const t = useTestDatabase();
  let a: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let b: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let adminA: Caller;
  let adminB: Caller;
  let practitionerA: Caller;

  beforeAll(async () => {
    a = await makeClinicWithStaff(t.db());
    b = await makeClinicWithStaff(t.db());
    adminA = { kind: 'user', clinicId: a.clinic.id, userId: a.admin.id, role: 'admin', isPractitioner: false, name: 'Admin' };
    adminB = { kind: 'user', clinicId: b.clinic.id, userId: b.admin.id, role: 'admin', isPractitioner: false, name: 'Admin B' };
    practitionerA = { kind: 'user', clinicId: a.clinic.id, userId: a.practitioner.id, role: 'practitioner', isPractitioner: true, name: 'Dr. Chen' };
  });

  const use = (key: string) => callRoute(practitioners, { path: '/api/clinic/practitioners', agentKey: key });

  it('creates a working key shown once, lists it without the key, and revokes it for the next request', async () => {
    const created = await createAgentKeyByAdmin(t.db(), adminA, 'LINE agent');
    expect((await use(created.key)).status).toBe(200);
    const listed = await listAgentKeys(t.db(), adminA);
    expect(listed).toEqual([expect.objectContaining({ id: created.id, name: 'LINE agent', prefix: created.prefix, revoked_at: null })]);
    expect(JSON.stringify(listed)).not.toContain(created.key);
    expect(listed[0]!.last_used_at).not.toBeNull();

    await revokeAgentKey(t.db(), adminA, created.id);
    expect((await use(created.key)).status).toBe(401);
    await revokeAgentKey(t.db(), adminA, created.id); // again: no error, no second audit entry
    const audits = await t
      .db()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'agent_key'), eq(auditLog.entityId, String(created.id))));
    expect(audits.map((x) => x.action).sort()).toEqual(['agent_key.created', 'agent_key.revoked']);
  });

  it('keeps keys inside the clinic and away from non-admins', async () => {
    const created = await createAgentKeyByAdmin(t.db(), adminA, 'front desk');
    await expect(revokeAgentKey(t.db(), adminB, created.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await use(created.key)).status).toBe(200);
    expect(await listAgentKeys(t.db(), adminB)).toEqual([]);
    await expect(listAgentKeys(t.db(), practitionerA)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(createAgentKeyByAdmin(t.db(), practitionerA, 'mine')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(revokeAgentKey(t.db(), practitionerA, created.id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(revokeAgentKey(t.db(), { kind: 'agent', clinicId: a.clinic.id, agentKeyId: created.id }, created.id)).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});
