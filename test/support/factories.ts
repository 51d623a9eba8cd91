import { randomBytes } from 'node:crypto';
import type { DbOrTx } from '@/lib/db/client';
import {
  appointments,
  appointmentTypes,
  availabilityExceptions,
  calendarEvents,
  clinics,
  patients,
  practitionerAvailability,
  users,
} from '@/lib/db/schema';

const uid = () => randomBytes(4).toString('hex');

export async function makeClinic(db: DbOrTx, values: Partial<typeof clinics.$inferInsert> = {}) {
  const [row] = await db
    .insert(clinics)
    .values({ name: 'Test Clinic', slug: `c-${uid()}`, timezone: 'Asia/Taipei', ...values })
    .returning();
  return row!;
}

export async function makeUser(db: DbOrTx, values: { clinicId: number } & Partial<typeof users.$inferInsert>) {
  const [row] = await db
    .insert(users)
    .values({ name: `User ${uid()}`, email: `${uid()}@clinic.test`, role: 'practitioner', ...values })
    .returning();
  return row!;
}

export async function makePatient(db: DbOrTx, values: { clinicId: number } & Partial<typeof patients.$inferInsert>) {
  const [row] = await db
    .insert(patients)
    .values({ fullName: '陳小姐', ...values })
    .returning();
  return row!;
}

export async function makeAppointmentType(db: DbOrTx, values: { clinicId: number } & Partial<typeof appointmentTypes.$inferInsert>) {
  const [row] = await db
    .insert(appointmentTypes)
    .values({ name: `初診評估 ${uid()}`, durationMinutes: 60, ...values })
    .returning();
  return row!;
}

/** Weekly intervals keyed by day of week (0 = Sunday). */
export async function setWeek(db: DbOrTx, userId: number, week: Record<number, Array<[string, string]>>) {
  const rows = Object.entries(week).flatMap(([d, list]) =>
    list.map(([startTime, endTime]) => ({ userId, dayOfWeek: Number(d), startTime, endTime })),
  );
  if (rows.length) await db.insert(practitionerAvailability).values(rows);
}

export async function makeAppointment(
  db: DbOrTx,
  v: {
    userId: number;
    patientId: number;
    appointmentTypeId: number;
    date: string;
    startTime: string;
    endTime: string;
    status?: 'confirmed' | 'canceled_by_patient' | 'canceled_by_clinic';
  },
) {
  const [event] = await db
    .insert(calendarEvents)
    .values({
      userId: v.userId,
      eventType: 'appointment',
      date: v.date,
      startTime: v.startTime,
      endTime: v.endTime,
    })
    .returning();
  await db.insert(appointments).values({
    calendarEventId: event!.id,
    patientId: v.patientId,
    appointmentTypeId: v.appointmentTypeId,
    status: v.status ?? 'confirmed',
  });
  return event!;
}

export async function makeException(db: DbOrTx, v: { userId: number; date: string; startTime?: string | null; endTime?: string | null }) {
  const [event] = await db
    .insert(calendarEvents)
    .values({
      userId: v.userId,
      eventType: 'availability_exception',
      date: v.date,
      startTime: v.startTime ?? null,
      endTime: v.endTime ?? null,
    })
    .returning();
  const [ex] = await db.insert(availabilityExceptions).values({ calendarEventId: event!.id }).returning();
  return { event: event!, exception: ex! };
}

/** A clinic with a practitioner, an admin, a patient and a 60-minute type: the usual cast. */
export async function makeClinicWithStaff(db: DbOrTx) {
  const clinic = await makeClinic(db);
  const practitioner = await makeUser(db, { clinicId: clinic.id, name: 'Dr. Chen' });
  const colleague = await makeUser(db, { clinicId: clinic.id, name: 'Dr. Lin' });
  const admin = await makeUser(db, { clinicId: clinic.id, name: 'Admin', role: 'admin', isPractitioner: false });
  const patient = await makePatient(db, { clinicId: clinic.id, lineUserId: `U${uid()}${uid()}` });
  const type = await makeAppointmentType(db, { clinicId: clinic.id });
  return { clinic, practitioner, colleague, admin, patient, type };
}
