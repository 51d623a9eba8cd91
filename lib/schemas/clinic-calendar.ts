import { z } from 'zod';
import { calendarDate, decimalInt, userText } from './common';

// Requests of the clinic calendar of holidays and make-up workdays (issue 16; admins; routes and
// server actions alike). A closed day has a name and no hours; a make-up workday names the weekday
// (0 = Sunday) whose weekly hours it takes.

export const CLINIC_DAY_KINDS = ['closed', 'workday'] as const;
export const clinicDayName = userText({ max: 100 });
export const hoursOfWeekday = z.number().int().min(0).max(6);

const dayFields = {
  kind: z.enum(CLINIC_DAY_KINDS),
  name: clinicDayName,
  hours_of_weekday: hoursOfWeekday.nullish(),
};

function hoursMatchKind(d: { kind: (typeof CLINIC_DAY_KINDS)[number]; hours_of_weekday?: number | null }, ctx: z.RefinementCtx): void {
  const has = d.hours_of_weekday !== undefined && d.hours_of_weekday !== null;
  if (d.kind === 'workday' && !has)
    ctx.addIssue({
      code: 'custom',
      path: ['hours_of_weekday'],
      message: 'A make-up workday names the weekday whose hours it takes (0 = Sunday … 6 = Saturday)',
    });
  if (d.kind === 'closed' && has) ctx.addIssue({ code: 'custom', path: ['hours_of_weekday'], message: 'A closed day has no hours' });
}

export const createClinicDaySchema = z
  .object({ date: calendarDate, ...dayFields })
  .strict()
  .superRefine(hoursMatchKind);

/** PUT replaces the day's kind, name and hours (its date stays). */
export const updateClinicDaySchema = z.object(dayFields).strict().superRefine(hoursMatchKind);

/** A year of the clinic calendar (the list and the shipped Taiwan years). */
export const clinicCalendarYear = z.number().int().min(2000).max(2100);
export const clinicDayYearQuery = z.object({ year: decimalInt(2000, 2100) });

/** The day of a PUT or DELETE path: its date (YYYY-MM-DD) or its id. */
export const clinicDayRef = z.union([
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .pipe(calendarDate)
    .transform((date) => ({ date })),
  decimalInt(1, 2_147_483_647).transform((id) => ({ id })),
]);

/**
 * An import: the government's office calendar file (`csv`: its text; `csv_base64`: its bytes, UTF-8
 * or Big5) or a year shipped with the app (`taiwan_year`), exactly one. `workday_hours_of_weekday`:
 * the weekday whose hours every make-up workday of the file takes (default: the weekday of the
 * bridge day it pays back, else Friday).
 */
export const importClinicCalendarSchema = z
  .object({
    csv: z
      .string()
      .min(1)
      .max(60_000)
      .refine((v) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(v) && !/\p{Cs}/u.test(v), { message: 'Not CSV text', abort: true })
      .optional(),
    csv_base64: z
      .string()
      .min(1)
      .max(300_000)
      // Padded base64 as a browser's btoa or Buffer writes it: no spaces or line breaks, so that a
      // spoiled value is refused rather than read as another file.
      .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, {
        message: 'Use padded base64 without spaces or line breaks',
        abort: true,
      })
      .optional(),
    taiwan_year: clinicCalendarYear.optional(),
    workday_hours_of_weekday: hoursOfWeekday.optional(),
  })
  .strict()
  .refine((b) => [b.csv, b.csv_base64, b.taiwan_year].filter((v) => v !== undefined).length === 1, {
    message: 'Send exactly one of csv, csv_base64 and taiwan_year',
  });

export const dryRunQuery = z.object({ dry_run: z.enum(['true', 'false']).optional() }).transform((q) => ({ dryRun: q.dry_run === 'true' }));

export type CreateClinicDayInput = z.infer<typeof createClinicDaySchema>;
export type UpdateClinicDayInput = z.infer<typeof updateClinicDaySchema>;
export type ImportClinicCalendarInput = z.infer<typeof importClinicCalendarSchema>;
export type ClinicDayRef = z.infer<typeof clinicDayRef>;
