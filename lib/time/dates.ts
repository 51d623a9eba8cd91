/**
 * Calendar arithmetic on `YYYY-MM-DD` strings. Dates are whole day numbers (days since 1970-01-01,
 * proleptic Gregorian), worked out with integer arithmetic: no `Date` object, so no local zone leaks
 * in, and nothing is allocated but the answer (slot and calendar reads do this per date, thousands of
 * times a second).
 */

/** Days from 1970-01-01 to year-month-day (the civil-from-days algorithm's inverse; any year). */
function dayNumberOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!;
}

/** The `n` digits at `text[at..at+n)` as a number, or -1 when any is not a digit. */
function digits(text: string, at: number, n: number): number {
  let value = 0;
  for (let i = at; i < at + n; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

/**
 * The day number of a real `YYYY-MM-DD` date, or null. Years before 1000 are no clinic's calendar
 * (as in monthRange).
 */
export function dayNumber(date: string): number | null {
  if (typeof date !== 'string' || date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return null;
  const year = digits(date, 0, 4);
  const month = digits(date, 5, 2);
  const day = digits(date, 8, 2);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return dayNumberOf(year, month, day);
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `YYYY-MM-DD` of a day number (years 0–9999 in four digits; ±YYYYYY beyond, as ISO 8601 and Date write them). */
export function dateOfDayNumber(n: number): string {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const y = year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : `${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(6, '0')}`;
  return `${y}-${pad2(month)}-${pad2(day)}`;
}

export function parseDate(date: string): Date | null {
  const n = dayNumber(date);
  return n === null ? null : new Date(n * 86_400_000);
}

export function isValidDate(date: string): boolean {
  return dayNumber(date) !== null;
}

function mustDayNumber(date: string): number {
  const n = dayNumber(date);
  if (n === null) throw new RangeError(`Invalid date ${date}`);
  return n;
}

export function addDays(date: string, days: number): string {
  return dateOfDayNumber(mustDayNumber(date) + days);
}

/** 0 = Sunday … 6 = Saturday, as in `practitioner_availability.day_of_week` (1970-01-01 was a Thursday). */
export function dayOfWeek(date: string): number {
  return (((mustDayNumber(date) + 4) % 7) + 7) % 7;
}

/**
 * Whole days from `from` to `to` (negative when `to` is earlier). Total: an invalid date gives NaN,
 * never an exception, so it is safe inside validation (every comparison with NaN is false).
 */
export function daysBetween(from: string, to: string): number {
  const a = dayNumber(from);
  const b = dayNumber(to);
  return a === null || b === null ? Number.NaN : b - a;
}

/** `YYYY-MM` → its first day and number of days. */
export function monthRange(month: string): { first: string; days: number } | null {
  if (typeof month !== 'string' || month.length !== 7 || month.charCodeAt(4) !== 45) return null;
  const year = digits(month, 0, 4);
  const mon = digits(month, 5, 2);
  if (year < 1000 || mon < 1 || mon > 12) return null;
  return { first: `${month}-01`, days: daysInMonth(year, mon) };
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${pad2(index - year * 12 + 1)}`;
}
