import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { DELETE as deleteAppointment } from '@/app/api/clinic/practitioners/[user_id]/appointments/[calendar_event_id]/route';
import type { Db } from '@/lib/db/client';
import { outboxJobs } from '@/lib/db/schema';
import { FakeLineServer } from '../fakes/line-server';
import { makeAppointment, makeClinicWithStaff } from '../support/factories';
import { callRoute, sessionCookie } from '../support/http';

/** A fake LINE for the file, with the real client pointed at it through LINE_API_BASE_URL. */
export function useFakeLine(): () => FakeLineServer {
  const fake = new FakeLineServer();
  beforeAll(async () => {
    await fake.start();
    process.env.LINE_API_BASE_URL = fake.url;
    process.env.LINE_CHANNEL_ACCESS_TOKEN = 'test-channel-token';
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());
  return () => fake;
}

/** The clinic deletes an appointment through the real route: one line.push job in the outbox. */
export async function cancelOneAppointment(db: Db, date = '2031-05-07', startTime = '10:00') {
  const c = await makeClinicWithStaff(db);
  const appt = await makeAppointment(db, {
    userId: c.practitioner.id,
    patientId: c.patient.id,
    appointmentTypeId: c.type.id,
    date,
    startTime,
    endTime: `${String(Number(startTime.slice(0, 2)) + 1).padStart(2, '0')}:00`,
  });
  const cookie = await sessionCookie({ id: c.practitioner.id, clinicId: c.clinic.id, role: 'practitioner' });
  const res = await callRoute(deleteAppointment, {
    method: 'DELETE',
    path: `/api/clinic/practitioners/${c.practitioner.id}/appointments/${appt.id}`,
    params: { user_id: String(c.practitioner.id), calendar_event_id: String(appt.id) },
    cookie,
  });
  if (res.status !== 200) throw new Error(`cancel answered ${res.status}`);
  const [job] = await db.select().from(outboxJobs).where(eq(outboxJobs.clinicId, c.clinic.id));
  return { ...c, appointment: appt, job: job! };
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.now()) {
  let t = start;
  return {
    now: () => new Date(t),
    set: (d: Date) => {
      t = d.getTime();
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}
