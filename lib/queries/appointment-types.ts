import 'server-only';
import { asc, eq, sql } from 'drizzle-orm';
import { assertClinicAdmin } from '../auth/access';
import type { Caller } from '../auth/caller';
import type { DbOrTx } from '../db/client';
import { appointmentTypes } from '../db/schema';
import type { AdminAppointmentTypeDto } from '../schemas/responses';

export type { AdminAppointmentTypeDto } from '../schemas/responses';

/** The columns of an admin's view of a type (select them, then `toAdminAppointmentType`). */
export const adminTypeColumns = {
  id: appointmentTypes.id,
  name: appointmentTypes.name,
  durationMinutes: appointmentTypes.durationMinutes,
  bufferBeforeMinutes: appointmentTypes.bufferBeforeMinutes,
  bufferAfterMinutes: appointmentTypes.bufferAfterMinutes,
  color: appointmentTypes.color,
  bookingWindowDays: appointmentTypes.bookingWindowDays,
  minNoticeMinutes: appointmentTypes.minNoticeMinutes,
  archivedAt: appointmentTypes.archivedAt,
  version: appointmentTypes.version,
  updatedAt: appointmentTypes.updatedAt,
};
export interface AdminTypeRow {
  id: number;
  name: string;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  color: string | null;
  bookingWindowDays: number | null;
  minNoticeMinutes: number | null;
  archivedAt: Date | null;
  version: number;
  updatedAt: Date;
}

export function toAdminAppointmentType(r: AdminTypeRow): AdminAppointmentTypeDto {
  return {
    id: r.id,
    name: r.name,
    duration_minutes: r.durationMinutes,
    buffer_before_minutes: r.bufferBeforeMinutes,
    buffer_after_minutes: r.bufferAfterMinutes,
    color: r.color,
    booking_window_days: r.bookingWindowDays,
    min_notice_minutes: r.minNoticeMinutes,
    archived: r.archivedAt !== null,
    archived_at: r.archivedAt?.toISOString() ?? null,
    version: r.version,
    updated_at: r.updatedAt.toISOString(),
  };
}

/** Every type of the admin's clinic, archived ones too: those in use first, each group by id. */
export async function listAdminAppointmentTypes(db: DbOrTx, caller: Caller): Promise<AdminAppointmentTypeDto[]> {
  assertClinicAdmin(caller, 'manages appointment types');
  const rows = await db
    .select(adminTypeColumns)
    .from(appointmentTypes)
    .where(eq(appointmentTypes.clinicId, caller.clinicId))
    .orderBy(sql`${appointmentTypes.archivedAt} IS NOT NULL`, asc(appointmentTypes.id));
  return rows.map(toAdminAppointmentType);
}
