import { z } from 'zod';
import { timeZoneName } from './clinic-settings';
import { userText } from './common';
import { memberEmail, memberName } from './members';

/** A clinic's slug (its name in URLs and on the command line): lower-case letters, digits and hyphens. */
export const clinicSlug = z.string().regex(/^[a-z0-9-]{2,64}$/, { message: 'Use 2 to 64 lower-case letters, digits and hyphens' });

export const clinicName = userText({ max: 200 });

/** A new clinic and its first admin (`npm run clinic:create`). */
export const createClinicSchema = z
  .object({
    name: clinicName,
    slug: clinicSlug,
    timezone: timeZoneName,
    admin_email: memberEmail,
    /** default: the part of the email before the @ */
    admin_name: memberName.optional(),
    /** the admin also sees patients (has a calendar) */
    admin_is_practitioner: z.boolean().default(false),
  })
  .strict();
export type CreateClinicInput = z.input<typeof createClinicSchema>;
