// Correctness on the way: the served slots equal slots computed here the slow, obvious way (one
// practitioner-day at a time, straight from the tables, with the contract's rule in reference.ts).
import { and, asc, eq } from 'drizzle-orm';
import { earliestStartOn, formatTime, spanOf } from '../lib/availability';
import type { Db } from '../lib/db/client';
import { appointments, appointmentTypes, calendarEvents, clinics, googleBusyTimes, practitionerAvailability, users } from '../lib/db/schema';
import { clinicNow } from '../lib/time/clinic-clock';
import { addDays, dayOfWeek } from '../lib/time/dates';
import { getJson } from './http';
import { referenceSlots } from './reference';

interface Slot {
  start_time: string;
  end_time: string;
  recommended?: true;
}

interface Ctx {
  db: Db;
  timezone: string;
  step: number | null;
  minNotice: number;
  type: { durationMinutes: number; bufferBeforeMinutes: number; bufferAfterMinutes: number };
}

async function context(db: Db, clinicId: number, typeId: number): Promise<Ctx> {
  const [clinic] = await db.select().from(clinics).where(eq(clinics.id, clinicId));
  const [type] = await db.select().from(appointmentTypes).where(eq(appointmentTypes.id, typeId));
  return { db, timezone: clinic!.timezone, step: clinic!.slotStepMinutes, minNotice: clinic!.minNoticeMinutes, type: type! };
}

/** The baseline: three queries for one practitioner on one date, then the contract's rule. */
async function slotsOf(ctx: Ctx, userId: number, date: string): Promise<Slot[]> {
  const { db, type } = ctx;
  const hours = await db
    .select({ start: practitionerAvailability.startTime, end: practitionerAvailability.endTime })
    .from(practitionerAvailability)
    .where(and(eq(practitionerAvailability.userId, userId), eq(practitionerAvailability.dayOfWeek, dayOfWeek(date))))
    .orderBy(asc(practitionerAvailability.startTime));
  const events = await db
    .select({ type: calendarEvents.eventType, start: calendarEvents.startTime, end: calendarEvents.endTime, status: appointments.status })
    .from(calendarEvents)
    .leftJoin(appointments, eq(appointments.calendarEventId, calendarEvents.id))
    .where(and(eq(calendarEvents.userId, userId), eq(calendarEvents.date, date)));
  const busy = await db
    .select({ start: googleBusyTimes.startTime, end: googleBusyTimes.endTime })
    .from(googleBusyTimes)
    .where(and(eq(googleBusyTimes.userId, userId), eq(googleBusyTimes.date, date)));
  const slots = referenceSlots({
    working: hours.map((h) => spanOf(h.start, h.end)),
    exceptions: [...events.filter((e) => e.type === 'availability_exception'), ...busy].map((e) => spanOf(e.start, e.end)),
    appointments: events.filter((e) => e.type === 'appointment' && e.status === 'confirmed').map((e) => spanOf(e.start, e.end)),
    durationMinutes: type.durationMinutes,
    stepMinutes: ctx.step ?? type.durationMinutes,
    bufferBeforeMinutes: type.bufferBeforeMinutes,
    bufferAfterMinutes: type.bufferAfterMinutes,
    earliestStart: earliestStartOn(date, clinicNow(ctx.timezone, new Date()), ctx.minNotice),
  });
  return slots.map((s) => ({ start_time: formatTime(s.start), end_time: formatTime(s.end) }));
}

/**
 * The served slots without their `recommended` marks, after checking the marks' one promise the
 * baseline can see: a list with free starts marks at least one (which ones is the rule's business,
 * proven by lib/availability/recommend.property.test.ts).
 */
function unmarked(what: string, slots: Slot[]): Slot[] {
  if (slots.length > 0 && !slots.some((s) => s.recommended === true)) throw new Error(`WRONG ANSWER: ${what}: free starts but none recommended`);
  return slots.map(({ start_time, end_time }) => ({ start_time, end_time }));
}

function same(what: string, served: unknown, expected: unknown): void {
  const a = JSON.stringify(served);
  const b = JSON.stringify(expected);
  if (a !== b) throw new Error(`WRONG ANSWER: ${what}\n  served:   ${a.slice(0, 600)}\n  expected: ${b.slice(0, 600)}`);
}

/**
 * Clinic-wide slots of `dates` and one practitioner's 31 days, over HTTP and from the baseline;
 * throws on the first difference. Returns how many practitioner-days were compared.
 */
export async function checkSlots(input: {
  db: Db;
  origin: string;
  headers: Record<string, string>;
  clinicId: number;
  typeId: number;
  dates: string[];
  practitionerId: number;
  from: string;
}): Promise<number> {
  const ctx = await context(input.db, input.clinicId, input.typeId);
  const practitioners = await input.db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.clinicId, input.clinicId), eq(users.isPractitioner, true)))
    .orderBy(asc(users.name), asc(users.id));
  let compared = 0;
  for (const date of input.dates) {
    const served = await getJson<{ date: string; practitioners: Array<{ id: number; name: string; available_slots: Slot[] }> }>(
      `${input.origin}/api/clinic/availability/slots?date=${date}&appointment_type_id=${input.typeId}`,
      input.headers,
    );
    const expected = [];
    for (const p of practitioners) expected.push({ id: p.id, name: p.name, available_slots: await slotsOf(ctx, p.id, date) });
    const plain = {
      ...served,
      practitioners: served.practitioners.map((p) => ({ ...p, available_slots: unmarked(`${p.name} on ${date}`, p.available_slots) })),
    };
    same(`clinic-wide slots on ${date}`, plain, { date, practitioners: expected });
    compared += practitioners.length;
  }
  const to = addDays(input.from, 30);
  const served = await getJson<{ days: Array<{ date: string; available_slots: Slot[] }> }>(
    `${input.origin}/api/clinic/practitioners/${input.practitionerId}/availability/slots?from=${input.from}&to=${to}&appointment_type_id=${input.typeId}`,
    input.headers,
  );
  const expected = [];
  for (let i = 0; i <= 30; i++) {
    const date = addDays(input.from, i);
    expected.push({ date, available_slots: await slotsOf(ctx, input.practitionerId, date) });
  }
  const plain = {
    days: served.days.map((d) => ({
      date: d.date,
      available_slots: unmarked(`practitioner ${input.practitionerId} on ${d.date}`, d.available_slots),
    })),
  };
  same(`31 days of slots of practitioner ${input.practitionerId} from ${input.from}`, plain, { days: expected });
  return compared + 31;
}
