import { findIntervalProblem, type Interval, type IntervalProblem, sortIntervals } from './intervals';

/** The contract's day keys, in the order the settings form shows them (Monday first). */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** day_of_week of the database: 0 = Sunday … 6 = Saturday. */
export function weekdayToDow(day: Weekday): number {
  return (WEEKDAYS.indexOf(day) + 1) % 7;
}

export function dowToWeekday(dow: number): Weekday {
  return WEEKDAYS[(dow + 6) % 7]!;
}

export type WeeklySchedule = Record<Weekday, Interval[]>;

export function emptyWeek(): WeeklySchedule {
  return Object.fromEntries(WEEKDAYS.map((d) => [d, []])) as unknown as WeeklySchedule;
}

/** Every day present, each day's intervals sorted. */
export function normalizeWeek(partial: Partial<Record<Weekday, readonly Interval[]>>): WeeklySchedule {
  const week = emptyWeek();
  for (const day of WEEKDAYS) week[day] = sortIntervals(partial[day] ?? []);
  return week;
}

export function findWeekProblem(week: WeeklySchedule): { day: Weekday; problem: IntervalProblem } | null {
  for (const day of WEEKDAYS) {
    const problem = findIntervalProblem(week[day]);
    if (problem) return { day, problem };
  }
  return null;
}

/** The working intervals of a date's weekday. */
export function intervalsForDow(week: WeeklySchedule, dow: number): Interval[] {
  return week[dowToWeekday(dow)];
}

/** Replaces the chosen days' intervals with a copy of one day's (the design's bulk "copy schedule"). */
export function copyDay(week: WeeklySchedule, from: Weekday, to: readonly Weekday[]): WeeklySchedule {
  const next = { ...week };
  for (const day of to) if (day !== from) next[day] = week[from].map((i) => ({ ...i }));
  return next;
}
