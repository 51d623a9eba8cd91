import { count, eq } from 'drizzle-orm';
import { NextRequest } from 'next/server';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { POST as book } from '@/app/api/clinic/appointments/route';
import { GET as health } from '@/app/api/health/route';
import { GET as slots } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/route';
import { calendarEvents } from '@/lib/db/schema';
import { createAgentKey } from '@/lib/services/agent-keys';
import { useTestDatabase } from '../support/db';
import { makeClinicWithStaff, setWeek } from '../support/factories';

// A small pool, so that waiting bookings would take every connection if they held one.
process.env.DATABASE_POOL_MAX = '4';
process.env.CALENDAR_BUSY_WAIT_MS = '1500';

const DAY = '2031-09-03'; // a Wednesday
const CALENDAR_LOCK_NAMESPACE = 0x63616c;

describe('one stuck practitioner never stalls the clinic', () => {
  const t = useTestDatabase();
  let c: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let key: string;

  beforeAll(async () => {
    c = await makeClinicWithStaff(t.db());
    key = (await createAgentKey(t.db(), { clinicSlug: c.clinic.slug, name: 'LINE agent' })).key;
    await setWeek(t.db(), c.practitioner.id, { 3: [['09:00', '18:00']] });
    await setWeek(t.db(), c.colleague.id, { 3: [['09:00', '12:00']] });
  });

  /** Another connection holds the practitioner's calendar lock, as a stuck transaction would. */
  async function holdCalendar(practitionerId: number) {
    const client = new pg.Client({ connectionString: t.url() });
    await client.connect();
    await client.query('SELECT pg_advisory_lock($1, $2)', [CALENDAR_LOCK_NAMESPACE, practitionerId]);
    return {
      release: async () => {
        await client.query('SELECT pg_advisory_unlock_all()');
        await client.end();
      },
    };
  }
  const request = (path: string, init: { method?: string; body?: unknown } = {}) =>
    new NextRequest(new URL(path, 'http://localhost:3000'), {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const booking = (start: string) =>
    book(
      request('/api/clinic/appointments', {
        method: 'POST',
        body: { practitioner_id: c.practitioner.id, patient_id: c.patient.id, appointment_type_id: c.type.id, date: DAY, start_time: start },
      }),
      { params: Promise.resolve({}) },
    );
  const bookedThatDay = async () => (await t.db().select({ n: count() }).from(calendarEvents).where(eq(calendarEvents.date, DAY)))[0]!.n;

  it("waiting bookings answer 503 busy with Retry-After and change nothing; health and a colleague's slots keep answering", async () => {
    const lock = await holdCalendar(c.practitioner.id);
    const finished: string[] = [];
    try {
      const starts = ['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00', '17:00'];
      const bookings = [...starts, ...starts.slice(0, 6)].map((s) =>
        booking(s).then((res) => {
          finished.push('booking');
          return res;
        }),
      );
      // While fifteen bookings wait for the stuck calendar, the rest of the clinic is served.
      await new Promise((r) => setTimeout(r, 100));
      const ok = await health().then((res) => {
        finished.push('health');
        return res;
      });
      const colleague = await slots(
        request(`/api/clinic/practitioners/${c.colleague.id}/availability/slots?date=${DAY}&appointment_type_id=${c.type.id}`),
        { params: Promise.resolve({ user_id: String(c.colleague.id) }) },
      ).then((res) => {
        finished.push('slots');
        return res;
      });
      expect(ok.status).toBe(200);
      expect(colleague.status).toBe(200);
      expect((await colleague.json()).available_slots).toHaveLength(3);
      expect(finished.slice(0, 2)).toEqual(['health', 'slots']);

      const answers = await Promise.all(bookings);
      for (const res of answers) {
        expect(res.status).toBe(503);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(await res.json()).toMatchObject({ error: 'busy', message: expect.any(String) });
      }
      expect(await bookedThatDay()).toBe(0);
    } finally {
      await lock.release();
    }
    // Once the calendar is free again, the same booking goes through.
    expect((await booking('09:00')).status).toBe(201);
    expect(await bookedThatDay()).toBe(1);
  });
});
