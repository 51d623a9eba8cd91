import { z } from 'zod';
import { WEEKDAYS, type Weekday } from '../availability/weekly-schedule';
import { endTimeOfDay, timeOfDay } from './common';

export const timeIntervalSchema = z.object({
  start_time: timeOfDay,
  end_time: endTimeOfDay,
}).strict();

const daySchema = z.array(timeIntervalSchema).max(24, 'At most 24 intervals a day');

/**
 * PUT …/availability/default: the whole week; a day left out has no hours. Unknown keys (a typo
 * such as "munday") are refused rather than silently clearing a day.
 */
export const weeklyScheduleSchema = z.object(
  Object.fromEntries(WEEKDAYS.map((d) => [d, daySchema.optional()])) as Record<Weekday, z.ZodOptional<typeof daySchema>>,
).strict();

export type WeeklyScheduleInput = z.infer<typeof weeklyScheduleSchema>;
export type TimeIntervalDto = z.infer<typeof timeIntervalSchema>;
export type WeeklyScheduleDto = Record<Weekday, TimeIntervalDto[]>;
