import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { expandSeries } from '@/lib/availability/recurrence';
import { userCaller, type Caller } from '@/lib/auth/caller';
import { getDb, type Db } from '@/lib/db/client';
import { calendarEvents } from '@/lib/db/schema';
import { getClinicSettings } from '@/lib/queries/clinic';
import { findAppointmentType, slotsByPractitioner } from '@/lib/queries/slots';
import { clearExceptions, createException, deleteException, updateException, type ExceptionDto } from '@/lib/services/availability-exceptions';
import { loadCalendar } from '@/lib/queries/calendar-data';
import { fixedClock } from '@/lib/time/clock';
import { addDays } from '@/lib/time/dates';
import { useDriver } from '../support/drivers';
import { makeClinicWithStaff, setWeek } from '../support/factories';

// "Slots never fall in any occurrence" (issue 16), through the real service and slot read on the
// embedded PGlite: a random repeating exception is saved, then every offered slot of a random range
// lies outside the exception's span on each of its occurrences, and a date that is no occurrence
// offers exactly what an empty day offers.

const clock = fixedClock('2031-01-01T08:00:00+08:00');
const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

const ruleArb = fc.oneof(
  fc
    .tuple(fc.uniqueArray(fc.constantFrom('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 3 }))
    .map(([days, n]) => `FREQ=WEEKLY;INTERVAL=${n};BYDAY=${days.join(',')}`),
  fc.integer({ min: 1, max: 28 }).map((d) => `FREQ=MONTHLY;BYMONTHDAY=${d}`),
  fc.tuple(fc.constantFrom(1, 2, 3, -1), fc.constantFrom('MO', 'WE', 'FR')).map(([n, d]) => `FREQ=MONTHLY;BYDAY=${n}${d}`),
  fc.integer({ min: 1, max: 4 }).map((n) => `FREQ=DAILY;INTERVAL=${n}`),
);
const endArb = fc.constantFrom('', ';COUNT=3', ';UNTIL=20310301');
const spanArb = fc.oneof(
  fc.constant(null),
  fc.tuple(fc.integer({ min: 8 * 4, max: 19 * 4 }), fc.integer({ min: 1, max: 16 })).map(([q, len]) => ({
    start: hhmm(q * 15),
    end: hhmm(Math.min(24 * 60, q * 15 + len * 15)),
  })),
);

describe('recurring exceptions on PGlite', () => {
  useDriver('pglite');
  let db: Db;
  let c: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let caller: Caller;

  beforeAll(async () => {
    db = await getDb();
    c = await makeClinicWithStaff(db);
    caller = (await userCaller(c.practitioner.id))!;
    const day: Array<[string, string]> = [['08:00', '20:00']];
    await setWeek(db, c.practitioner.id, { 0: day, 1: day, 2: day, 3: day, 4: day, 5: day, 6: day });
  });

  it('slots never fall in any occurrence, for random rules, spans and ranges', async () => {
    const clinic = await getClinicSettings(db, c.clinic.id);
    const type = await findAppointmentType(db, c.clinic.id, c.type.id);
    const read = async (from: string, to: string) =>
      (await slotsByPractitioner(db, { clinic, practitionerIds: [c.practitioner.id], type, from, to, clock })).get(c.practitioner.id)!;
    const emptyDay = (await read('2031-01-05', '2031-01-05'))[0]!.available_slots;
    expect(emptyDay.length).toBeGreaterThan(0);
    await fc.assert(
      fc.asyncProperty(
        ruleArb,
        endArb,
        spanArb,
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 90 }),
        fc.integer({ min: 0, max: 30 }),
        async (rule, end, span, startOffset, fromOffset, length) => {
          await db.delete(calendarEvents).where(eq(calendarEvents.userId, c.practitioner.id));
          const saved = await createException(db, caller, {
            practitionerId: c.practitioner.id,
            body: { date: addDays('2031-01-01', startOffset), start_time: span?.start ?? null, end_time: span?.end ?? null, recurrence: rule + end },
            confirm: true,
            clock,
          }).catch((e: unknown) => e);
          // A rule that never falls from its date on (an UNTIL before it) is refused; nothing else is.
          if (!(saved && typeof saved === 'object' && 'exception_id' in saved)) {
            expect(end).toBe(';UNTIL=20310301');
            return;
          }
          const series = saved as ExceptionDto;
          const from = addDays('2031-01-01', fromOffset);
          const to = addDays(from, length);
          const occurrences = new Set(expandSeries({ start: series.date, rule: series.recurrence! }, from, to));
          const blockStart = span ? minutes(span.start) : 0;
          const blockEnd = span ? minutes(span.end === '00:00' ? '24:00' : span.end) : 24 * 60;
          for (const d of await read(from, to)) {
            if (!occurrences.has(d.date)) {
              expect(d.available_slots, d.date).toEqual(emptyDay);
              continue;
            }
            for (const s of d.available_slots) {
              const overlaps = minutes(s.start_time) < blockEnd && blockStart < minutes(s.end_time);
              expect(overlaps, `${rule}${end} ${d.date} ${s.start_time}`).toBe(false);
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('this, following and all on PGlite: one occurrence changed or deleted leaves the others; the series goes with its edited occurrence', async () => {
    await db.delete(calendarEvents).where(eq(calendarEvents.userId, c.practitioner.id));
    const practitionerId = c.practitioner.id;
    const spans = async (from: string, to: string) =>
      (await loadCalendar(db, { practitionerId, from, to })).exceptions.map(
        (e) => `${e.date} ${hhmm(e.start)}-${hhmm(e.end)}${e.series ? ' ↻' : ''}`,
      );
    const series = await createException(db, caller, {
      practitionerId,
      body: { date: '2031-03-05', start_time: '14:00', end_time: '18:00', recurrence: 'FREQ=WEEKLY;BYDAY=WE;COUNT=6' },
      confirm: true,
      clock,
    });
    const id = series.exception_id;
    await updateException(db, caller, {
      practitionerId,
      exceptionId: id,
      body: { start_time: '15:00' },
      confirm: true,
      scope: 'this',
      occurrenceDate: '2031-03-12',
      clock,
    });
    await deleteException(db, caller, { practitionerId, exceptionId: id, scope: 'this', occurrenceDate: '2031-03-19' });
    expect(await spans('2031-03-01', '2031-04-30')).toEqual([
      '2031-03-05 14:00-18:00 ↻',
      '2031-03-12 15:00-18:00',
      '2031-03-26 14:00-18:00 ↻',
      '2031-04-02 14:00-18:00 ↻',
      '2031-04-09 14:00-18:00 ↻',
    ]);
    await deleteException(db, caller, { practitionerId, exceptionId: id, scope: 'following', occurrenceDate: '2031-04-02' });
    expect(await spans('2031-03-25', '2031-04-30')).toEqual(['2031-03-26 14:00-18:00 ↻']);
    expect(await clearExceptions(db, caller, { practitionerId, from: '2031-03-26', to: '2031-03-26' })).toEqual({ deleted: 1 });
    await deleteException(db, caller, { practitionerId, exceptionId: id });
    expect(await spans('2031-03-01', '2031-04-30')).toEqual([]);
    expect(await db.select().from(calendarEvents).where(eq(calendarEvents.userId, practitionerId))).toEqual([]);
  });
});
