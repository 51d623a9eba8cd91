import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { Caller } from '../auth/caller';
import { writeAudit } from '../db/audit';
import type { DbOrTx } from '../db/client';
import { inTransaction } from '../db/transaction';
import { patients } from '../db/schema';
import { AppError } from '../errors';
import type { CreatePatientInput } from '../schemas/agent';
import type { UpdatePatientInput } from '../schemas/patients';
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

/**
 * Staff correct a patient's name or phone number (null clears the phone): one transaction, audited
 * `patient.updated` with before and after. Another clinic's patient is not found; a change that
 * changes nothing is not audited.
 */
export async function updatePatient(db: DbOrTx, caller: Caller, input: { patientId: number; changes: UpdatePatientInput }): Promise<PatientDto> {
  if (caller.kind !== 'user') throw new AppError('forbidden', "Only the clinic's members change a patient");
  return inTransaction(db, async (tx) => {
    const [current] = await tx
      .select(columns)
      .from(patients)
      .where(and(eq(patients.id, input.patientId), eq(patients.clinicId, caller.clinicId)))
      .for('update');
    if (!current) throw new AppError('not_found', 'Patient not found');
    const next = {
      full_name: input.changes.full_name ?? current.full_name,
      phone_number: input.changes.phone_number === undefined ? current.phone_number : input.changes.phone_number,
    };
    if (next.full_name === current.full_name && next.phone_number === current.phone_number) return current;
    const [updated] = await tx
      .update(patients)
      .set({ fullName: next.full_name, phoneNumber: next.phone_number, updatedAt: new Date() })
      .where(eq(patients.id, current.id))
      .returning(columns);
    await writeAudit(tx, caller, {
      action: 'patient.updated',
      entityType: 'patient',
      entityId: current.id,
      patientId: current.id,
      details: {
        before: { full_name: current.full_name, phone_number: current.phone_number },
        after: { full_name: next.full_name, phone_number: next.phone_number },
      },
    });
    return updated!;
  });
}
