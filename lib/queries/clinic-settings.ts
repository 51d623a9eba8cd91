import 'server-only';
import { and, asc, eq, gt, or, sql } from 'drizzle-orm';
import { formatTime } from '../availability';
import { assertClinicAdmin } from '../auth/access';
import type { Caller } from '../auth/caller';
import { encryptionKeyProblem } from '../crypto/secrets';
import type { DbOrTx } from '../db/client';
import { appointments, calendarEvents, clinics, patients, users } from '../db/schema';
import { AppError } from '../errors';
import type { ClinicSettingsDto } from '../schemas/responses';
import type { ClinicNow } from '../time/clinic-clock';
import { readLineChannel } from './line-channel';

export type { ClinicSettingsDto } from '../schemas/responses';

/** The columns of the admin's settings view (select them, then `toClinicSettings`). */
export const settingsColumns = {
  id: clinics.id,
  name: clinics.name,
  slug: clinics.slug,
  timezone: clinics.timezone,
  slotStepMinutes: clinics.slotStepMinutes,
  minNoticeMinutes: clinics.minNoticeMinutes,
  bookingWindowDays: clinics.bookingWindowDays,
  maxAppointmentsPerDay: clinics.maxAppointmentsPerDay,
  maxUpcomingPerPatient: clinics.maxUpcomingPerPatient,
  cancellationDeadlineHours: clinics.cancellationDeadlineHours,
  version: clinics.settingsVersion,
  tokenEncrypted: clinics.lineChannelTokenEncrypted,
  secretEncrypted: clinics.lineChannelSecretEncrypted,
  tokenHint: clinics.lineChannelTokenHint,
  secretHint: clinics.lineChannelSecretHint,
};
export interface SettingsRow {
  id: number;
  name: string;
  slug: string;
  timezone: string;
  slotStepMinutes: number | null;
  minNoticeMinutes: number;
  bookingWindowDays: number | null;
  maxAppointmentsPerDay: number | null;
  maxUpcomingPerPatient: number | null;
  cancellationDeadlineHours: number | null;
  version: number;
  tokenEncrypted: string | null;
  secretEncrypted: string | null;
  tokenHint: string | null;
  secretHint: string | null;
}

/** The answer: the LINE channel only as "set, ends in …4f2a", never the values. */
export function toClinicSettings(r: SettingsRow): ClinicSettingsDto {
  return {
    name: r.name,
    slug: r.slug,
    timezone: r.timezone,
    slot_step_minutes: r.slotStepMinutes,
    min_notice_minutes: r.minNoticeMinutes,
    booking_window_days: r.bookingWindowDays,
    max_appointments_per_day: r.maxAppointmentsPerDay,
    max_upcoming_per_patient: r.maxUpcomingPerPatient,
    cancellation_deadline_hours: r.cancellationDeadlineHours,
    version: r.version,
    line_channel: {
      token_set: r.tokenEncrypted !== null,
      token_hint: r.tokenEncrypted !== null && r.tokenHint ? `…${r.tokenHint}` : null,
      secret_set: r.secretEncrypted !== null,
      secret_hint: r.secretEncrypted !== null && r.secretHint ? `…${r.secretHint}` : null,
      usable: readLineChannel(r.id, r).kind === 'clinic',
    },
    encryption_configured: encryptionKeyProblem() === null,
  };
}

export async function loadSettingsRow(db: DbOrTx, clinicId: number, options: { forUpdate?: boolean } = {}): Promise<SettingsRow> {
  const query = db.select(settingsColumns).from(clinics).where(eq(clinics.id, clinicId));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  if (!row) throw new AppError('not_found', 'Clinic not found');
  return row;
}

export async function getAdminClinicSettings(db: DbOrTx, caller: Caller): Promise<ClinicSettingsDto> {
  assertClinicAdmin(caller, 'manages the clinic settings');
  return toClinicSettings(await loadSettingsRow(db, caller.clinicId));
}

export interface UpcomingAppointment {
  calendar_event_id: number;
  practitioner_id: number;
  practitioner: string;
  patient: string;
  date: string;
  start_time: string;
  end_time: string;
}

/** The clinic's confirmed appointments that have not ended by `now` (clinic time), soonest first, at most `limit`, with their count. */
export async function upcomingClinicAppointments(
  db: DbOrTx,
  clinicId: number,
  now: ClinicNow,
  limit: number,
): Promise<{ total: number; appointments: UpcomingAppointment[] }> {
  const nowTime = `${formatTime(now.minutes)}:00`;
  const notEnded = or(gt(calendarEvents.date, now.date), and(eq(calendarEvents.date, now.date), sql`${calendarEvents.endTime} > ${nowTime}::time`));
  const where = and(eq(users.clinicId, clinicId), eq(appointments.status, 'confirmed'), notEnded);
  const rows = await db
    .select({
      id: calendarEvents.id,
      practitionerId: users.id,
      practitioner: users.name,
      patient: patients.fullName,
      date: calendarEvents.date,
      start: calendarEvents.startTime,
      end: calendarEvents.endTime,
      total: sql<number>`count(*) OVER ()`.mapWith(Number),
    })
    .from(calendarEvents)
    .innerJoin(appointments, eq(appointments.calendarEventId, calendarEvents.id))
    .innerJoin(users, eq(users.id, calendarEvents.userId))
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .where(where)
    .orderBy(asc(calendarEvents.date), asc(calendarEvents.startTime), asc(calendarEvents.id))
    .limit(limit);
  return {
    total: rows[0]?.total ?? 0,
    appointments: rows.map((r) => ({
      calendar_event_id: r.id,
      practitioner_id: r.practitionerId,
      practitioner: r.practitioner,
      patient: r.patient,
      date: r.date,
      start_time: (r.start ?? '00:00').slice(0, 5),
      end_time: (r.end ?? '24:00').slice(0, 5),
    })),
  };
}
