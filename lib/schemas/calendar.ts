import { z } from 'zod';
import { monthRange } from '../time/dates';
import { calendarDate, decimalInt } from './common';

const month = z.string().refine((v) => monthRange(v) !== null, { message: 'Use YYYY-MM', abort: true });

/** GET …/availability/calendar: either a month (with paging) or one date. */
export const calendarQuerySchema = z.union(
  [
    z
      .object({
        month,
        page: decimalInt(1, 31).default(1),
        limit: decimalInt(1, 31).default(31),
      })
      .strict(),
    z.object({ date: calendarDate }).strict(),
  ],
  { error: 'Give either month=YYYY-MM (with optional page and limit) or date=YYYY-MM-DD' },
);

export type CalendarQuery = z.infer<typeof calendarQuerySchema>;
