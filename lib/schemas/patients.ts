import { z } from 'zod';
import { lineUserId } from './agent';

/**
 * GET /patients: finding the patient a LINE chat is with. `line_user_id` is required, so the
 * clinic's patients are never listed to whoever leaves it out.
 */
export const findPatientsQuery = z.object({ line_user_id: lineUserId }).strict();

export type FindPatientsQuery = z.infer<typeof findPatientsQuery>;
