import 'server-only';
import { and, eq, gte, sql } from 'drizzle-orm';
import { assertClinicAdmin } from '../auth/access';
import type { Caller } from '../auth/caller';
import { writeAudit } from '../db/audit';
import type { DbOrTx } from '../db/client';
import { appointments, appointmentTypes, calendarEvents } from '../db/schema';
import { inTransaction, type Tx } from '../db/transaction';
import { AppError, sqlStateOf } from '../errors';
import { adminTypeColumns, toAdminAppointmentType } from '../queries/appointment-types';
import { getClinicSettings } from '../queries/clinic';
import type { AdminAppointmentTypeDto } from '../schemas/responses';
import type { CreateAppointmentTypeInput, UpdateAppointmentTypeInput } from '../schemas/appointment-types';
import { clinicNow } from '../time/clinic-clock';
import { systemClock, type Clock } from '../time/clock';
import { enqueueGoogleUpsert, hasGoogleConnection } from './google-sync-jobs';

// The clinic admin's appointment types. Booked appointments keep their own times (calendar_events
// holds each one's start and end), so a new duration or buffer concerns bookings made from now on
// only. Archived types are offered to no one (the agent's list, slots and bookings skip them) and
// their appointments keep showing their name. Every edit names the version it was made on.

const WHAT = 'manages appointment types';

/** The partial unique index (clinic, lower(name)) among types in use, as the contract's 409. */
async function uniqueName<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (sqlStateOf(err) === '23505') {
      throw new AppError('conflict', `An appointment type named "${name}" is already in use (names are compared ignoring case)`, { field: 'name' });
    }
    throw err;
  }
}

async function findType(tx: Tx, caller: Caller, id: number): Promise<AdminAppointmentTypeDto> {
  const [row] = await tx
    .select(adminTypeColumns)
    .from(appointmentTypes)
    .where(and(eq(appointmentTypes.id, id), eq(appointmentTypes.clinicId, caller.clinicId)))
    .for('update');
  if (!row) throw new AppError('not_found', 'Appointment type not found');
  return toAdminAppointmentType(row);
}

/** The edit was made on another version than the one stored: the loser is told, with the type as it is now. */
function assertVersion(current: AdminAppointmentTypeDto, version: number): void {
  if (current.version !== version) {
    throw new AppError('conflict', 'Someone else changed this appointment type first; reload it and make your change again', { current });
  }
}

const editable = (t: AdminAppointmentTypeDto) => ({
  name: t.name,
  duration_minutes: t.duration_minutes,
  buffer_before_minutes: t.buffer_before_minutes,
  buffer_after_minutes: t.buffer_after_minutes,
  color: t.color,
  booking_window_days: t.booking_window_days,
  min_notice_minutes: t.min_notice_minutes,
});

export async function createAppointmentType(db: DbOrTx, caller: Caller, input: CreateAppointmentTypeInput): Promise<AdminAppointmentTypeDto> {
  assertClinicAdmin(caller, WHAT);
  return inTransaction(db, async (tx) => {
    const [row] = await uniqueName(input.name, () =>
      tx
        .insert(appointmentTypes)
        .values({
          clinicId: caller.clinicId,
          name: input.name,
          durationMinutes: input.duration_minutes,
          bufferBeforeMinutes: input.buffer_before_minutes ?? 0,
          bufferAfterMinutes: input.buffer_after_minutes ?? 0,
          color: input.color ?? null,
          bookingWindowDays: input.booking_window_days ?? null,
          minNoticeMinutes: input.min_notice_minutes ?? null,
        })
        .returning(adminTypeColumns),
    );
    const created = toAdminAppointmentType(row!);
    await writeAudit(tx, caller, {
      action: 'appointment_type.created',
      entityType: 'appointment_type',
      entityId: created.id,
      details: { after: editable(created) },
    });
    return created;
  });
}

