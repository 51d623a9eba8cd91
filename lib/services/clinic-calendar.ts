import 'server-only';
import { and, eq, inArray } from 'drizzle-orm';
import { assertClinicAdmin, assertMayManage, findPractitionerForCaller } from '../auth/access';
import type { Caller } from '../auth/caller';
import { writeAudit } from '../db/audit';
import type { DbOrTx } from '../db/client';
import { clinicCalendarDays, users } from '../db/schema';
import { inTransaction, type Tx } from '../db/transaction';
import { AppError, AppWarning, sqlStateOf } from '../errors';
import { clinicDaysOf, decodeOfficeCalendar, OfficeCalendarError, parseOfficeCalendar, type ClinicDayInput } from '../holidays/office-calendar';
import { TAIWAN_YEARS, taiwanClinicDays } from '../holidays/taiwan';
import { getClinicSettings } from '../queries/clinic';
import { appointmentsOnDates, clinicDayColumns, clinicDaysOfYear } from '../queries/clinic-calendar';
import type { ClinicDayRef, CreateClinicDayInput, ImportClinicCalendarInput, UpdateClinicDayInput } from '../schemas/clinic-calendar';
import type { ClinicCalendarImportDto, ClinicDayDto, ClosedDayAppointmentDto } from '../schemas/responses';
import { clinicNow } from '../time/clinic-clock';
import { systemClock, type Clock } from '../time/clock';

// The clinic calendar of holidays and make-up workdays (issue 16): the admin's days by hand, the
// government's office calendar imported a year at a time (a preview first), Taiwan's shipped years,
// and a practitioner's opt-out. The engine reads these rows through lib/queries/calendar-data.ts;
// closing a day changes no appointment (like an exception, it warns about the ones it leaves on a
// holiday, which then read as outside hours).

const WHAT = 'manages the clinic calendar';

type DayValues = Pick<ClinicDayInput, 'date' | 'kind' | 'name' | 'hoursOfWeekday'>;
const valuesDto = (d: DayValues) => ({ date: d.date, kind: d.kind, name: d.name, hours_of_weekday: d.hoursOfWeekday });
const sameDay = (a: DayValues, b: DayValues) => a.kind === b.kind && a.name === b.name && a.hoursOfWeekday === b.hoursOfWeekday;

/** Confirmed future appointments on days about to close: a warning unless confirmed. */
async function warnAboutClosing(tx: Tx, caller: Caller, dates: string[], confirm: boolean, clock: Clock): Promise<void> {
  if (confirm || dates.length === 0) return;
  const affected = await affectedBy(tx, caller.clinicId, dates, clock);
  if (affected.length > 0) {
    throw new AppWarning(
      'appointment_conflicts',
      'The clinic would be closed on days with confirmed appointments. The appointments will remain valid but marked as outside hours.',
      { affected_appointments: affected },
    );
  }
}

async function affectedBy(db: DbOrTx, clinicId: number, dates: string[], clock: Clock): Promise<ClosedDayAppointmentDto[]> {
  const clinic = await getClinicSettings(db, clinicId);
  return appointmentsOnDates(db, { clinicId, dates, now: clinicNow(clinic.timezone, clock()) });
}

async function findDay(tx: Tx, caller: Caller, ref: ClinicDayRef): Promise<ClinicDayDto> {
  const [row] = await tx
    .select(clinicDayColumns)
    .from(clinicCalendarDays)
    .where(
      and(eq(clinicCalendarDays.clinicId, caller.clinicId), 'id' in ref ? eq(clinicCalendarDays.id, ref.id) : eq(clinicCalendarDays.date, ref.date)),
    )
    .for('update');
  if (!row) throw new AppError('not_found', 'No holiday or make-up workday on that date');
  return row;
}

const fromBody = (date: string, b: UpdateClinicDayInput): DayValues => ({
  date,
  kind: b.kind,
  name: b.name,
  hoursOfWeekday: b.kind === 'workday' ? (b.hours_of_weekday ?? null) : null,
});

export async function createClinicDay(
  db: DbOrTx,
  caller: Caller,
  input: { body: CreateClinicDayInput; confirm?: boolean; clock?: Clock },
): Promise<ClinicDayDto> {
  assertClinicAdmin(caller, WHAT);
  const day = fromBody(input.body.date, input.body);
  return inTransaction(db, async (tx) => {
    if (day.kind === 'closed') await warnAboutClosing(tx, caller, [day.date], input.confirm ?? false, input.clock ?? systemClock);
    let row: ClinicDayDto | undefined;
    try {
      [row] = await tx
        .insert(clinicCalendarDays)
        .values({ clinicId: caller.clinicId, ...day, source: 'manual' })
        .returning(clinicDayColumns);
    } catch (err) {
      if (sqlStateOf(err) === '23505')
        throw new AppError('conflict', `The clinic calendar already has ${day.date}; change that day instead`, { field: 'date' });
      throw err;
    }
    await writeAudit(tx, caller, {
      action: 'clinic.calendar_day_added',
      entityType: 'clinic_calendar_day',
      entityId: row!.id,
      details: valuesDto(day),
    });
    return row!;
  });
}

