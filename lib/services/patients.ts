import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { Caller } from '../auth/caller';
import { writeAudit } from '../db/audit';
import type { DbOrTx } from '../db/client';
import { inTransaction } from '../db/transaction';
import { patients } from '../db/schema';
import type { CreatePatientInput } from '../schemas/agent';
import type { PatientDto } from '../schemas/responses';

export type { PatientDto } from '../schemas/responses';

const columns = { id: patients.id, full_name: patients.fullName, phone_number: patients.phoneNumber, line_user_id: patients.lineUserId };

/**
 * Find-or-create by LINE user id: the agent meets a patient in a LINE chat, so an existing
 * `line_user_id` of the clinic returns that patient (created: false) instead of a duplicate.
 */
export async function findOrCreatePatient(db: DbOrTx, caller: Caller, input: CreatePatientInput): Promise<{ created: boolean; patient: PatientDto }> {
  return inTransaction(db, async (tx) => {
    const lineUserId = input.line_user_id ?? null;
    if (lineUserId) {
      const [existing] = await tx
        .select(columns)
        .from(patients)
        .where(and(eq(patients.clinicId, caller.clinicId), eq(patients.lineUserId, lineUserId)));
      if (existing) return { created: false, patient: existing };
    }
    // ON CONFLICT: two concurrent first messages of one LINE user still make one patient.
    const inserted = await tx
      .insert(patients)
      .values({
        clinicId: caller.clinicId,
        fullName: input.full_name,
        phoneNumber: input.phone_number ?? null,
        lineUserId,
      })
      .onConflictDoNothing()
      .returning(columns);
    if (inserted.length === 0) {
      const [existing] = await tx
        .select(columns)
        .from(patients)
        .where(and(eq(patients.clinicId, caller.clinicId), eq(patients.lineUserId, lineUserId!)));
      return { created: false, patient: existing! };
    }
    await writeAudit(tx, caller, {
      action: 'patient.created',
      entityType: 'patient',
      entityId: inserted[0]!.id,
      details: { line_user_id: lineUserId },
    });
    return { created: true, patient: inserted[0]! };
  });
}
