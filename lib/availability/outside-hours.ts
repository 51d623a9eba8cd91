import { overlaps, type Interval } from './intervals';
import { withinWorkingHours } from './slots';
import { intervalsForDow, type WeeklySchedule } from './weekly-schedule';
import { dayOfWeek } from '../time/dates';

/**
 * An appointment is outside hours when it does not lie wholly inside one working interval of its
 * weekday, or when an availability exception covers any of it (the design: conflicting appointments
 * stay valid but are marked "outside hours").
 */
export function isOutsideHours(appointment: Interval, working: readonly Interval[], exceptions: readonly Interval[]): boolean {
  return !withinWorkingHours(working, appointment) || exceptions.some((e) => overlaps(e, appointment));
}

export interface DatedSpan extends Interval {
  date: string;
}

/**
 * The appointments a new weekly schedule would push outside working hours: inside hours now and
 * outside the new week's hours. Appointments already outside hours (outside the current week, or
 * under an exception) are not news and do not ask for confirmation again. `hoursDowOn`: the clinic
 * calendar's say on a date (issue 16): undefined = the date's own weekday, null = a closed day (no
 * hours, already outside), a number = the weekday whose hours a make-up day takes.
 */
export function appointmentsLeftOutside<T extends DatedSpan>(
  appointments: readonly T[],
  current: WeeklySchedule,
  next: WeeklySchedule,
  exceptionsOn: (date: string) => readonly Interval[] = () => [],
  hoursDowOn: (date: string) => number | null | undefined = () => undefined,
): T[] {
  return appointments.filter((a) => {
    const borrowed = hoursDowOn(a.date);
    if (borrowed === null) return false;
    const dow = borrowed ?? dayOfWeek(a.date);
    return !isOutsideHours(a, intervalsForDow(current, dow), exceptionsOn(a.date)) && !withinWorkingHours(intervalsForDow(next, dow), a);
  });
}

/** The appointments an exception would cover (all-day = the whole day), for its warning. */
export function appointmentsCoveredBy<T extends Interval>(appointments: readonly T[], exception: Interval): T[] {
  return appointments.filter((a) => overlaps(a, exception));
}
