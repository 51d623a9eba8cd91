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
