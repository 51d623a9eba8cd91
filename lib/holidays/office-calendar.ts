import { dayOfWeek, isValidDate } from '../time/dates';

// Taiwan's 政府行政機關辦公日曆表 (the government's yearly office calendar) as the clinic calendar
// takes it (issue 16). The government publishes it each June for the next year on data.gov.tw
// (dataset 中華民國政府行政機關辦公日曆表, from the 行政院人事行政總處) as a CSV of every day of the year:
//
//   西元日期,星期,是否放假,備註
//   20260101,四,2,開國紀念日
//   20260102,五,0,
//
// 是否放假 is 2 for a day off and 0 for a working day; 備註 names the holiday (開國紀念日, 春節, 補假 …)
// or a make-up workday (補行上班; 調整上班 before 2021). Older years' files are Big5, newer ones UTF-8
// with or without a byte order mark: both are read. Pure: no database, no clock.

export type ClinicDayKind = 'closed' | 'workday';

/** A day of the clinic calendar as an import makes it. */
export interface ClinicDayInput {
  date: string;
  kind: ClinicDayKind;
  name: string;
  /** workday: the weekday (0 = Sunday) whose weekly hours the date takes; closed: null */
  hoursOfWeekday: number | null;
}

/** One row of the government's file. */
export interface OfficeCalendarRow {
  date: string;
  dayOff: boolean;
  note: string;
}

/** A file that is not the government's office calendar, with the line that shows it (1-based). */
export class OfficeCalendarError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** The file's text: UTF-8 (with or without BOM) when it decodes as such, else Big5. */
export function decodeOfficeCalendar(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    try {
      text = new TextDecoder('big5', { fatal: true }).decode(bytes);
    } catch {
      throw new OfficeCalendarError('The file is neither UTF-8 nor Big5 text');
    }
  }
  return text.replace(/^\uFEFF/, '');
}

/** One CSV line's cells (quotes allowed, as spreadsheets write them). */
function cells(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  out.push(cell.trim());
  return out;
}

/**
 * The rows of the file, all of one year, each date once. The header names the columns (西元日期,
 * 是否放假, 備註; their order is read from it); a file of another shape is refused with its line.
 */
export function parseOfficeCalendar(text: string): { year: number; rows: OfficeCalendarRow[] } {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .map((l, i) => ({ text: l, line: i + 1 }))
    .filter((l) => l.text.trim() !== '');
  const header = lines.shift();
  if (!header) throw new OfficeCalendarError('The file is empty');
  const names = cells(header.text);
  const col = { date: names.indexOf('西元日期'), off: names.indexOf('是否放假'), note: names.indexOf('備註') };
  if (col.date < 0 || col.off < 0) {
    throw new OfficeCalendarError(
      'The first line must name the columns 西元日期, 星期, 是否放假, 備註 (the government office calendar CSV)',
      header.line,
    );
  }
  const seen = new Set<string>();
  let year: number | null = null;
  const rows: OfficeCalendarRow[] = [];
  for (const l of lines) {
    const c = cells(l.text);
    const raw = c[col.date] ?? '';
    const date = /^\d{8}$/.test(raw) ? `${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6, 8)}` : raw.replace(/\//g, '-');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !isValidDate(date)) throw new OfficeCalendarError(`Not a date (YYYYMMDD): "${raw}"`, l.line);
    const flag = c[col.off] ?? '';
    if (flag !== '0' && flag !== '2') throw new OfficeCalendarError(`是否放假 must be 0 or 2, not "${flag}"`, l.line);
    const y = Number(date.slice(0, 4));
    if (year === null) year = y;
    else if (y !== year) throw new OfficeCalendarError(`One year per file: ${date} is not in ${year}`, l.line);
    if (seen.has(date)) throw new OfficeCalendarError(`${date} appears twice`, l.line);
    seen.add(date);
    rows.push({ date, dayOff: flag === '2', note: col.note < 0 ? '' : (c[col.note] ?? '') });
  }
  if (year === null) throw new OfficeCalendarError('The file has no days');
  return { year, rows };
}

const isWeekend = (date: string) => {
  const dow = dayOfWeek(date);
  return dow === 0 || dow === 6;
};

/** Friday: a 補行上班 Saturday that pays back no bridge day named in the file works as the weekday next to it. */
export const DEFAULT_MAKEUP_HOURS_WEEKDAY = 5;

/**
 * The clinic calendar days a government file gives: a day off on a weekday, or a named day off on
 * a weekend (a holiday on a Saturday matters to clinics open on Saturdays), is `closed` with its
 * name (放假 when it has none); a working Saturday or Sunday (補行上班) is a `workday`; plain weekends
 * and plain working weekdays are nothing.
 *
 * A make-up workday's hours: `hoursOfWeekday` when the admin chose one; else the weekday of the
 * bridge day it pays back (the nearest day off named 調整放假 or 彈性放假 in the file: the clinic
 * works the Saturday as the day its staff took off); else Friday.
 */
export function clinicDaysOf(rows: readonly OfficeCalendarRow[], options: { hoursOfWeekday?: number } = {}): ClinicDayInput[] {
  const bridges = rows.filter((r) => r.dayOff && !isWeekend(r.date) && /調整放假|彈性放假/.test(r.note)).map((r) => r.date);
  const paidBack = (date: string): number => {
    let best: string | null = null;
    let bestDistance = Infinity;
    for (const b of bridges) {
      const distance = Math.abs(new Date(`${b}T00:00:00Z`).getTime() - new Date(`${date}T00:00:00Z`).getTime());
      if (distance < bestDistance) {
        best = b;
        bestDistance = distance;
      }
    }
    return best === null ? DEFAULT_MAKEUP_HOURS_WEEKDAY : dayOfWeek(best);
  };
  const days: ClinicDayInput[] = [];
  for (const r of [...rows].sort((a, b) => (a.date < b.date ? -1 : 1))) {
    const weekend = isWeekend(r.date);
    if (r.dayOff && (!weekend || r.note !== '')) {
      days.push({ date: r.date, kind: 'closed', name: r.note || '放假', hoursOfWeekday: null });
    } else if (!r.dayOff && weekend) {
      days.push({ date: r.date, kind: 'workday', name: r.note || '補行上班', hoursOfWeekday: options.hoursOfWeekday ?? paidBack(r.date) });
    }
  }
  return days;
}
