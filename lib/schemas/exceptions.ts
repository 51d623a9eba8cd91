import { z } from 'zod';
import { parseRecurrence } from '../availability/recurrence-rule';
import { calendarDate, endTimeOfDay, timeOfDay } from './common';

/**
 * A repeat rule (issue 16): an RFC 5545 RRULE value without `RRULE:` and DTSTART, e.g.
 * `FREQ=WEEKLY;BYDAY=WE;UNTIL=20271231`; the series starts on the exception's date. Refused
 * rules name why (unsupported part, impossible combination).
 */
export const recurrenceRule = z
  .string()
  .max(300)
  .superRefine((v, ctx) => {
    const parsed = parseRecurrence(v);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message, abort: true });
  })
  .describe(
    'RRULE value (no RRULE: prefix, no DTSTART): FREQ=DAILY|WEEKLY|MONTHLY|YEARLY, INTERVAL, BYDAY (2TU, -1FR for monthly), BYMONTHDAY, BYMONTH, COUNT or UNTIL=YYYYMMDD',
  );

/** Which occurrences of a repeating exception a change or deletion concerns (as Google Calendar asks). */
export const EXCEPTION_SCOPES = ['this', 'following', 'all'] as const;
export type ExceptionScope = (typeof EXCEPTION_SCOPES)[number];
const scopeFields = {
  scope: z.enum(EXCEPTION_SCOPES).optional().describe('this | following | all (default): for a repeating exception'),
  occurrence_date: calendarDate.optional().describe('The occurrence meant by scope this or following (YYYY-MM-DD)'),
};
const needsOccurrence = (v: { scope?: ExceptionScope; occurrence_date?: string }, ctx: z.RefinementCtx) => {
  if ((v.scope === 'this' || v.scope === 'following') && !v.occurrence_date) {
    ctx.addIssue({ code: 'custom', path: ['occurrence_date'], message: 'scope this or following needs occurrence_date' });
  }
};
/** DELETE …/exceptions/{id}?scope=&occurrence_date= */
export const exceptionScopeQuery = z
  .object(scopeFields)
  .superRefine(needsOccurrence)
  .transform((q) => ({ scope: q.scope ?? ('all' as ExceptionScope), occurrenceDate: q.occurrence_date ?? null }));
/** PUT …/exceptions/{id}?confirm=&scope=&occurrence_date= */
export const updateExceptionQuery = z
  .object({ confirm: z.enum(['true', 'false']).optional(), ...scopeFields })
  .superRefine(needsOccurrence)
  .transform((q) => ({ confirm: q.confirm === 'true', scope: q.scope ?? ('all' as ExceptionScope), occurrenceDate: q.occurrence_date ?? null }));

const bothOrNeither = (v: { start_time?: string | null; end_time?: string | null }, ctx: z.RefinementCtx) => {
  const hasStart = v.start_time != null;
  const hasEnd = v.end_time != null;
  if (hasStart !== hasEnd) {
    ctx.addIssue({
      code: 'custom',
      path: [hasStart ? 'end_time' : 'start_time'],
      message: 'Give both start_time and end_time, or neither for an all-day exception',
    });
  }
};

/** POST …/availability/exceptions: both times absent or null = all day. */
export const createExceptionSchema = z
  .object({
    date: calendarDate,
    start_time: timeOfDay.nullish(),
    end_time: endTimeOfDay.nullish(),
    recurrence: recurrenceRule.nullish(),
  })
  .strict()
  .superRefine(bothOrNeither);

/** PUT …/availability/exceptions/{id}: fields left out keep their values; both times null = all day. */
export const updateExceptionSchema = z
  .object({
    date: calendarDate.optional(),
    start_time: timeOfDay.nullish(),
    end_time: endTimeOfDay.nullish(),
    /** a new rule; null = stop repeating (scope all); left out = unchanged */
    recurrence: recurrenceRule.nullish(),
  })
  .strict()
  .superRefine((v, ctx) => {
    // Only one of the two set to null would leave half a range.
    if ((v.start_time === null) !== (v.end_time === null) && (v.start_time === null || v.end_time === null)) {
      ctx.addIssue({
        code: 'custom',
        path: [v.start_time === null ? 'end_time' : 'start_time'],
        message: 'Set both times to null for an all-day exception',
      });
    }
  });

export const clearExceptionsSchema = z.object({ from: calendarDate, to: calendarDate }).strict();

export type CreateExceptionInput = z.infer<typeof createExceptionSchema>;
export type UpdateExceptionInput = z.infer<typeof updateExceptionSchema>;
