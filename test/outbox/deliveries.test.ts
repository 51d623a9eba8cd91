import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Caller } from '@/lib/auth/caller';
import { outboxJobs } from '@/lib/db/schema';
import { deliverDueJobs } from '@/lib/outbox/delivery';
import { outboxHandlers } from '@/lib/outbox/handlers';
import { listDeliveries } from '@/lib/queries/deliveries';
import { retryDelivery } from '@/lib/services/deliveries';
import { useTestDatabase } from '../support/db';
import { makeClinicWithStaff } from '../support/factories';
import { cancelOneAppointment, useFakeLine } from './support';

describe('Deliveries: failed jobs stay visible to the admin, who can retry them', () => {
  const t = useTestDatabase();
  const line = useFakeLine();

  it('lists a failed LINE job first with its error, and a retry delivers it once', async () => {
    const c = await cancelOneAppointment(t.db());
    line().failNext(1, 400);
    await deliverDueJobs(t.db(), { handlers: outboxHandlers() });
    const admin: Caller = { kind: 'user', clinicId: c.clinic.id, userId: c.admin.id, role: 'admin', isPractitioner: false, name: 'Admin' };
    const [first] = await listDeliveries(t.db(), admin);
    expect(first).toMatchObject({
      id: c.job.id,
      kind: 'line.push',
      status: 'failed',
      attempts: 1,
      patient: '陳小姐',
      summary: '📅 預約取消通知',
      last_error: expect.stringContaining('400'),
    });

    await retryDelivery(t.db(), admin, c.job.id);
    expect((await t.db().select().from(outboxJobs).where(eq(outboxJobs.id, c.job.id)))[0]).toMatchObject({
      status: 'pending',
      attempts: 0,
      lastError: null,
    });
    await deliverDueJobs(t.db(), { handlers: outboxHandlers() });
    expect((await listDeliveries(t.db(), admin))[0]).toMatchObject({ id: c.job.id, status: 'delivered', attempts: 1 });
    expect(line().executions.map((p) => p.retryKey)).toEqual([c.job.retryKey]);
    // Retrying a delivered job changes nothing.
    await retryDelivery(t.db(), admin, c.job.id);
    expect((await t.db().select().from(outboxJobs).where(eq(outboxJobs.id, c.job.id)))[0]!.status).toBe('delivered');
  });

  it("is for the clinic's admin only", async () => {
    const c = await cancelOneAppointment(t.db(), '2031-05-14');
    const other = await makeClinicWithStaff(t.db());
    const practitioner: Caller = {
      kind: 'user',
      clinicId: c.clinic.id,
      userId: c.practitioner.id,
      role: 'practitioner',
      isPractitioner: true,
      name: 'Dr. Chen',
    };
    const otherAdmin: Caller = { kind: 'user', clinicId: other.clinic.id, userId: other.admin.id, role: 'admin', isPractitioner: false, name: 'B' };
    await expect(listDeliveries(t.db(), practitioner)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(retryDelivery(t.db(), practitioner, c.job.id)).rejects.toMatchObject({ code: 'forbidden' });
    expect(await listDeliveries(t.db(), otherAdmin)).toEqual([]);
    await expect(retryDelivery(t.db(), otherAdmin, c.job.id)).rejects.toMatchObject({ code: 'not_found' });
  });
});
