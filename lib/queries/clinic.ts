import 'server-only';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { appointmentTypes, clinics, users } from '../db/schema';
import { AppError } from '../errors';
import type { AppointmentTypeDto, PractitionerDto } from '../schemas/responses';

export interface ClinicSettings {
  id: number;
  name: string;
  slug: string;
  timezone: string;
  slotStepMinutes: number | null;
  minNoticeMinutes: number;
  /** Booking rules (issue 16; null or absent = no limit): see lib/availability/booking-rules.ts */
  bookingWindowDays?: number | null;
  maxAppointmentsPerDay?: number | null;
  maxUpcomingPerPatient?: number | null;
  cancellationDeadlineHours?: number | null;
}

export async function getClinicSettings(db: DbOrTx, clinicId: number): Promise<ClinicSettings> {
  const [row] = await db
    .select({
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
    })
    .from(clinics)
    .where(eq(clinics.id, clinicId));
  if (!row) throw new AppError('not_found', 'Clinic not found');
  return row;
}

export type { PractitionerDto } from '../schemas/responses';

export async function listPractitioners(db: DbOrTx, clinicId: number): Promise<PractitionerDto[]> {
  return db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.clinicId, clinicId), eq(users.isPractitioner, true), isNull(users.deactivatedAt)))
    .orderBy(asc(users.name), asc(users.id));
}

export type { AppointmentTypeDto } from '../schemas/responses';

export async function listAppointmentTypes(db: DbOrTx, clinicId: number): Promise<AppointmentTypeDto[]> {
  return db
    .select({
      id: appointmentTypes.id,
      name: appointmentTypes.name,
      duration_minutes: appointmentTypes.durationMinutes,
      buffer_before_minutes: appointmentTypes.bufferBeforeMinutes,
      buffer_after_minutes: appointmentTypes.bufferAfterMinutes,
    })
    .from(appointmentTypes)
    .where(and(eq(appointmentTypes.clinicId, clinicId), isNull(appointmentTypes.archivedAt)))
    .orderBy(asc(appointmentTypes.id));
}
