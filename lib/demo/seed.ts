import 'server-only';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
  appointments,
  appointmentTypes,
  availabilityExceptions,
  calendarEvents,
  clinics,
  patients,
  practitionerAvailability,
  users,
} from '../db/schema';
import { clinicNow } from '../time/clinic-clock';
import { systemClock, type Clock } from '../time/clock';
import { addTaiwanCalendar } from '../services/clinic-calendar';
import { addDays, dayOfWeek, monthRange } from '../time/dates';
import { DEMO } from './fixtures';

type Interval = [string, string];
const toMin = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
const toTime = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Small deterministic hash so the demo month looks the same on every machine for the same day. */
function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export interface SeedSummary {
  clinicId: number;
  created: { events: number; schedules: number };
}

/**
 * Loads the design's story into the `demo` clinic. Idempotent: rows with natural keys are upserted,
 * and a practitioner's schedule and calendar are generated only while they have none.
 */
export async function seedDemo(db: Db, options: { clock?: Clock; taiwanCalendar?: boolean } = {}): Promise<SeedSummary> {
  return db.transaction(async (tx) => {
    const [clinic] = await tx
      .insert(clinics)
      .values(DEMO.clinic)
      .onConflictDoUpdate({ target: clinics.slug, set: { name: DEMO.clinic.name } })
      .returning({ id: clinics.id, timezone: clinics.timezone });
    const clinicId = clinic!.id;
    // The demo clinic is in Taipei: Taiwan's office calendar of the shipped years (dates already there are kept).
    if ((options.taiwanCalendar ?? true) && clinic!.timezone === 'Asia/Taipei') await addTaiwanCalendar(tx, clinicId);

    const userIds: Record<string, number> = {};
    for (const u of DEMO.users) {
      const [existing] = await tx
        .select({ id: users.id })
        .from(users)
        .where(eq(sql`lower(${users.email})`, u.email));
      userIds[u.email] =
        existing?.id ??
        (
          await tx
            .insert(users)
            .values({ ...u, clinicId })
            .returning({ id: users.id })
        )[0]!.id;
    }

    const patientIds: number[] = [];
    for (const p of DEMO.patients) {
      const [row] = await tx
        .insert(patients)
        .values({ ...p, clinicId })
        .onConflictDoUpdate({ target: [patients.clinicId, patients.lineUserId], set: { fullName: p.fullName } })
        .returning({ id: patients.id });
      patientIds.push(row!.id);
    }

    const typeIds: Array<{ id: number; duration: number }> = [];
    for (const t of DEMO.appointmentTypes) {
      // The type in use with this name (names are unique among a clinic's types in use, whatever the case).
      const [existing] = await tx
        .select({ id: appointmentTypes.id })
        .from(appointmentTypes)
        .where(
          and(eq(appointmentTypes.clinicId, clinicId), sql`lower(${appointmentTypes.name}) = lower(${t.name})`, isNull(appointmentTypes.archivedAt)),
        );
      const [row] = existing
        ? await tx
            .update(appointmentTypes)
            .set({ durationMinutes: t.durationMinutes })
            .where(eq(appointmentTypes.id, existing.id))
            .returning({ id: appointmentTypes.id })
        : await tx
            .insert(appointmentTypes)
            .values({ ...t, clinicId })
            .returning({ id: appointmentTypes.id });
      typeIds.push({ id: row!.id, duration: t.durationMinutes });
    }

    const today = clinicNow(clinic!.timezone, (options.clock ?? systemClock)()).date;
    const first = monthRange(today.slice(0, 7))!.first;
    const next = monthRange(addDays(first, 31).slice(0, 7))!;
    const lastDay = addDays(next.first, next.days - 1);
    let schedules = 0;
    let events = 0;

    for (const [index, p] of DEMO.schedules.entries()) {
      const userId = userIds[p.email]!;
      const [hasSchedule] = await tx
        .select({ id: practitionerAvailability.id })
        .from(practitionerAvailability)
        .where(eq(practitionerAvailability.userId, userId))
        .limit(1);
      if (!hasSchedule) {
        const rows = Object.entries(p.week).flatMap(([dow, intervals]) =>
          intervals.map(([startTime, endTime]) => ({ userId, dayOfWeek: Number(dow), startTime, endTime })),
        );
        await tx.insert(practitionerAvailability).values(rows);
        schedules += 1;
      }

      const [hasEvents] = await tx
        .select({ id: calendarEvents.id })
        .from(calendarEvents)
        .where(and(eq(calendarEvents.userId, userId)))
        .limit(1);
      if (hasEvents) continue;

      // Exceptions: an afternoon off next week, an all-day leave two weeks out.
      const afternoonOff = nextWeekday(today, 3, 7);
      const dayOff = nextWeekday(today, 5, 14);
      const exceptions: Array<{ date: string; start: string | null; end: string | null }> = [
        { date: afternoonOff, start: '14:00', end: '18:00' },
        { date: dayOff, start: null, end: null },
      ];

      const booked: Array<{ date: string; start: number; end: number; patientId: number; typeId: number }> = [];
      for (let date = first; date <= lastDay; date = addDays(date, 1)) {
        const intervals: Interval[] = p.week[dayOfWeek(date)] ?? [];
        const blocked = exceptions.filter((e) => e.date === date);
        if (blocked.some((e) => e.start === null)) continue;
        const h = hash(`${index}:${date}`);
        const count = h % 4;
        const starts = intervals.flatMap(([s, e]) => {
          const out: number[] = [];
          for (let m = toMin(s); m + 30 <= toMin(e); m += 30) out.push(m);
          return out;
        });
        for (let k = 0; k < count && starts.length > 0; k++) {
          const type = typeIds[(h >>> (k + 3)) % typeIds.length]!;
          const start = starts[(h >>> (k * 5)) % starts.length]!;
          const end = start + type.duration;
          const inside = intervals.some(([s, e]) => start >= toMin(s) && end <= toMin(e));
          const free = !booked.some((b) => b.date === date && b.start < end && start < b.end);
          const unblocked = !blocked.some((e) => toMin(e.start!) < end && start < toMin(e.end!));
          if (inside && free && unblocked) {
            booked.push({ date, start, end, patientId: patientIds[(h >>> k) % patientIds.length]!, typeId: type.id });
          }
        }
      }
      // One exception laid over an existing future appointment: the design's "Outside Hours" case.
      const covered = booked.find((b) => b.date > today && b.date !== afternoonOff);
      if (covered) exceptions.push({ date: covered.date, start: toTime(covered.start), end: toTime(covered.start + 60) });

      if (booked.length > 0) {
        const ids = await tx
          .insert(calendarEvents)
          .values(
            booked.map((b) => ({
              userId,
              eventType: 'appointment' as const,
              date: b.date,
              startTime: toTime(b.start),
              endTime: toTime(b.end),
            })),
          )
          .returning({ id: calendarEvents.id });
        await tx.insert(appointments).values(
          ids.map(({ id }, i) => ({
            calendarEventId: id,
            patientId: booked[i]!.patientId,
            appointmentTypeId: booked[i]!.typeId,
            status: 'confirmed' as const,
          })),
        );
      }
      const exIds = await tx
        .insert(calendarEvents)
        .values(
          exceptions.map((e) => ({
            userId,
            eventType: 'availability_exception' as const,
            date: e.date,
            startTime: e.start,
            endTime: e.end,
          })),
        )
        .returning({ id: calendarEvents.id });
      await tx.insert(availabilityExceptions).values(exIds.map(({ id }) => ({ calendarEventId: id })));
      events += booked.length + exceptions.length;
    }
    return { clinicId, created: { events, schedules } };
  });
}

/** The first date on weekday `dow` at least `minDays` after `from`. */
function nextWeekday(from: string, dow: number, minDays: number): string {
  let d = addDays(from, minDays);
  while (dayOfWeek(d) !== dow) d = addDays(d, 1);
  return d;
}
