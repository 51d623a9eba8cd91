import { z } from 'zod';
import { bodyId } from './common';

/** POST …/practitioners/{user_id}/availability/default/copy: whose week to copy onto the path's practitioner. */
export const copyWeeklyScheduleSchema = z.object({ from_practitioner_id: bodyId }).strict();

export type CopyWeeklyScheduleInput = z.infer<typeof copyWeeklyScheduleSchema>;
