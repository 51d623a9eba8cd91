import { z } from 'zod';
import { parseTime } from '../availability/time';
import { isValidDate } from '../time/dates';

// The building blocks of every request schema. Each one is total: a check never runs code that
// throws, and a value that fails its shape stops there (`abort`), so object-level refinements never
// see it. Routes read path, query and body through these before any other code sees them.

export const MAX_ID = 2_147_483_647;

/** C0 control characters (NUL included) and DEL; tab and line feed are allowed in multi-line text only. */
const CONTROL_SINGLE_LINE = /[\u0000-\u001F\u007F]/;
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000B-\u001F\u007F]/;
/** A UTF-16 surrogate not paired with its other half (with the u flag, pairs read as one code point). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * User text (names, phone numbers, notes…): trimmed, `min`..`max` characters, no NUL or other
 * control characters (PostgreSQL refuses byte 0; the others have no place in a name), no lone
 * surrogates (not valid Unicode, not storable as UTF-8).
 */
export function userText(options: { max: number; min?: number; multiline?: boolean }) {
  const control = options.multiline ? CONTROL_MULTI_LINE : CONTROL_SINGLE_LINE;
  // Control characters are refused wherever they stand, also at the ends (before trimming):
  // a pasted "\r0912…" is refused, not silently cleaned.
  return z
    .string()
    .refine((v) => !control.test(v), {
      message: options.multiline ? 'No control characters other than tab and line feed' : 'No control characters',
      abort: true,
    })
    .refine((v) => !LONE_SURROGATE.test(v), { message: 'Not valid Unicode text', abort: true })
    .trim()
    .min(options.min ?? 1)
    .max(options.max);
}

/** `HH:MM`, 24 h; "24:00" only where a day's end is meant. */
export const timeOfDay = z.string().refine((v) => parseTime(v) !== null && v !== '24:00', { message: 'Use HH:MM (00:00 to 23:59)', abort: true });
export const endTimeOfDay = z.string().refine((v) => parseTime(v) !== null, { message: 'Use HH:MM (00:00 to 24:00)', abort: true });
export const calendarDate = z.string().refine(isValidDate, { message: 'Use a real date, YYYY-MM-DD', abort: true });

/**
 * A whole number written in decimal digits only, for query and path values (which are always
 * text): no sign, no hex (`0x10`), exponent (`1e3`), fraction, spaces or empty value, then
 * range-checked.
 */
export function decimalInt(min: number, max: number) {
  return z
    .string()
    .regex(/^[0-9]{1,16}$/, { message: 'Use decimal digits only', abort: true })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

/** An id in a JSON body: a JSON integer, 1 to 2^31-1. */
export const bodyId = z.number().int().positive().max(MAX_ID);
/** An id in a query or path: decimal digits, 1 to 2^31-1. */
export const queryId = decimalInt(1, MAX_ID);
/** An id from either (server actions pass numbers, forms and URLs pass text). */
export const positiveId = z.union([bodyId, queryId]);

/** The query of a request that may answer with a warning. */
export const confirmQuery = z.object({ confirm: z.enum(['true', 'false']).optional() }).transform((q) => ({ confirm: q.confirm === 'true' }));
