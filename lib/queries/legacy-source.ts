import 'server-only';
import pg from 'pg';

// The old system's database (CONTRACT.md, "The old schema"), read by `npm run db:import-legacy`.
// Read-only: the session refuses every write (default_transaction_read_only) and everything is
// read in one READ ONLY snapshot, so the rows agree with one another even while the old system runs.

export interface LegacyUser {
  id: number;
  email: string | null;
  fullName: string | null;
  role: string | null;
  createdAt: Date | null;
}
export interface LegacyPatient {
  id: number;
  fullName: string | null;
  phoneNumber: string | null;
  lineUserId: string | null;
  createdAt: Date | null;
}
export interface LegacyAppointmentType {
  id: number;
  name: string | null;
  durationMinutes: number | null;
}
export interface LegacyAvailability {
  id: number;
  userId: number;
  dayOfWeek: number;
  /** `HH:MM:SS` */
  startTime: string | null;
  endTime: string | null;
  isAvailable: boolean | null;
}
export interface LegacyAppointment {
  id: number;
  userId: number;
  patientId: number;
  appointmentTypeId: number;
  start: Date | null;
  end: Date | null;
  status: string | null;
  gcalEventId: string | null;
  createdAt: Date | null;
  updatedAt: Date | null;
}
export interface LegacyRows {
  users: LegacyUser[];
  patients: LegacyPatient[];
  appointmentTypes: LegacyAppointmentType[];
  availability: LegacyAvailability[];
  appointments: LegacyAppointment[];
}

/** Every row of the old tables, in id order, from one read-only snapshot of the database at `url`. */
export async function readLegacyDatabase(url: string): Promise<LegacyRows> {
  const client = new pg.Client({ connectionString: url, options: '-c default_transaction_read_only=on' });
  // TIME columns stay text (HH:MM:SS); timestamptz come back as instants.
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const rows = async <T>(text: string) => (await client.query(text)).rows as T[];
    const result: LegacyRows = {
      users: await rows<LegacyUser>('SELECT id, email, full_name AS "fullName", role, created_at AS "createdAt" FROM users ORDER BY id'),
      patients: await rows<LegacyPatient>(
        'SELECT id, full_name AS "fullName", phone_number AS "phoneNumber", line_user_id AS "lineUserId", created_at AS "createdAt" FROM patients ORDER BY id',
      ),
      appointmentTypes: await rows<LegacyAppointmentType>(
        'SELECT id, name, duration_minutes AS "durationMinutes" FROM appointment_types ORDER BY id',
      ),
      availability: await rows<LegacyAvailability>(
        `SELECT id, user_id AS "userId", day_of_week AS "dayOfWeek", start_time::text AS "startTime", end_time::text AS "endTime",
                is_available AS "isAvailable" FROM practitioner_availability ORDER BY id`,
      ),
      appointments: await rows<LegacyAppointment>(
        `SELECT id, user_id AS "userId", patient_id AS "patientId", appointment_type_id AS "appointmentTypeId",
                start_time AS "start", end_time AS "end", status, gcal_event_id AS "gcalEventId",
                created_at AS "createdAt", updated_at AS "updatedAt" FROM appointments ORDER BY id`,
      ),
    };
    await client.query('COMMIT');
    return result;
  } finally {
    await client.end();
  }
}
