import { describe, expect, it } from 'vitest';
import { outboxMark } from '@/lib/db/outbox-mark';
import { inTransaction } from '@/lib/db/transaction';
import { enqueueJob } from '@/lib/services/outbox';
import { useTestDatabase } from '../support/db';
import { makeClinicWithStaff } from '../support/factories';

// A request asks for an outbox run after its response only when the mark moved (lib/api/route.ts).
describe('the outbox mark', () => {
  const t = useTestDatabase();

  it('moves with every job written, in a transaction or not, and not otherwise', async () => {
    const cast = await makeClinicWithStaff(t.db());
    const before = outboxMark();
    await t.db().execute('select 1');
    expect(outboxMark()).toBe(before);
    await enqueueJob(t.db(), { clinicId: cast.clinic.id, kind: 'line.push', payload: {} });
    expect(outboxMark()).toBe(before + 1);
    await inTransaction(t.db(), async (tx) => {
      await enqueueJob(tx, { clinicId: cast.clinic.id, kind: 'line.push', payload: {} });
      await enqueueJob(tx, { clinicId: cast.clinic.id, kind: 'line.push', payload: {} });
    });
    expect(outboxMark()).toBe(before + 3);
  });
});
