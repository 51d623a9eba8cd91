import { z } from 'zod';
import { parseTime } from '../availability/time';
import { isValidDate } from '../time/dates';

/** `HH:MM`, 24 h; "24:00" only where a day's end is meant. */
export const timeOfDay = z.string().refine((v) => parseTime(v) !== null && v !== '24:00', { message: 'Use HH:MM (00:00 to 23:59)' });
export const endTimeOfDay = z.string().refine((v) => parseTime(v) !== null, { message: 'Use HH:MM (00:00 to 24:00)' });
export const calendarDate = z.string().refine(isValidDate, { message: 'Use a real date, YYYY-MM-DD' });
export const positiveId = z.coerce.number().int().positive().max(2_147_483_647);

/** The query of a request that may answer with a warning. */
export const confirmQuery = z.object({ confirm: z.enum(['true', 'false']).optional() })
  .transform((q) => ({ confirm: q.confirm === 'true' }));