export async function updateClinicDay(
  db: DbOrTx,
  caller: Caller,
  input: { ref: ClinicDayRef; body: UpdateClinicDayInput; confirm?: boolean; clock?: Clock },
): Promise<ClinicDayDto> {
  assertClinicAdmin(caller, WHAT);
  return inTransaction(db, async (tx) => {
    const before = await findDay(tx, caller, input.ref);
    const next = fromBody(before.date, input.body);
    const was: DayValues = { date: before.date, kind: before.kind, name: before.name, hoursOfWeekday: before.hours_of_weekday };
    if (sameDay(was, next)) return before;
    if (next.kind === 'closed' && was.kind !== 'closed')
      await warnAboutClosing(tx, caller, [next.date], input.confirm ?? false, input.clock ?? systemClock);
    // Changed by hand: an import no longer changes or removes it.
    const [row] = await tx
      .update(clinicCalendarDays)
      .set({ kind: next.kind, name: next.name, hoursOfWeekday: next.hoursOfWeekday, source: 'manual', updatedAt: new Date() })
      .where(eq(clinicCalendarDays.id, before.id))
      .returning(clinicDayColumns);
    await writeAudit(tx, caller, {
      action: 'clinic.calendar_day_updated',
      entityType: 'clinic_calendar_day',
      entityId: before.id,
      details: { date: before.date, name: next.name, before: valuesDto(was), after: valuesDto(next) },
    });
    return row!;
  });
}

export async function deleteClinicDay(db: DbOrTx, caller: Caller, input: { ref: ClinicDayRef }): Promise<{ message: string; date: string }> {
  assertClinicAdmin(caller, WHAT);
  return inTransaction(db, async (tx) => {
    const day = await findDay(tx, caller, input.ref);
    await tx.delete(clinicCalendarDays).where(eq(clinicCalendarDays.id, day.id));
    await writeAudit(tx, caller, {
      action: 'clinic.calendar_day_removed',
      entityType: 'clinic_calendar_day',
      entityId: day.id,
      details: { date: day.date, kind: day.kind, name: day.name, hours_of_weekday: day.hours_of_weekday },
    });
    return { message: 'Removed from the clinic calendar', date: day.date };
  });
}

/** The days an import brings and the dates it speaks for (a shipped year: all of it; a file: its rows). */
function importedDays(body: ImportClinicCalendarInput): {
  year: number;
  days: ClinicDayInput[];
  covers: (date: string) => boolean;
  source: 'taiwan' | 'import';
} {
  if (body.taiwan_year !== undefined) {
    if (!TAIWAN_YEARS.includes(body.taiwan_year)) {
      const message = `Taiwan's office calendar ships for ${TAIWAN_YEARS.join(' and ')}; import a later year from the government's CSV`;
      throw new AppError('validation_error', message, { issues: [{ path: ['taiwan_year'], code: 'custom', message }] });
    }
    const year = body.taiwan_year;
    return { year, days: taiwanClinicDays(year), covers: (d) => d.startsWith(`${year}-`), source: 'taiwan' };
  }
  try {
    const text = body.csv ?? decodeOfficeCalendar(new Uint8Array(Buffer.from(body.csv_base64!, 'base64')));
    const { year, rows } = parseOfficeCalendar(text);
    const dates = new Set(rows.map((r) => r.date));
    return { year, days: clinicDaysOf(rows, { hoursOfWeekday: body.workday_hours_of_weekday }), covers: (d) => dates.has(d), source: 'import' };
  } catch (err) {
    if (err instanceof OfficeCalendarError) {
      const message = `Not the government office calendar (政府行政機關辦公日曆表) CSV: ${err.message}`;
      const field = body.csv !== undefined ? 'csv' : 'csv_base64';
      throw new AppError('validation_error', message, {
        issues: [{ path: [field], code: 'custom', message }],
        ...(err.line ? { line: err.line } : {}),
      });
    }
    throw err;
  }
}

/**
 * A year of the government's office calendar (or a shipped Taiwan year) against the clinic's days
 * of that year: what it adds, changes and removes, and the confirmed future appointments on the
 * days it newly closes. `dryRun`: the preview, nothing saved; else applied in one transaction with
 * one audit entry (none when nothing changes, so a repeat is harmless). Days added or changed by hand
 * are never changed or removed by an import.
 */
