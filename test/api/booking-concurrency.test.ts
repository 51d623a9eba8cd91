import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { POST as book } from '@/app/api/clinic/appointments/route';
import { closeDb, getDb, queryRows, type DriverName } from '@/lib/db/client';
import { clinics } from '@/lib/db/schema';
import { createAgentKey } from '@/lib/services/agent-keys';
import { startNeonWsProxy } from '../fakes/neon-ws-proxy';
import { adminQuery, databaseUrl } from '../support/pg';
import { makeAppointmentType, makeClinicWithStaff, setWeek } from '../support/factories';
import { callRoute } from '../support/http';

const DAY = '2031-04-02';

/** Points the app's database module at a fresh database of the given driver. */
function useDriver(driver: DriverName) {
  const name = `cbc_t_${inject('dbRunId')}_${driver}${randomBytes(3).toString('hex')}`;
  let proxy: Awaited<ReturnType<typeof startNeonWsProxy>> | undefined;
  beforeAll(async () => {
    await closeDb();
    process.env.DATABASE_DRIVER = driver;
    if (driver === 'pglite') {
      process.env.PGLITE_DATA_DIR = 'memory://';
      delete process.env.DATABASE_URL;
    } else {
      await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${inject('dbTemplate')}`);
      process.env.DATABASE_URL = databaseUrl(name);
      if (driver === 'neon') {
        proxy = await startNeonWsProxy();
        process.env.NEON_WS_PROXY = proxy.url;
      }
    }
  });
  afterAll(async () => {
    await closeDb();
    await proxy?.close();
    if (driver !== 'pglite') await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

for (const driver of ['postgres', 'neon', 'pglite'] as const) {
  describe(`concurrent bookings on ${driver}`, () => {
    useDriver(driver);

    it('of 50 requests for one slot exactly one is confirmed, 49 get slot_unavailable', async () => {
      const db = await getDb();
      const c = await makeClinicWithStaff(db);
      await setWeek(db, c.practitioner.id, { 3: [['09:00', '12:00']] });
      const { key } = await createAgentKey(db, { clinicSlug: c.clinic.slug, name: 'agent' });
      const body = { practitioner_id: c.practitioner.id, patient_id: c.patient.id, appointment_type_id: c.type.id, date: DAY, start_time: '10:00' };
      const results = await Promise.all(
        Array.from({ length: 50 }, () => callRoute(book, { method: 'POST', path: '/api/clinic/appointments', body, agentKey: key })),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status === 409 && r.body.error === 'slot_unavailable')).toHaveLength(49);
      const [n] = await queryRows<{ n: number }>(
        db,
        sql`SELECT count(*)::int AS n FROM appointments WHERE status = 'confirmed'
        AND calendar_event_id IN (SELECT id FROM calendar_events WHERE user_id = ${c.practitioner.id})`,
      );
      expect(n!.n).toBe(1);
    });

    it('overlapping but different starts: at most one of each overlapping group is confirmed', async () => {
      const db = await getDb();
      const c = await makeClinicWithStaff(db);
      await db
        .update(clinics)
        .set({ slotStepMinutes: 15 })
        .where(sql`${clinics.id} = ${c.clinic.id}`);
      await setWeek(db, c.practitioner.id, { 3: [['09:00', '12:00']] });
      const thirty = await makeAppointmentType(db, { clinicId: c.clinic.id, name: '一般複診', durationMinutes: 30 });
      const { key } = await createAgentKey(db, { clinicSlug: c.clinic.slug, name: 'agent' });
      // 60-minute bookings at 10:00/10:15/10:30/10:45 and 30-minute ones at 10:30/11:00 all overlap 10:00-11:00 or each other.
      const requests = [
        ...['10:00', '10:15', '10:30', '10:45'].flatMap((start) => Array.from({ length: 6 }, () => ({ type: c.type.id, start }))),
        ...['10:30', '11:00'].flatMap((start) => Array.from({ length: 6 }, () => ({ type: thirty.id, start }))),
      ];
      const results = await Promise.all(
        requests.map((r) =>
          callRoute(book, {
            method: 'POST',
            path: '/api/clinic/appointments',
            agentKey: key,
            body: { practitioner_id: c.practitioner.id, patient_id: c.patient.id, appointment_type_id: r.type, date: DAY, start_time: r.start },
          }),
        ),
      );
      expect(results.every((r) => r.status === 201 || (r.status === 409 && r.body.error === 'slot_unavailable'))).toBe(true);
      expect(results.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(1);
      const [overlaps] = await queryRows<{ n: number }>(
        db,
        sql`
        SELECT count(*)::int AS n FROM calendar_events x JOIN appointments ax ON ax.calendar_event_id = x.id
        JOIN calendar_events y ON y.user_id = x.user_id AND y.date = x.date AND y.id > x.id
        JOIN appointments ay ON ay.calendar_event_id = y.id
        WHERE x.user_id = ${c.practitioner.id} AND ax.status = 'confirmed' AND ay.status = 'confirmed'
          AND x.start_time < y.end_time AND y.start_time < x.end_time`,
      );
      expect(overlaps!.n).toBe(0);
    });
  });
}
