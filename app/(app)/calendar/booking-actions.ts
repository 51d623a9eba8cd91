'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { runAction } from '@/lib/actions';
import { idempotentAction } from '@/lib/api/idempotency';
import { mayManage } from '@/lib/auth/access';
import { getDb } from '@/lib/db/client';
import { AppError, type ActionState } from '@/lib/errors';
import { appointmentTypeIn, clinicSnapshot, practitionerIn } from '@/lib/queries/clinic-cache';
import { searchPatients } from '@/lib/queries/patients';
import { slotsByPractitioner } from '@/lib/queries/slots';
import { bookAppointmentSchema, createPatientSchema } from '@/lib/schemas/agent';
import { calendarDate, positiveId } from '@/lib/schemas/common';
import { bookAppointment, type BookedAppointmentDto } from '@/lib/services/booking';
import { findOrCreatePatient, type PatientDto } from '@/lib/services/patients';

// The booking sheet's server actions (components/calendar/booking-sheet.tsx): the same queries and
// services as the contract's routes (GET /patients?q=, POST /patients, GET …/slots, POST /appointments).

export interface BookingTypeOption {
  id: number;
  name: string;
  duration_minutes: number;
}

/** Staff's patient search by name (substring, Chinese included), phone digits or LINE id. */
export async function searchBookingPatientsAction(q: unknown): Promise<ActionState<PatientDto[]>> {
  return runAction(async (caller) => searchPatients(await getDb(), caller, { q: z.string().max(200).parse(q), limit: 8 }));
}

/** The clinic's appointment types that can be booked (not archived). */
export async function bookingTypesAction(): Promise<ActionState<BookingTypeOption[]>> {
  return runAction(async (caller) =>
    (await clinicSnapshot(await getDb(), caller)).appointmentTypes.map((t) => ({ id: t.id, name: t.name, duration_minutes: t.duration_minutes })),
  );
}

/** The starts the engine offers right now for a practitioner, type and date (the slots route's answer). */
export async function offeredStartsAction(practitionerId: unknown, appointmentTypeId: unknown, date: unknown): Promise<ActionState<string[]>> {
  return runAction(async (caller) => {
    const db = await getDb();
    const clinic = await clinicSnapshot(db, caller);
    const practitioner = practitionerIn(clinic, positiveId.parse(practitionerId));
    const type = appointmentTypeIn(clinic, positiveId.parse(appointmentTypeId));
    const day = calendarDate.parse(date);
    const days = (await slotsByPractitioner(db, { clinic: clinic.settings, practitionerIds: [practitioner.id], type, from: day, to: day })).get(
      practitioner.id,
    )!;
    return days[0]!.available_slots.map((s) => s.start_time);
  });
}

/**
 * A new patient from the booking sheet. Only staff who may book into the practitioner's calendar
 * (the practitioner or an admin) create patients here; an existing LINE id returns that patient.
 */
export async function createBookingPatientAction(practitionerId: unknown, body: unknown): Promise<ActionState<PatientDto>> {
  return runAction(async (caller) => {
    const id = positiveId.parse(practitionerId);
    const db = await getDb();
    practitionerIn(await clinicSnapshot(db, caller), id);
    if (!mayManage(caller, id)) throw new AppError('forbidden', 'Only the practitioner or a clinic admin may book into this calendar');
    const { patient } = await findOrCreatePatient(db, caller, createPatientSchema.parse(body));
    return patient;
  });
}

const bookingKey = z.string().min(8).max(100);

/**
 * Books from the calendar. `confirm` books a start that is not an offered slot (after the
 * service's outside_hours warning); `key` is made by the sheet once per booking it intends, so a
 * double tap (or a retry after a lost answer) books once and answers the first booking.
 */
export async function bookFromCalendarAction(body: unknown, confirm: unknown, key: unknown): Promise<ActionState<BookedAppointmentDto>> {
  return runAction(async (caller) => {
    const input = bookAppointmentSchema.parse(body);
    const confirmed = z.boolean().optional().parse(confirm) ?? false;
    const db = await getDb();
    const clinic = await clinicSnapshot(db, caller);
    const booked = await idempotentAction(caller, bookingKey.parse(key), 'calendar.book', { input, confirmed }, (tx) =>
      bookAppointment(tx, caller, { ...input, clinic, confirm: confirmed }),
    );
    revalidatePath('/calendar');
    return booked;
  });
}
