import { and, count, eq, inArray } from 'drizzle-orm';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { POST as book } from '@/app/api/clinic/appointments/route';
import { appointments, calendarEvents, clinics } from '@/lib/db/schema';
import { createAgentKey } from '@/lib/services/agent-keys';
import { useTestDatabase } from '../support/db';
import { makeClinicWithStaff, setWeek } from '../support/factories';
import { callRoute } from '../support/http';

// A booking holds only its own practitioner's calendar lock; the clinic's maximum of upcoming
// appointments per patient counts across calendars. Two bookings of one patient into two calendars at
// once must not both count below the maximum and both book.
process.env.CALENDAR_BUSY_WAIT_MS = '1500';

const DAY = '2031-09-03'; // a Wednesday
const PATIENT_LOCK_NAMESPACE = 0x706174;

describe("the clinic's maximum of upcoming appointments per patient, with bookings into two calendars at once", () => {
  const t = useTestDatabase();
  let c: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let key: string;

  beforeAll(async () => {
    c = await makeClinicWithStaff(t.db());
    await t.db().update(clinics).set({ maxUpcomingPerPatient: 1 }).where(eq(clinics.id, c.clinic.id));
    key = (await createAgentKey(t.db(), { clinicSlug: c.clinic.slug, name: 'LINE agent' })).key;
    await setWeek(t.db(), c.practitioner.id, { 3: [['09:00', '18:00']] });
    await setWeek(t.db(), c.colleague.id, { 3: [['09:00', '18:00']] });
  });

  const booking = (start: string) =>
    callRoute(book, {
      method: 'POST',
      path: '/api/clinic/appointments',
      body: { practitioner_id: c.practitioner.id, patient_id: c.patient.id, appointment_type_id: c.type.id, date: DAY, start_time: start },
      agentKey: key,
    });
  const patientsAppointments = async () =>
    (
      await t
        .db()
        .select({ n: count() })
        .from(appointments)
        .where(and(eq(appointments.patientId, c.patient.id), eq(appointments.status, 'confirmed')))
    )[0]!.n;

  /**
   * Another booking of the same patient, into the colleague's calendar, in flight on its own connection:
   * it holds the patient's lock, as a booking does before counting, and has written its appointment
   * without committing yet.
   */
  async function bookingInFlight() {
    const client = new pg.Client({ connectionString: t.url() });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [PATIENT_LOCK_NAMESPACE, c.patient.id]);
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO calendar_events (user_id, event_type, date, start_time, end_time, appointment_status)
       VALUES ($1, 'appointment', $2, '10:00', '11:00', 'confirmed') RETURNING id`,
        [c.colleague.id, DAY],
      );
      await client.query(`INSERT INTO appointments (calendar_event_id, patient_id, appointment_type_id, status) VALUES ($1, $2, $3, 'confirmed')`, [
        rows[0]!.id,
        c.patient.id,
        c.type.id,
      ]);
    } catch (err) {
      await client.end();
      throw err;
    }
    return {
      end: async (how: 'COMMIT' | 'ROLLBACK') => {
        await client.query(how);
        await client.end();
      },
    };
  }

  it('a booking waits for the other booking of its patient, then counts it: 409 patient_limit_reached, and only one appointment', async () => {
    const other = await bookingInFlight();
    let answered = false;
    const mine = booking('14:00').then((res) => {
      answered = true;
      return res;
    });
    try {
      // Without the patient's lock it would count the patient's committed appointments (none) and book.
      await new Promise((r) => setTimeout(r, 400));
      expect(answered).toBe(false);
    } finally {
      await other.end('COMMIT');
    }
    const res = await mine;
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('patient_limit_reached');
    expect(await patientsAppointments()).toBe(1);
  });

  it('a patient whose other booking never ends: 503 busy saying when to retry, after the wait, nothing written; once it rolls back, the booking goes through', async () => {
    // The first test's appointment goes (its event, and with it the appointment).
    await t
      .db()
      .delete(calendarEvents)
      .where(inArray(calendarEvents.userId, [c.practitioner.id, c.colleague.id]));
    const other = await bookingInFlight();
    try {
      const res = await booking('15:00');
      expect(res.status).toBe(503);
      expect(res.body.error).toBe('busy');
      // When to come back (route() sends it as Retry-After too, as test/api/busy.test.ts checks).
      expect(res.body.details.retry_after_seconds).toBeGreaterThanOrEqual(1);
    } finally {
      await other.end('ROLLBACK');
    }
    expect(await patientsAppointments()).toBe(0);
    expect((await booking('15:00')).status).toBe(201);
    expect(await patientsAppointments()).toBe(1);
  });
});
