import { and, asc, count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
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
import { queryRows } from '@/lib/db/client';
import { fixedClock } from '@/lib/time/clock';
import { useTestDatabase } from '@/test/support/db';
import { seedDemo } from './seed';

const tables = { clinics, users, patients, appointmentTypes, practitionerAvailability, calendarEvents, appointments, availabilityExceptions };

describe('demo data', () => {
  const t = useTestDatabase();
  const clock = fixedClock('2026-11-24T02:00:00Z'); // 10:00 in Taipei

  async function counts() {
    const out: Record<string, number> = {};
    for (const [name, table] of Object.entries(tables)) out[name] = (await t.db().select({ n: count() }).from(table))[0]!.n;
    return out;
  }

  it("loads the design's story and loading it twice duplicates nothing", async () => {
    await seedDemo(t.db(), { clock });
    const first = await counts();
    await seedDemo(t.db(), { clock });
    await seedDemo(t.db(), { clock: fixedClock('2026-12-30T02:00:00Z') });
    expect(await counts()).toEqual(first);

    const [clinic] = await t.db().select().from(clinics).where(eq(clinics.slug, 'demo'));
    expect(clinic?.timezone).toBe('Asia/Taipei');
    const emails = await t.db().select({ e: users.email, r: users.role }).from(users).orderBy(asc(users.email));
    expect(emails).toEqual([
      { e: 'admin@clinic.test', r: 'admin' },
      { e: 'chen@clinic.test', r: 'practitioner' },
      { e: 'lin@clinic.test', r: 'practitioner' },
    ]);
    const names = (await t.db().select({ n: patients.fullName }).from(patients)).map((p) => p.n);
    expect(names).toEqual(expect.arrayContaining(['陳小姐', '王先生']));
    const types = await t
      .db()
      .select({ n: appointmentTypes.name, d: appointmentTypes.durationMinutes })
      .from(appointmentTypes)
      .orderBy(asc(appointmentTypes.id));
    expect(types).toEqual([
      { n: '初診評估', d: 60 },
      { n: '一般複診', d: 30 },
    ]);
  });

  it('gives Dr. Chen the weekly schedule drawn in the design', async () => {
    const rows = await t
      .db()
      .select({ d: practitionerAvailability.dayOfWeek, s: practitionerAvailability.startTime, e: practitionerAvailability.endTime })
      .from(practitionerAvailability)
      .innerJoin(users, eq(users.id, practitionerAvailability.userId))
      .where(eq(users.email, 'chen@clinic.test'))
      .orderBy(asc(practitionerAvailability.dayOfWeek), asc(practitionerAvailability.startTime));
    expect(rows.map((r) => `${r.d} ${r.s.slice(0, 5)}-${r.e.slice(0, 5)}`)).toEqual([
      '1 09:00-12:00',
      '1 14:00-18:00',
      '2 09:00-17:00',
      '3 09:00-12:00',
      '3 14:00-18:00',
      '4 09:00-17:00',
      '5 09:00-17:00',
      '6 10:00-14:00',
    ]);
  });

  it('spreads confirmed appointments over the current and next month, and adds exceptions', async () => {
    const months = await t
      .db()
      .select({ m: sql<string>`to_char(${calendarEvents.date}, 'YYYY-MM')`, n: count() })
      .from(calendarEvents)
      .innerJoin(appointments, eq(appointments.calendarEventId, calendarEvents.id))
      .where(eq(appointments.status, 'confirmed'))
      .groupBy(sql`1`)
      .orderBy(sql`1`);
    expect(months.map((m) => m.m)).toEqual(['2026-11', '2026-12']);
    for (const m of months) expect(m.n).toBeGreaterThan(10);
    const exceptions = await t
      .db()
      .select({ n: count() })
      .from(calendarEvents)
      .where(and(eq(calendarEvents.eventType, 'availability_exception')));
    expect(exceptions[0]!.n).toBeGreaterThanOrEqual(4);
    // No practitioner is double-booked by the demo data.
    const [overlaps] = await queryRows<{ n: number }>(
      t.db(),
      sql`
      SELECT count(*)::int AS n FROM calendar_events a JOIN calendar_events b
        ON a.user_id = b.user_id AND a.date = b.date AND a.id < b.id
       AND a.start_time < b.end_time AND b.start_time < a.end_time
      WHERE a.event_type = 'appointment' AND b.event_type = 'appointment'`,
    );
    expect(overlaps!.n).toBe(0);
  });
});
