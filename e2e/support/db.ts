import pg from 'pg';

/** Direct database access for fixtures the UI under test does not create itself. */
export async function withDb<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Books a confirmed appointment for a demo practitioner, by email and patient name. */
export async function insertAppointment(v: { practitionerEmail: string; patient: string; date: string; start: string; end: string }): Promise<number> {
  return withDb(async (db) => {
    const { rows } = await db.query<{ id: number }>(
      `WITH ev AS (
         INSERT INTO calendar_events (user_id, event_type, date, start_time, end_time)
         SELECT id, 'appointment', $2, $3, $4 FROM users WHERE email = $1 RETURNING id, user_id)
       INSERT INTO appointments (calendar_event_id, patient_id, appointment_type_id, status)
       SELECT ev.id, p.id, t.id, 'confirmed' FROM ev
         JOIN users u ON u.id = ev.user_id
         JOIN patients p ON p.clinic_id = u.clinic_id AND p.full_name = $5
         JOIN appointment_types t ON t.clinic_id = u.clinic_id AND t.name = '初診評估'
       RETURNING calendar_event_id AS id`,
      [v.practitionerEmail, v.date, v.start, v.end, v.patient]);
    return rows[0]!.id;
  });
}

/** Removes a practitioner's appointments on a date (each test arranges its own). */
export async function clearAppointments(practitionerEmail: string, date: string): Promise<void> {
  await withDb((db) => db.query(
    `DELETE FROM calendar_events WHERE date = $2 AND event_type = 'appointment' AND user_id = (SELECT id FROM users WHERE email = $1)`,
    [practitionerEmail, date]));
}

/** The first Monday at least a week after today (clinic time is Asia/Taipei, like the tests). */
export function nextMondayAfterAWeek(): string {
  const d = new Date(Date.now() + 8 * 3600_000);
  d.setUTCDate(d.getUTCDate() + 7);
  while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