export async function importClinicCalendar(
  db: DbOrTx,
  caller: Caller,
  input: { body: ImportClinicCalendarInput; dryRun: boolean; clock?: Clock },
): Promise<ClinicCalendarImportDto> {
  assertClinicAdmin(caller, WHAT);
  const { year, days, covers, source } = importedDays(input.body);
  return inTransaction(db, async (tx) => {
    const existing = new Map((await clinicDaysOfYear(tx, caller.clinicId, year)).map((d) => [d.date, d]));
    const added: DayValues[] = [];
    const changed: Array<{ id: number; before: DayValues; after: DayValues }> = [];
    let unchanged = 0;
    for (const day of days) {
      const row = existing.get(day.date);
      if (!row) added.push(day);
      else if (row.source === 'manual') continue;
      else {
        const before: DayValues = { date: row.date, kind: row.kind, name: row.name, hoursOfWeekday: row.hours_of_weekday };
        if (sameDay(before, day)) unchanged++;
        else changed.push({ id: row.id, before, after: day });
      }
    }
    const listed = new Set(days.map((d) => d.date));
    const removed = [...existing.values()].filter((r) => r.source !== 'manual' && covers(r.date) && !listed.has(r.date));
    const newlyClosed = [
      ...added.filter((d) => d.kind === 'closed').map((d) => d.date),
      ...changed.filter((c) => c.after.kind === 'closed' && c.before.kind !== 'closed').map((c) => c.after.date),
    ];
    const answer: ClinicCalendarImportDto = {
      year,
      dry_run: input.dryRun,
      added: added.map(valuesDto),
      changed: changed.map((c) => ({ date: c.after.date, before: valuesDto(c.before), after: valuesDto(c.after) })),
      removed: removed.map((r) => ({ date: r.date, kind: r.kind, name: r.name, hours_of_weekday: r.hours_of_weekday })),
      unchanged,
      affected_appointments: await affectedBy(tx, caller.clinicId, newlyClosed.sort(), input.clock ?? systemClock),
    };
    if (input.dryRun || added.length + changed.length + removed.length === 0) return answer;
    if (added.length > 0) await tx.insert(clinicCalendarDays).values(added.map((d) => ({ clinicId: caller.clinicId, ...d, source })));
    for (const c of changed) {
      await tx
        .update(clinicCalendarDays)
        .set({ kind: c.after.kind, name: c.after.name, hoursOfWeekday: c.after.hoursOfWeekday, source, updatedAt: new Date() })
        .where(eq(clinicCalendarDays.id, c.id));
    }
    if (removed.length > 0)
      await tx.delete(clinicCalendarDays).where(
        inArray(
          clinicCalendarDays.id,
          removed.map((r) => r.id),
        ),
      );
    await writeAudit(tx, caller, {
      action: 'clinic.calendar_imported',
      entityType: 'clinic',
      entityId: caller.clinicId,
      details: { year, source, added: answer.added, changed: answer.changed, removed: answer.removed },
    });
    return answer;
  });
}

/**
 * Taiwan's shipped years for a new clinic in Asia/Taipei, inside the transaction that makes it (the
 * clinic's creation is the audited act). Dates already present are left alone.
 */
export async function addTaiwanCalendar(tx: DbOrTx, clinicId: number): Promise<number> {
  const rows = TAIWAN_YEARS.flatMap((year) => taiwanClinicDays(year)).map((d) => ({ clinicId, ...d, source: 'taiwan' as const }));
  if (rows.length === 0) return 0;
  const inserted = await tx.insert(clinicCalendarDays).values(rows).onConflictDoNothing().returning({ id: clinicCalendarDays.id });
  return inserted.length;
}

/**
 * Whether a practitioner observes the clinic calendar (false: works on its holidays and keeps their
 * own hours on make-up days): themself or an admin; audited.
 */
export async function setObservesClinicCalendar(
  db: DbOrTx,
  caller: Caller,
  input: { practitionerId: number; observes: boolean },
): Promise<{ practitioner_id: number; observes_clinic_calendar: boolean }> {
  return inTransaction(db, async (tx) => {
    const practitioner = await findPractitionerForCaller(tx, caller, input.practitionerId);
    assertMayManage(caller, practitioner);
    const [before] = await tx.select({ observes: users.observesClinicCalendar }).from(users).where(eq(users.id, practitioner.id)).for('update');
    if (before!.observes !== input.observes) {
      await tx.update(users).set({ observesClinicCalendar: input.observes, updatedAt: new Date() }).where(eq(users.id, practitioner.id));
      await writeAudit(tx, caller, {
        action: 'member.clinic_calendar_changed',
        entityType: 'user',
        entityId: practitioner.id,
        details: { practitioner_id: practitioner.id, observes: input.observes },
      });
    }
    return { practitioner_id: practitioner.id, observes_clinic_calendar: input.observes };
  });
}
