import { z } from 'zod';
import { WEEKDAYS } from '../availability/weekly-schedule';
import { endTimeOfDay, timeOfDay } from './common';

/**
 * "Repeat every week" on a suggestion: which habit (weekday and span, both times null = all day).
 * The exceptions it replaces are found again on the server, never taken from the client.
 */
export const repeatExceptionsSchema = z
  .object({
    weekday: z.enum(WEEKDAYS),
    start_time: timeOfDay.nullable(),
    end_time: endTimeOfDay.nullable(),
  })
  .strict()
  .refine((v) => (v.start_time === null) === (v.end_time === null), {
    message: 'Give both times, or neither for all day',
    path: ['end_time'],
  });

export type RepeatExceptionsInput = z.infer<typeof repeatExceptionsSchema>;
