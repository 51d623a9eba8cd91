import 'server-only';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { assertClinicAdmin } from '../auth/access';
import type { Caller } from '../auth/caller';
import { writeAudit } from '../db/audit';
import type { DbOrTx } from '../db/client';
import { clinics, googleConnections, users } from '../db/schema';
import { inTransaction, type Tx } from '../db/transaction';
import { AppError, AppWarning } from '../errors';
import { loadSettingsRow, toClinicSettings, upcomingClinicAppointments, type ClinicSettingsDto, type SettingsRow } from '../queries/clinic-settings';
import type { UpdateClinicSettingsInput } from '../schemas/clinic-settings';
import { clinicNow } from '../time/clinic-clock';
import { systemClock, type Clock } from '../time/clock';
import { queueFuturePushes } from './google-connection';

// The clinic's own settings: name, time zone, slot step, minimum notice and booking rules. The agent's slots read
// them through the per-clinic cache, which the database's triggers invalidate on this very update,
// so the next request anywhere sees the change. Every edit names the settings version it was made on.

const WHAT = 'manages the clinic settings';
/** How many upcoming appointments a time-zone warning lists (it counts them all). */
const WARNING_LIST_LIMIT = 50;

type Editable = Pick<
  SettingsRow,
  | 'name'
  | 'timezone'
  | 'slotStepMinutes'
  | 'minNoticeMinutes'
  | 'bookingWindowDays'
  | 'maxAppointmentsPerDay'
  | 'maxUpcomingPerPatient'
  | 'cancellationDeadlineHours'
>;
const editable = (r: Editable) => ({
  name: r.name,
  timezone: r.timezone,
  slot_step_minutes: r.slotStepMinutes,
  min_notice_minutes: r.minNoticeMinutes,
  booking_window_days: r.bookingWindowDays,
  max_appointments_per_day: r.maxAppointmentsPerDay,
  max_upcoming_per_patient: r.maxUpcomingPerPatient,
  cancellation_deadline_hours: r.cancellationDeadlineHours,
});
/** A nullable field: left out keeps it, null clears it. */
const keep = <T>(given: T | null | undefined, before: T | null): T | null => (given === undefined ? before : given);

/**
 * Saves the fields given. A new time zone while confirmed appointments lie ahead is a warning first
 * (`timezone_change`, nothing saved): appointments keep their wall-clock times, so 09:00 stays 09:00
 * in the new zone, and `confirm` saves it. Their Google copies are then written again in the new zone.
 */
export async function updateClinicSettings(
  db: DbOrTx,
  caller: Caller,
  input: { changes: UpdateClinicSettingsInput; confirm: boolean; clock?: Clock },
): Promise<ClinicSettingsDto> {
  assertClinicAdmin(caller, WHAT);
  const { version, ...changes } = input.changes;
  const now = (input.clock ?? systemClock)();
  return inTransaction(db, async (tx) => {
    const before = await loadSettingsRow(tx, caller.clinicId, { forUpdate: true });
    if (before.version !== version) {
      throw new AppError('conflict', 'Someone else changed the clinic settings first; reload them and make your change again', {
        current: toClinicSettings(before),
      });
    }
    const next = {
      name: changes.name ?? before.name,
      timezone: changes.timezone ?? before.timezone,
      slotStepMinutes: changes.slot_step_minutes === undefined ? before.slotStepMinutes : changes.slot_step_minutes,
      minNoticeMinutes: changes.min_notice_minutes ?? before.minNoticeMinutes,
      bookingWindowDays: keep(changes.booking_window_days, before.bookingWindowDays),
      maxAppointmentsPerDay: keep(changes.max_appointments_per_day, before.maxAppointmentsPerDay),
      maxUpcomingPerPatient: keep(changes.max_upcoming_per_patient, before.maxUpcomingPerPatient),
      cancellationDeadlineHours: keep(changes.cancellation_deadline_hours, before.cancellationDeadlineHours),
    };
    if (JSON.stringify(editable(next)) === JSON.stringify(editable(before))) return toClinicSettings(before);

    const zoneChanged = next.timezone !== before.timezone;
    if (zoneChanged) {
      const upcoming = await upcomingClinicAppointments(tx, caller.clinicId, clinicNow(before.timezone, now), WARNING_LIST_LIMIT);
      if (upcoming.total > 0 && !input.confirm) {
        const first = upcoming.appointments[0]!;
        throw new AppWarning(
          'timezone_change',
          `${upcoming.total} upcoming appointment(s) keep their wall-clock times in the new time zone: ${first.date} ${first.start_time} stays ${first.start_time} in ${next.timezone}`,
          {
            from_timezone: before.timezone,
            to_timezone: next.timezone,
            total: upcoming.total,
            affected_appointments: upcoming.appointments.map((a) => ({
              calendar_event_id: a.calendar_event_id,
              date: a.date,
              time: `${a.start_time}-${a.end_time}`,
              patient: a.patient,
              practitioner: a.practitioner,
            })),
          },
        );
      }
    }

    const [row] = await tx
      .update(clinics)
      .set({
        name: next.name,
        timezone: next.timezone,
        slotStepMinutes: next.slotStepMinutes,
        minNoticeMinutes: next.minNoticeMinutes,
        bookingWindowDays: next.bookingWindowDays,
        maxAppointmentsPerDay: next.maxAppointmentsPerDay,
        maxUpcomingPerPatient: next.maxUpcomingPerPatient,
        cancellationDeadlineHours: next.cancellationDeadlineHours,
        settingsVersion: sql`${clinics.settingsVersion} + 1`,
        updatedAt: now,
      })
      .where(eq(clinics.id, caller.clinicId))
      .returning({ version: clinics.settingsVersion });
    const after: SettingsRow = { ...before, ...next, version: row!.version };
    if (zoneChanged) await rewriteGoogleCopies(tx, caller.clinicId, next.timezone, now);
    await writeAudit(tx, caller, {
      action: 'clinic.settings_updated',
      entityType: 'clinic',
      entityId: caller.clinicId,
      details: { before: editable(before), after: editable(after) },
    });
    return toClinicSettings(after);
  });
}

/** Google events carry the clinic's zone: every connected practitioner's events from today on are written again. */
async function rewriteGoogleCopies(tx: Tx, clinicId: number, timezone: string, now: Date): Promise<void> {
  const connected = await tx
    .select({ userId: googleConnections.userId })
    .from(googleConnections)
    .innerJoin(users, eq(users.id, googleConnections.userId))
    .where(and(eq(users.clinicId, clinicId), eq(googleConnections.state, 'connected'), isNull(users.deactivatedAt)));
  for (const c of connected) await queueFuturePushes(tx, { clinicId, userId: c.userId, timezone, now });
}
