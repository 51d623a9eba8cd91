import 'server-only';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { writeAudit } from '../db/audit';
import type { DbOrTx } from '../db/client';
import { clinics, invitations, users } from '../db/schema';
import { inTransaction } from '../db/transaction';
import { AppError, sqlStateOf, validationError } from '../errors';
import { createClinicSchema, type CreateClinicInput } from '../schemas/clinics';
import { addTaiwanCalendar } from './clinic-calendar';

export interface CreatedClinic {
  clinic: { id: number; name: string; slug: string; timezone: string };
  admin: { id: number; email: string; name: string; role: 'admin'; isPractitioner: boolean };
  /** days of Taiwan's shipped office calendar given to the clinic (0 outside Asia/Taipei) */
  taiwanCalendarDays: number;
}

/**
 * A new clinic and its first admin, in one transaction, audited as the system's doing. Run by the
 * operator who holds the database (`npm run clinic:create`); no route reaches it. Refuses a slug
 * that is taken and an email that already belongs to a member or a pending invitation of any
 * clinic (members' emails are unique across clinics: sign-in finds the clinic by email).
 */
export async function createClinic(db: DbOrTx, input: CreateClinicInput): Promise<CreatedClinic> {
  const parsed = createClinicSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const v = parsed.data;
  const adminName = v.admin_name ?? v.admin_email.split('@')[0]!;
  try {
    return await inTransaction(db, async (tx) => {
      const [taken] = await tx.select({ name: clinics.name }).from(clinics).where(eq(clinics.slug, v.slug));
      if (taken) throw new AppError('conflict', `The slug "${v.slug}" is taken (clinic "${taken.name}")`, { field: 'slug' });
      const [member] = await tx
        .select({ clinic: clinics.name })
        .from(users)
        .innerJoin(clinics, eq(clinics.id, users.clinicId))
        .where(eq(sql`lower(${users.email})`, v.admin_email));
      if (member) throw new AppError('conflict', `${v.admin_email} is already a member of clinic "${member.clinic}"`, { field: 'admin_email' });
      const [invited] = await tx
        .select({ clinic: clinics.name })
        .from(invitations)
        .innerJoin(clinics, eq(clinics.id, invitations.clinicId))
        .where(and(eq(sql`lower(${invitations.email})`, v.admin_email), isNull(invitations.acceptedAt), isNull(invitations.withdrawnAt)));
      if (invited) {
        throw new AppError('conflict', `${v.admin_email} has a pending invitation to clinic "${invited.clinic}"`, { field: 'admin_email' });
      }

      const [clinic] = await tx
        .insert(clinics)
        .values({ name: v.name, slug: v.slug, timezone: v.timezone })
        .returning({ id: clinics.id, name: clinics.name, slug: clinics.slug, timezone: clinics.timezone });
      const [admin] = await tx
        .insert(users)
        .values({ clinicId: clinic!.id, email: v.admin_email, name: adminName, role: 'admin', isPractitioner: v.admin_is_practitioner })
        .returning({ id: users.id, email: users.email, name: users.name, isPractitioner: users.isPractitioner });
      // A clinic in Taiwan starts with the office calendar's holidays of the years shipped with the app.
      const taiwanDays = v.timezone === 'Asia/Taipei' ? await addTaiwanCalendar(tx, clinic!.id) : 0;
      await writeAudit(
        tx,
        { kind: 'system', clinicId: clinic!.id },
        {
          action: 'clinic.created',
          entityType: 'clinic',
          entityId: clinic!.id,
          details: {
            name: v.name,
            slug: v.slug,
            timezone: v.timezone,
            taiwan_calendar_days: taiwanDays,
            admin: { user_id: admin!.id, email: admin!.email, name: admin!.name, is_practitioner: admin!.isPractitioner },
          },
        },
      );
      return { clinic: clinic!, admin: { ...admin!, role: 'admin' as const }, taiwanCalendarDays: taiwanDays };
    });
  } catch (err) {
    // Another clinic:create with the same slug or email committed between the checks and the insert.
    if (sqlStateOf(err) === '23505') throw new AppError('conflict', `The slug "${v.slug}" or the email ${v.admin_email} was taken meanwhile`);
    throw err;
  }
}
