import 'server-only';
import { assertMember, mayManage } from '../auth/access';
import type { Caller } from '../auth/caller';
import type { DbOrTx } from '../db/client';
import { addDays, dayOfWeek, daysBetween } from '../time/dates';
import { dayViewOf, type DayViewDto } from './calendar';
import { loadCalendar, loadCalendars } from './calendar-data';
import { clinicSnapshot, practitionerIn } from './clinic-cache';

/** The Monday of a date's week (the calendar's weeks start on Monday, as FullCalendar's `firstDay: 1`). */
export function mondayOf(date: string): string {
  return addDays(date, -((dayOfWeek(date) + 6) % 7));
}

/**
 * The dates the week page may show for `anchor`: the desktop's Monday-Sunday week around it and the
 * phone's three days from it (which may run into the next week), first to last.
 */
export function weekPageRange(anchor: string): { from: string; to: string } {
  const from = mondayOf(anchor);
  const sunday = addDays(from, 6);
  const third = addDays(anchor, 2);
  return { from, to: third > sunday ? third : sunday };
}

export interface WeekViewDto {
  from: string;
  to: string;
  /** one day view per date of the range, in order */
  days: DayViewDto[];
}

/**
 * A practitioner's days from `from` to `to` (at most 14), each exactly as the day view has it, from ONE
 * bulk load of the range (three queries whatever the number of days and events).
 */
export async function getWeekView(db: DbOrTx, caller: Caller, input: { practitionerId: number; from: string; to: string }): Promise<WeekViewDto> {
  assertMember(caller, 'The calendar');
  practitionerIn(await clinicSnapshot(db, caller), input.practitionerId);
  const n = daysBetween(input.from, input.to) + 1;
  if (!(n >= 1 && n <= 14)) throw new RangeError('A week view covers 1 to 14 days');
  const calendar = await loadCalendar(db, { practitionerId: input.practitionerId, from: input.from, to: input.to });
  const days = Array.from({ length: n }, (_, i) => dayViewOf(calendar, addDays(input.from, i)));
  return { from: input.from, to: input.to, days };
}

export interface TeamColumnDto {
  practitioner: { id: number; name: string };
  /** the caller may add and change this practitioner's exceptions (their own calendar, or an admin) */
  can_manage: boolean;
  day: DayViewDto;
}

export interface TeamDayDto {
  date: string;
  columns: TeamColumnDto[];
}

/**
 * One day of every active practitioner of the caller's clinic, in the practitioner list's order, each
 * exactly as its day view: the practitioners come from the clinic's cached snapshot and the calendars
 * from ONE bulk load (loadCalendars), so the number of queries does not grow with the team.
 */
export async function getTeamDay(db: DbOrTx, caller: Caller, input: { date: string }): Promise<TeamDayDto> {
  assertMember(caller, 'The calendar');
  const practitioners = (await clinicSnapshot(db, caller)).practitioners;
  const calendars = await loadCalendars(db, { practitionerIds: practitioners.map((p) => p.id), from: input.date, to: input.date });
  return {
    date: input.date,
    columns: practitioners.map((p) => ({
      practitioner: { id: p.id, name: p.name },
      can_manage: mayManage(caller, p.id),
      day: dayViewOf(calendars.get(p.id)!, input.date),
    })),
  };
}
