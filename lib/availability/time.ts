/**
 * Wall-clock times as minutes since midnight. `HH:MM` in, `HH:MM` out; "24:00" is midnight at the
 * end of the day, allowed as an end only.
 */
export const MINUTES_PER_DAY = 1440;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function parseTime(value: string): number | null {
  if (value === '24:00') return MINUTES_PER_DAY;
  const m = TIME_RE.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** Accepts the database's `HH:MM:SS` as well. */
export function timeToMinutes(value: string): number {
  const minutes = parseTime(value.length === 8 ? value.slice(0, 5) : value);
  if (minutes === null) throw new RangeError(`Invalid time ${value}`);
  return minutes;
}

/** A database `HH:MM:SS` (or `HH:MM`) as the contract's `HH:MM`. */
export function toHHMM(value: string): string {
  return formatTime(timeToMinutes(value));
}

export function formatTime(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > MINUTES_PER_DAY) throw new RangeError(`Invalid minutes ${minutes}`);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
