/** Calendar arithmetic on `YYYY-MM-DD` strings, in UTC so no local zone leaks in. */
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseDate(date: string): Date | null {
  if (typeof date !== 'string') return null;
  const m = DATE_RE.exec(date);
  // Years before 1000 are no clinic's calendar (and Date.UTC reads 0-99 as 1900-1999), as in monthRange.
  if (!m || Number(m[1]) < 1000) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === date ? d : null;
}

export function isValidDate(date: string): boolean {
  return parseDate(date) !== null;
}

function mustParse(date: string): Date {
  const d = parseDate(date);
  if (!d) throw new RangeError(`Invalid date ${date}`);
  return d;
}

export function addDays(date: string, days: number): string {
  const d = mustParse(date);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday, as in `practitioner_availability.day_of_week`. */
export function dayOfWeek(date: string): number {
  return mustParse(date).getUTCDay();
}

/**
 * Whole days from `from` to `to` (negative when `to` is earlier). Total: an invalid date gives NaN,
 * never an exception, so it is safe inside validation (every comparison with NaN is false).
 */
export function daysBetween(from: string, to: string): number {
  const a = parseDate(from);
  const b = parseDate(to);
  if (!a || !b) return Number.NaN;
  return Math.round((b.getTime() - a.getTime()) / 86_400_000);
}

/** `YYYY-MM` → its first day and number of days. */
export function monthRange(month: string): { first: string; days: number } | null {
  if (typeof month !== 'string') return null;
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return null;
  const year = Number(m[1]);
  const mon = Number(m[2]);
  // Date.UTC reads years 0-99 as 1900-1999; no clinic calendar needs them.
  if (year < 1000 || mon < 1 || mon > 12) return null;
  const days = new Date(Date.UTC(year, mon, 0)).getUTCDate();
  return { first: `${m[1]}-${m[2]}-01`, days };
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}
