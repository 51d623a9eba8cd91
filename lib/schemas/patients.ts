import { z } from 'zod';
import { lineUserId } from './agent';
import { decimalInt, userText } from './common';

/** The most patients one staff search answers with. */
export const PATIENT_SEARCH_MAX = 50;

/** The agent's form: the patient a LINE chat is with. */
const byLineUserId = z.object({ line_user_id: lineUserId }).strict();

/**
 * The staff form: a search by name, phone or LINE id. `q` left out, empty or blank lists the
 * most recently changed patients. Agents may not use it (the route answers them 400).
 */
const staffSearch = z
  .object({
    q: z
      .string()
      .refine((v) => v.trim() === '' || userText({ max: 200 }).safeParse(v).success, {
        message: 'No control characters, at most 200 characters',
        abort: true,
      })
      .transform((v) => v.trim())
      .optional(),
    limit: decimalInt(1, PATIENT_SEARCH_MAX).optional(),
  })
  .strict();

/**
 * GET /patients: `line_user_id` (the agent and staff), or `q` and `limit` (staff only). Without
 * `line_user_id` the clinic's patients are never listed to the agent.
 */
export const findPatientsQuery = z.union([byLineUserId, staffSearch]);

export type FindPatientsQuery = z.infer<typeof findPatientsQuery>;

/** PATCH /patients/{id}: a new name or phone number (null clears the phone). */
export const updatePatientSchema = z
  .object({
    full_name: userText({ max: 200 }).optional(),
    phone_number: userText({ min: 3, max: 50 })
      .regex(/^[0-9+()\-\s]+$/, 'Digits, spaces, +, -, ( and ) only')
      .nullish(),
  })
  .strict()
  .refine((v) => v.full_name !== undefined || v.phone_number !== undefined, { message: 'Give full_name or phone_number' });

export type UpdatePatientInput = z.infer<typeof updatePatientSchema>;
