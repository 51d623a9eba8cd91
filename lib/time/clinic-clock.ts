/**
 * Wall-clock "now" in a clinic's IANA time zone. The only place that turns an instant into the
 * clinic's date and time; everything downstream works on plain `YYYY-MM-DD` and minutes.
 */
export interface ClinicNow {
  /** YYYY-MM-DD in the clinic's zone */
  date: string;
  /** minutes since local midnight */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The clinic's date and time at an instant. "Now" comes from a `Clock` (lib/time/clock.ts):
 * `clinicNow(zone, clock())`; there is no default, so nothing reads the system time on its own.
 */
export function clinicNow(timeZone: string, instant: Date): ClinicNow {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * A time zone's IANA name as a clinic stores it, or null when it is none: Intl must know it, and it
 * must be a name ("Asia/Taipei", "UTC"), not an offset such as "+08:00" that newer engines accept.
 * Intl reads names in any case; one written in another case ("asia/taipei") comes back in the
 * spelling of the IANA list, so Google Calendar and PostgreSQL see the name they know.
 */
export function ianaTimeZone(name: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(name) || name.length > 64 || !isValidTimeZone(name)) return null;
  const lower = name.toLowerCase();
  const known = ['UTC', ...Intl.supportedValuesOf('timeZone')].find((z) => z.toLowerCase() === lower);
  if (known) return known;
  const resolved = formatterFor(name).resolvedOptions().timeZone;
  return resolved.toLowerCase() === lower ? resolved : name;
}

/** The instant of a date's local midnight under the offset in effect at `offsetSource` (ms since the epoch). */
function wallInstant(timeZone: string, date: string, offsetSource: number): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  const at = new Date(Math.floor(offsetSource / 60_000) * 60_000);
  const local = clinicNow(timeZone, at);
  const [ly, lm, ld] = local.date.split('-').map(Number) as [number, number, number];
  const offset = Date.UTC(ly, lm - 1, ld) + local.minutes * 60_000 - at.getTime();
  return wall - offset;
}

/**
 * The instant a date begins on the clinic's wall clock (its local midnight), e.g. to turn a range
 * of clinic dates into instants. Where a change of offset skips midnight, the day begins at its
 * first minute that exists; where midnight happens twice, at the first.
 */
export function clinicDayStart(timeZone: string, date: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  // The offsets in effect around that midnight: a change of offset falls between them at most once.
  const candidates = [wallInstant(timeZone, date, wall - 86_400_000), wallInstant(timeZone, date, wall + 86_400_000)].sort((a, b) => a - b);
  const onDate = candidates.filter((c) => clinicNow(timeZone, new Date(c)).date === date);
  const midnight = onDate.find((c) => clinicNow(timeZone, new Date(c)).minutes === 0);
  return new Date(midnight ?? onDate[0] ?? candidates[candidates.length - 1]!);
}