export async function updateAppointmentType(
  db: DbOrTx,
  caller: Caller,
  input: { id: number; changes: UpdateAppointmentTypeInput; clock?: Clock },
): Promise<AdminAppointmentTypeDto> {
  assertClinicAdmin(caller, WHAT);
  const { version, ...changes } = input.changes;
  return inTransaction(db, async (tx) => {
    const before = await findType(tx, caller, input.id);
    assertVersion(before, version);
    const next = {
      name: changes.name ?? before.name,
      duration_minutes: changes.duration_minutes ?? before.duration_minutes,
      buffer_before_minutes: changes.buffer_before_minutes ?? before.buffer_before_minutes,
      buffer_after_minutes: changes.buffer_after_minutes ?? before.buffer_after_minutes,
      color: changes.color === undefined ? before.color : changes.color,
      booking_window_days: changes.booking_window_days === undefined ? before.booking_window_days : changes.booking_window_days,
      min_notice_minutes: changes.min_notice_minutes === undefined ? before.min_notice_minutes : changes.min_notice_minutes,
    };
    // Nothing changes: no new version, no audit entry (a repeated save is harmless).
    if (JSON.stringify(next) === JSON.stringify(editable(before))) return before;
    const [row] = await uniqueName(next.name, () =>
      tx
        .update(appointmentTypes)
        .set({
          name: next.name,
          durationMinutes: next.duration_minutes,
          bufferBeforeMinutes: next.buffer_before_minutes,
          bufferAfterMinutes: next.buffer_after_minutes,
          color: next.color,
          bookingWindowDays: next.booking_window_days,
          minNoticeMinutes: next.min_notice_minutes,
          version: sql`${appointmentTypes.version} + 1`,
          updatedAt: new Date(),
        })
        .where(eq(appointmentTypes.id, before.id))
        .returning(adminTypeColumns),
    );
    const after = toAdminAppointmentType(row!);
    // The Google copies of upcoming appointments carry the type's name in their title.
    if (after.name !== before.name) await refreshGoogleTitles(tx, caller.clinicId, after.id, input.clock ?? systemClock);
    await writeAudit(tx, caller, {
      action: 'appointment_type.updated',
      entityType: 'appointment_type',
      entityId: after.id,
      details: { before: editable(before), after: editable(after) },
    });
    return after;
  });
}

/** Archive (offered to no one from now on) or restore; archiving an archived type changes nothing. */
export async function setAppointmentTypeArchived(
  db: DbOrTx,
  caller: Caller,
  input: { id: number; version: number; archived: boolean },
): Promise<AdminAppointmentTypeDto> {
  assertClinicAdmin(caller, WHAT);
  return inTransaction(db, async (tx) => {
    const before = await findType(tx, caller, input.id);
    if (before.archived === input.archived) return before;
    assertVersion(before, input.version);
    // Restoring brings the name back among the types in use, where it must be unique.
    const [row] = await uniqueName(before.name, () =>
      tx
        .update(appointmentTypes)
        .set({ archivedAt: input.archived ? new Date() : null, version: sql`${appointmentTypes.version} + 1`, updatedAt: new Date() })
        .where(eq(appointmentTypes.id, before.id))
        .returning(adminTypeColumns),
    );
    const after = toAdminAppointmentType(row!);
    await writeAudit(tx, caller, {
      action: input.archived ? 'appointment_type.archived' : 'appointment_type.restored',
      entityType: 'appointment_type',
      entityId: after.id,
      details: { name: after.name, before: { archived: before.archived }, after: { archived: after.archived } },
    });
    return after;
  });
}

/** Queues a Google update of every upcoming confirmed appointment of the type whose practitioner is connected. */
async function refreshGoogleTitles(tx: Tx, clinicId: number, typeId: number, clock: Clock): Promise<void> {
  const clinic = await getClinicSettings(tx, clinicId);
  const today = clinicNow(clinic.timezone, clock()).date;
  const rows = await tx
    .select({ id: calendarEvents.id, userId: calendarEvents.userId })
    .from(calendarEvents)
    .innerJoin(appointments, eq(appointments.calendarEventId, calendarEvents.id))
    .where(and(eq(appointments.appointmentTypeId, typeId), eq(appointments.status, 'confirmed'), gte(calendarEvents.date, today)));
  const connected = new Map<number, boolean>();
  for (const r of rows) {
    if (!connected.has(r.userId)) connected.set(r.userId, await hasGoogleConnection(tx, r.userId));
    if (connected.get(r.userId)) await enqueueGoogleUpsert(tx, { clinicId, practitionerId: r.userId, calendarEventId: r.id });
  }
}
