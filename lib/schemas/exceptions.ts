import { z } from 'zod';
import { calendarDate, endTimeOfDay, timeOfDay } from './common';

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
  })
  .strict()
  .superRefine(bothOrNeither);

/** PUT …/availability/exceptions/{id}: fields left out keep their values; both times null = all day. */
export const updateExceptionSchema = z
  .object({
    date: calendarDate.optional(),
    start_time: timeOfDay.nullish(),
    end_time: endTimeOfDay.nullish(),
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
