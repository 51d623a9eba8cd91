import { z } from 'zod';
import { formatTime, parseTime } from '../availability/time';
import { normalizeWeek, WEEKDAYS, type Weekday, type WeeklySchedule } from '../availability/weekly-schedule';
import { endTimeOfDay, timeOfDay } from './common';
import type { WeeklyScheduleDto } from './responses';

export const timeIntervalSchema = z
  .object({
    start_time: timeOfDay,
    end_time: endTimeOfDay,
  })
  .strict();

const daySchema = z.array(timeIntervalSchema).max(24, 'At most 24 intervals a day');

/**
 * PUT …/availability/default: the whole week; a day left out has no hours. Unknown keys (a typo
 * such as "munday") are refused rather than silently clearing a day.
 */
export const weeklyScheduleSchema = z
  .object(Object.fromEntries(WEEKDAYS.map((d) => [d, daySchema.optional()])) as Record<Weekday, z.ZodOptional<typeof daySchema>>)
  .strict();

export type WeeklyScheduleInput = z.infer<typeof weeklyScheduleSchema>;
export type TimeIntervalDto = z.infer<typeof timeIntervalSchema>;
export type { WeeklyScheduleDto } from './responses';

/** Engine week → the contract's shape (all seven days). Pure: the settings form uses it too. */
export function weekToDto(week: WeeklySchedule): WeeklyScheduleDto {
  return Object.fromEntries(
    WEEKDAYS.map((d) => [
      d,
      week[d].map((i) => ({
        start_time: formatTime(i.start),
        end_time: formatTime(i.end),
      })),
    ]),
  ) as WeeklyScheduleDto;
}

/** The contract's shape (days may be left out) → engine week, sorted; times already validated. */
export function weekFromInput(input: WeeklyScheduleInput): WeeklySchedule {
  return normalizeWeek(
    Object.fromEntries(
      WEEKDAYS.map((d) => [
        d,
        (input[d] ?? []).map((i) => ({
          start: parseTime(i.start_time)!,
          end: parseTime(i.end_time)!,
        })),
      ]),
    ),
  );
}
