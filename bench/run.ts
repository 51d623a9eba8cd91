// npm run bench — slot queries against a baseline measured in the same run (see README "Speed").
// Runs on an in-memory embedded database so it needs nothing installed; set BENCH_DATABASE_URL to
// a PostgreSQL URL to measure there instead (the database is used as given: make it a scratch one).
import { performance } from 'node:perf_hooks';
import { and, asc, eq } from 'drizzle-orm';
import { computeSlots, earliestStartOn, formatTime, spanOf } from '../lib/availability';
import { closeDb, getDbHandle, type Db } from '../lib/db/client';
import { runMigrations } from '../lib/db/migrate';
import { appointments, calendarEvents, practitionerAvailability } from '../lib/db/schema';
import { getClinicSettings, listPractitioners, type ClinicSettings } from '../lib/queries/clinic';
import { findAppointmentType, slotsByPractitioner, type AppointmentTypeRef } from '../lib/queries/slots';
import { clinicNow } from '../lib/time/clinic-clock';
import { systemClock } from '../lib/time/clock';
import { addDays, dayOfWeek } from '../lib/time/dates';
import { makeAppointment, makeAppointmentType, makeClinic, makeException, makePatient, makeUser, setWeek } from '../test/support/factories';

const PRACTITIONERS = 12;
const DAYS = 62;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

if (process.env.BENCH_DATABASE_URL) {
  process.env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
} else {
  delete process.env.DATABASE_URL;
  process.env.DATABASE_DRIVER = 'pglite';
  process.env.PGLITE_DATA_DIR = 'memory://';
}

/** The baseline: what a scheduler without a bulk read does, one practitioner and one day at a time. */
async function slotsOneQueryPerDay(
  db: Db,
  clinic: ClinicSettings,
  ids: number[],
  type: AppointmentTypeRef,
  from: string,
): Promise<Map<number, string[][]>> {
  const out = new Map<number, string[][]>();
  const now = clinicNow(clinic.timezone, systemClock());
  for (const id of ids) {
    const days: string[][] = [];
    for (let i = 0; i < DAYS; i++) {
      const date = addDays(from, i);
      const hours = await db
        .select({ start: practitionerAvailability.startTime, end: practitionerAvailability.endTime })
        .from(practitionerAvailability)
        .where(and(eq(practitionerAvailability.userId, id), eq(practitionerAvailability.dayOfWeek, dayOfWeek(date))))
        .orderBy(asc(practitionerAvailability.startTime));
      const events = await db
        .select({ type: calendarEvents.eventType, start: calendarEvents.startTime, end: calendarEvents.endTime, status: appointments.status })
        .from(calendarEvents)
        .leftJoin(appointments, eq(appointments.calendarEventId, calendarEvents.id))
        .where(and(eq(calendarEvents.userId, id), eq(calendarEvents.date, date)));
      const slots = computeSlots({
        working: hours.map((h) => spanOf(h.start, h.end)),
        exceptions: events.filter((e) => e.type === 'availability_exception').map((e) => spanOf(e.start, e.end)),
        appointments: events.filter((e) => e.status === 'confirmed').map((e) => spanOf(e.start, e.end)),
        durationMinutes: type.durationMinutes,
        stepMinutes: clinic.slotStepMinutes ?? type.durationMinutes,
        bufferBeforeMinutes: type.bufferBeforeMinutes,
        bufferAfterMinutes: type.bufferAfterMinutes,
        earliestStart: earliestStartOn(date, now, clinic.minNoticeMinutes),
      });
      days.push(slots.map((s) => formatTime(s.start)));
    }
    out.set(id, days);
  }
  return out;
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  let result!: T;
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    result = await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)]!, result };
}

const { db, driver } = await getDbHandle();
await runMigrations(db, driver);
console.log(`Building a clinic of ${PRACTITIONERS} practitioners with ${DAYS} days of bookings (${driver})…`);
const clinicRow = await makeClinic(db, { slotStepMinutes: 30 });
const patient = await makePatient(db, { clinicId: clinicRow.id });
const typeRow = await makeAppointmentType(db, { clinicId: clinicRow.id, durationMinutes: 60, bufferAfterMinutes: 10 });
const from = addDays(clinicNow('Asia/Taipei', systemClock()).date, 1);
for (let p = 0; p < PRACTITIONERS; p++) {
  const user = await makeUser(db, { clinicId: clinicRow.id, name: `Dr. ${p}` });
  await setWeek(
    db,
    user.id,
    Object.fromEntries(
      [1, 2, 3, 4, 5, 6].map((d) => [
        d,
        [
          ['09:00', '12:00'],
          ['14:00', '18:00'],
        ],
      ]),
    ) as Record<number, Array<[string, string]>>,
  );
  for (let i = 0; i < DAYS; i++) {
    const date = addDays(from, i);
    if (dayOfWeek(date) === 0) continue;
    for (const start of [9, 11, 15].filter((_, k) => (p + i + k) % 2 === 0)) {
      await makeAppointment(db, {
        userId: user.id,
        patientId: patient.id,
        appointmentTypeId: typeRow.id,
        date,
        startTime: `${String(start).padStart(2, '0')}:00`,
        endTime: `${String(start + 1).padStart(2, '0')}:00`,
      });
    }
    if ((p + i) % 9 === 0) await makeException(db, { userId: user.id, date, startTime: '16:00', endTime: '18:00' });
  }
}
const clinic = await getClinicSettings(db, clinicRow.id);
const type = await findAppointmentType(db, clinicRow.id, typeRow.id);
const ids = (await listPractitioners(db, clinicRow.id)).map((p) => p.id);
const to = addDays(from, DAYS - 1);

const baseline = await time(() => slotsOneQueryPerDay(db, clinic, ids, type, from));
const ours = await time(() => slotsByPractitioner(db, { clinic, practitionerIds: ids, type, from, to }));

for (const id of ids) {
  const mine = ours.result.get(id)!.map((d) => d.available_slots.map((s) => s.start_time));
  if (JSON.stringify(mine) !== JSON.stringify(baseline.result.get(id))) throw new Error(`slots differ for practitioner ${id}`);
}
const slotCount = [...ours.result.values()].flat().reduce((n, d) => n + d.available_slots.length, 0);
console.log(`\nClinic-wide slots, ${PRACTITIONERS} practitioners × ${DAYS} days (${slotCount} slots, median of ${RUNS} runs, same answers):`);
console.log(`  baseline, one query per practitioner and day: ${baseline.ms.toFixed(1)} ms (${PRACTITIONERS * DAYS * 2} queries)`);
console.log(`  ours, one bulk read + the engine:           ${ours.ms.toFixed(1)} ms (2 queries)`);
console.log(`  ratio baseline / ours:                      ${(baseline.ms / ours.ms).toFixed(1)}×`);
await closeDb();
