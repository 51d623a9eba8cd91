import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as clinicSlots } from '@/app/api/clinic/availability/slots/route';
import { GET as listTypes } from '@/app/api/clinic/appointment-types/route';
import { GET as practitionerSlots } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/route';
import { GET as listPractitioners } from '@/app/api/clinic/practitioners/route';
import type { Caller } from '@/lib/auth/caller';
import { getDb, onQuery } from '@/lib/db/client';
import { CLINIC_CACHE_SIZE, clinicSnapshot } from '@/lib/queries/clinic-cache';
import { slotsByPractitioner } from '@/lib/queries/slots';
import { createAgentKey } from '@/lib/services/agent-keys';
import { useDriver } from '../support/drivers';
import { makeClinicWithStaff, setWeek } from '../support/factories';
import { callRoute, sessionCookie } from '../support/http';

const WED = '2031-03-05';
const HOURS = { 3: [['09:00', '12:00']] } as Record<number, Array<[string, string]>>;
/** The one statement that loads a clinic's snapshot. */
const SNAPSHOT_LOAD = /\) AS practitioners/;

type Cast = Awaited<ReturnType<typeof makeClinicWithStaff>> & { key: string };

for (const driver of ['postgres', 'pglite'] as const) {
  describe(`per-clinic caches of settings, types and practitioners on ${driver}`, () => {
    const { elsewhere } = useDriver(driver);
    let a: Cast;
    let b: Cast;

    beforeAll(async () => {
      const db = await getDb();
      const cast = async () => {
        const c = await makeClinicWithStaff(db);
        await setWeek(db, c.practitioner.id, HOURS);
        await setWeek(db, c.colleague.id, HOURS);
        return { ...c, key: (await createAgentKey(db, { clinicSlug: c.clinic.slug, name: 'agent' })).key };
      };
      a = await cast();
      b = await cast();
    });

    const types = async (c: Cast) => (await callRoute(listTypes, { path: '/api/clinic/appointment-types', agentKey: c.key })).body;
    const practitioners = async (c: Cast) => (await callRoute(listPractitioners, { path: '/api/clinic/practitioners', agentKey: c.key })).body;
    const everyone = (c: Cast, typeId = c.type.id) =>
      callRoute(clinicSlots, { path: `/api/clinic/availability/slots?date=${WED}&appointment_type_id=${typeId}`, agentKey: c.key });
    const one = (c: Cast, practitionerId: number, typeId = c.type.id) =>
      callRoute(practitionerSlots, {
        path: `/api/clinic/practitioners/${practitionerId}/availability/slots?date=${WED}&appointment_type_id=${typeId}`,
        params: { user_id: String(practitionerId) },
        agentKey: c.key,
      });
    const starts = async (c: Cast, typeId = c.type.id) =>
      ((await one(c, c.practitioner.id, typeId)).body.available_slots as Array<{ start_time: string }>).map((s) => s.start_time);
    const countQueries = async <T>(work: () => Promise<T>) => {
      const seen: string[] = [];
      const off = onQuery((q) => seen.push(q));
      try {
        return { result: await work(), queries: seen };
      } finally {
        off();
      }
    };

    it("sees another instance's renamed type, changed slot step and changed duration on the very next request", async () => {
      expect(await starts(a)).toEqual(['09:00', '10:00', '11:00']);
      await elsewhere(`UPDATE appointment_types SET name = '初診評估（改）' WHERE id = ${a.type.id}`);
      expect(await types(a)).toEqual([
        { id: a.type.id, name: '初診評估（改）', duration_minutes: 60, buffer_before_minutes: 0, buffer_after_minutes: 0 },
      ]);
      await elsewhere(`UPDATE clinics SET slot_step_minutes = 30 WHERE id = ${a.clinic.id}`);
      expect(await starts(a)).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00']);
      await elsewhere(`UPDATE appointment_types SET duration_minutes = 90 WHERE id = ${a.type.id}`);
      expect(await starts(a)).toEqual(['09:00', '09:30', '10:00', '10:30']);
      // Recommended: the starts that leave no hole a 90-minute visit (the only type) could not fill.
      expect((await everyone(a)).body.practitioners[1].available_slots).toEqual([
        { start_time: '09:00', end_time: '10:30', recommended: true },
        { start_time: '09:30', end_time: '11:00' },
        { start_time: '10:00', end_time: '11:30' },
        { start_time: '10:30', end_time: '12:00', recommended: true },
      ]);
      await elsewhere(`UPDATE clinics SET slot_step_minutes = NULL WHERE id = ${a.clinic.id}`);
      await elsewhere(`UPDATE appointment_types SET duration_minutes = 60 WHERE id = ${a.type.id}`);
      expect(await starts(a)).toEqual(['09:00', '10:00', '11:00']);
    });

    it('lists a new practitioner at once, and answers 404 for one who no longer practises and for a deleted type', async () => {
      const [wu] = await elsewhere<{ id: number }>(
        `INSERT INTO users (clinic_id, email, name) VALUES (${a.clinic.id}, 'wu-${driver}@clinic.test', 'Dr. Wu') RETURNING id`,
      );
      expect(await practitioners(a)).toEqual([
        { id: a.practitioner.id, name: 'Dr. Chen' },
        { id: a.colleague.id, name: 'Dr. Lin' },
        { id: wu!.id, name: 'Dr. Wu' },
      ]);
      expect((await everyone(a)).body.practitioners.map((p: { id: number }) => p.id)).toEqual([a.practitioner.id, a.colleague.id, wu!.id]);
      expect((await one(a, wu!.id)).body).toEqual({ available_slots: [] });
      await elsewhere(`UPDATE users SET is_practitioner = false WHERE id = ${wu!.id}`);
      expect(await one(a, wu!.id)).toMatchObject({ status: 404, body: { error: 'not_found', message: 'Practitioner not found' } });
      expect((await practitioners(a)).map((p: { id: number }) => p.id)).toEqual([a.practitioner.id, a.colleague.id]);

      const [short] = await elsewhere<{ id: number }>(
        `INSERT INTO appointment_types (clinic_id, name, duration_minutes) VALUES (${a.clinic.id}, '一般複診', 30) RETURNING id`,
      );
      expect(await starts(a, short!.id)).toHaveLength(6);
      await elsewhere(`DELETE FROM appointment_types WHERE id = ${short!.id}`);
      expect(await one(a, a.practitioner.id, short!.id)).toMatchObject({ status: 404, body: { message: 'Appointment type not found' } });
      expect(await everyone(a, short!.id)).toMatchObject({ status: 404, body: { message: 'Appointment type not found' } });
      expect((await types(a)).map((t: { id: number }) => t.id)).toEqual([a.type.id]);
    });

    it("never serves one clinic's data to another, even at equal versions and under concurrency", async () => {
      await elsewhere(`UPDATE clinics SET cache_version = 1000000 WHERE id IN (${a.clinic.id}, ${b.clinic.id})`);
      await elsewhere(`UPDATE users SET name = 'Dr. B' WHERE id = ${b.practitioner.id}`);
      await elsewhere(`UPDATE clinics SET cache_version = 2000000 WHERE id IN (${a.clinic.id}, ${b.clinic.id})`);
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? practitioners(b) : practitioners(a))));
      answers.forEach((list, i) =>
        expect(list).toEqual(
          i % 2
            ? [
                { id: b.practitioner.id, name: 'Dr. B' },
                { id: b.colleague.id, name: 'Dr. Lin' },
              ]
            : [
                { id: a.practitioner.id, name: 'Dr. Chen' },
                { id: a.colleague.id, name: 'Dr. Lin' },
              ],
        ),
      );
      expect((await types(b)).map((t: { id: number }) => t.id)).toEqual([b.type.id]);
      expect(await one(a, b.practitioner.id)).toMatchObject({ status: 404, body: { message: 'Practitioner not found' } });
      expect(await one(a, a.practitioner.id, b.type.id)).toMatchObject({ status: 404, body: { message: 'Appointment type not found' } });
      expect(await everyone(a, b.type.id)).toMatchObject({ status: 404, body: { message: 'Appointment type not found' } });
    });

    it("a clinic member's session sees another instance's changes on the next request too", async () => {
      const cookie = await sessionCookie({ id: a.admin.id, clinicId: a.clinic.id, role: 'admin' });
      const list = async () => (await callRoute(listPractitioners, { path: '/api/clinic/practitioners', cookie })).body;
      expect(await list()).toContainEqual({ id: a.colleague.id, name: 'Dr. Lin' });
      await elsewhere(`UPDATE users SET name = 'Dr. Lin-Wang' WHERE id = ${a.colleague.id}`);
      expect(await list()).toContainEqual({ id: a.colleague.id, name: 'Dr. Lin-Wang' });
      await elsewhere(`UPDATE users SET name = 'Dr. Lin' WHERE id = ${a.colleague.id}`);
    });

    it('a warm request costs the key lookup with its rate count (one statement) and the slot reads; cold requests at once share one load', async () => {
      const db = await getDb();
      await everyone(a);
      const warm = await countQueries(() => everyone(a));
      expect(warm.result.status).toBe(200);
      const snapshot = await clinicSnapshot(db, { kind: 'agent', clinicId: a.clinic.id, agentKeyId: 0 });
      const slotReads = await countQueries(() =>
        slotsByPractitioner(db, {
          clinic: snapshot.settings,
          practitionerIds: snapshot.practitioners.map((p) => p.id),
          type: snapshot.types.get(a.type.id)!,
          from: WED,
          to: WED,
        }),
      );
      // Before the cache: also the clinic's settings, the type and the practitioners, three queries;
      // and the key's rate count was a second statement beside its lookup.
      expect(warm.queries).toHaveLength(slotReads.queries.length + 1);
      expect(warm.queries.filter((q) => SNAPSHOT_LOAD.test(q))).toHaveLength(0);

      await elsewhere(`UPDATE clinics SET min_notice_minutes = 0 WHERE id = ${a.clinic.id}`);
      const cold = await countQueries(() => Promise.all(Array.from({ length: 10 }, () => everyone(a))));
      expect(cold.result.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect(cold.queries.filter((q) => SNAPSHOT_LOAD.test(q))).toHaveLength(1);
    });

    it('inside a transaction reads its uncommitted changes and leaves them out of the cache', async () => {
      const db = await getDb();
      const caller: Caller = { kind: 'agent', clinicId: a.clinic.id, agentKeyId: 0 };
      await expect(
        db.transaction(async (tx) => {
          await tx.execute(sql`UPDATE appointment_types SET name = '未提交' WHERE id = ${a.type.id}`);
          expect((await clinicSnapshot(tx, caller)).appointmentTypes[0]!.name).toBe('未提交');
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect((await types(a))[0].name).toBe('初診評估（改）');
    });

    it('a caller without a version costs one version query; the cache holds at most CLINIC_CACHE_SIZE clinics', async () => {
      const db = await getDb();
      const caller: Caller = { kind: 'agent', clinicId: b.clinic.id, agentKeyId: 0 };
      await clinicSnapshot(db, caller);
      expect((await countQueries(() => clinicSnapshot(db, caller))).queries).toHaveLength(1);

      const many = await elsewhere<{ id: number }>(
        `INSERT INTO clinics (name, slug) SELECT 'Clinic ' || n, 'lru-${driver}-' || n FROM generate_series(1, ${CLINIC_CACHE_SIZE + 1}) n RETURNING id`,
      );
      const of = (id: number): Caller => ({ kind: 'agent', clinicId: id, agentKeyId: 0, clinicVersion: 1 });
      for (const { id } of many) await clinicSnapshot(db, of(id));
      const loads = async (id: number) => (await countQueries(() => clinicSnapshot(db, of(id)))).queries.length;
      expect(await loads(many.at(-1)!.id)).toBe(0);
      expect(await loads(many[1]!.id)).toBe(0);
      expect(await loads(many[0]!.id)).toBe(1);
    });

    it("raises a clinic's version on any change of its row, users or types, and never lowers it", async () => {
      const version = async (id: number) => Number((await elsewhere<{ v: string }>(`SELECT cache_version AS v FROM clinics WHERE id = ${id}`))[0]!.v);
      const moved = async (id: number, text: string) => {
        const before = await version(id);
        await elsewhere(text);
        return (await version(id)) - before;
      };
      expect(await moved(b.clinic.id, `UPDATE clinics SET name = name WHERE id = ${b.clinic.id}`)).toBe(1);
      expect(await moved(b.clinic.id, `UPDATE clinics SET cache_version = 1 WHERE id = ${b.clinic.id}`)).toBe(1);
      expect(await moved(b.clinic.id, `UPDATE appointment_types SET buffer_before_minutes = 0 WHERE id = ${b.type.id}`)).toBe(1);
      expect(await moved(b.clinic.id, `UPDATE users SET image = NULL WHERE clinic_id = ${b.clinic.id}`)).toBe(3);
      const [x] = await elsewhere<{ id: number }>(
        `INSERT INTO users (clinic_id, email, name) VALUES (${b.clinic.id}, 'x-${driver}@clinic.test', 'X') RETURNING id`,
      );
      const aBefore = await version(a.clinic.id);
      expect(await moved(b.clinic.id, `UPDATE users SET clinic_id = ${a.clinic.id} WHERE id = ${x!.id}`)).toBe(1);
      expect((await version(a.clinic.id)) - aBefore).toBe(1);
      expect(await moved(a.clinic.id, `DELETE FROM users WHERE id = ${x!.id}`)).toBe(1);
      expect(await moved(a.clinic.id, `UPDATE patients SET full_name = full_name WHERE clinic_id = ${a.clinic.id}`)).toBe(0);
    });
  });
}
