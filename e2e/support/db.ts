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

/**
 * A practitioner a spec owns, in the clinic of `colleague`: made on first use, active again if an
 * earlier run deactivated it, its weekly hours replaced by `hours` (and, with `clearCalendar`, every
 * event of its calendar deleted). Returns its user id. Specs that leave other practitioners' weeks
 * alone use one of these.
 */
export async function ownPractitioner(input: {
  email: string;
  name: string;
  colleague: string;
  hours: Array<{ dow: number; start: string; end: string }>;
  clearCalendar?: boolean;
}): Promise<number> {
  return withDb(async (db) => {
    const { rows } = await db.query<{ id: number }>(`SELECT id FROM users WHERE email = $1`, [input.email]);
    let id = rows[0]?.id;
    if (id === undefined) {
      const made = await db.query<{ id: number }>(
        `INSERT INTO users (clinic_id, email, name, role, is_practitioner)
         SELECT clinic_id, $1, $2, 'practitioner', true FROM users WHERE email = $3 RETURNING id`,
        [input.email, input.name, input.colleague],
      );
      id = made.rows[0]!.id;
    } else {
      await db.query(`UPDATE users SET deactivated_at = NULL WHERE id = $1`, [id]);
    }
    if (input.clearCalendar) await db.query(`DELETE FROM calendar_events WHERE user_id = $1`, [id]);
    await db.query(`DELETE FROM practitioner_availability WHERE user_id = $1`, [id]);
    for (const h of input.hours) {
      await db.query(`INSERT INTO practitioner_availability (user_id, day_of_week, start_time, end_time) VALUES ($1, $2, $3, $4)`, [
        id,
        h.dow,
        h.start,
        h.end,
      ]);
    }
    return id;
  });
}

/** Books a confirmed appointment for a demo practitioner, by email and patient name. */
export async function insertAppointment(v: {
  practitionerEmail: string;
  patient: string;
  date: string;
  start: string;
  end: string;
}): Promise<number> {
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
      [v.practitionerEmail, v.date, v.start, v.end, v.patient],
    );
    return rows[0]!.id;
  });
}

/** Removes a practitioner's appointments on a date (each test arranges its own). */
export async function clearAppointments(practitionerEmail: string, date: string): Promise<void> {
  await withDb((db) =>
    db.query(`DELETE FROM calendar_events WHERE date = $2 AND event_type = 'appointment' AND user_id = (SELECT id FROM users WHERE email = $1)`, [
      practitionerEmail,
      date,
    ]),
  );
}

/** The first Monday at least a week after today (clinic time is Asia/Taipei, like the tests). */
export function nextMondayAfterAWeek(): string {
  const d = new Date(Date.now() + 8 * 3600_000);
  d.setUTCDate(d.getUTCDate() + 7);
  while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The first date with weekday `dow` (0 = Sunday) at least `minDays` after today in Asia/Taipei. */
export function weekdayAfter(dow: number, minDays: number): string {
  const d = new Date(Date.now() + 8 * 3600_000);
  d.setUTCDate(d.getUTCDate() + minDays);
  while (d.getUTCDay() !== dow) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Today in Asia/Taipei, the demo clinic's zone. */
export function clinicToday(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Removes every event (appointments and exceptions) of a practitioner on a date. */
export async function clearDay(practitionerEmail: string, date: string): Promise<void> {
  await withDb((db) =>
    db.query(`DELETE FROM calendar_events WHERE date = $2 AND user_id = (SELECT id FROM users WHERE email = $1)`, [practitionerEmail, date]),
  );
}

/** Adds an availability exception (both times null = all day); returns the exception's id. */
export async function insertException(v: { practitionerEmail: string; date: string; start: string | null; end: string | null }): Promise<number> {
  return withDb(async (db) => {
    const { rows } = await db.query<{ id: number }>(
      `WITH ev AS (
         INSERT INTO calendar_events (user_id, event_type, date, start_time, end_time)
         SELECT id, 'availability_exception', $2, $3, $4 FROM users WHERE email = $1 RETURNING id)
       INSERT INTO availability_exceptions (calendar_event_id) SELECT id FROM ev RETURNING id`,
      [v.practitionerEmail, v.date, v.start, v.end],
    );
    return rows[0]!.id;
  });
}

/** A practitioner's exceptions on a date as `HH:MM-HH:MM` (or "all day"), sorted. */
export async function exceptionsOn(practitionerEmail: string, date: string): Promise<string[]> {
  return withDb(async (db) => {
    const { rows } = await db.query<{ span: string }>(
      `SELECT CASE WHEN e.start_time IS NULL THEN 'all day'
                   ELSE to_char(e.start_time, 'HH24:MI') || '-' || to_char(e.end_time, 'HH24:MI') END AS span
         FROM calendar_events e JOIN users u ON u.id = e.user_id
        WHERE u.email = $1 AND e.date = $2 AND e.event_type = 'availability_exception'
        ORDER BY e.start_time NULLS FIRST, e.end_time`,
      [practitionerEmail, date],
    );
    return rows.map((r) => r.span);
  });
}

/** The outbox jobs of a kind that name a calendar event in their payload. */
export async function outboxJobsFor(kind: string, calendarEventId: number): Promise<Array<{ status: string; payload: Record<string, unknown> }>> {
  return withDb(
    async (db) =>
      (
        await db.query<{ status: string; payload: Record<string, unknown> }>(
          `SELECT status, payload FROM outbox_jobs WHERE kind = $1 AND payload->>'calendar_event_id' = $2 ORDER BY id`,
          [kind, String(calendarEventId)],
        )
      ).rows,
  );
}

/** Marks an event's Google copy as failed to sync (the day view shows a marker). */
export async function markSyncFailed(calendarEventId: number): Promise<void> {
  await withDb((db) => db.query(`UPDATE calendar_events SET gcal_sync_status = 'sync_failed' WHERE id = $1`, [calendarEventId]));
}
