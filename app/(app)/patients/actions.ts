'use server';

import { revalidatePath } from 'next/cache';
import { runAction } from '@/lib/actions';
import { getDb } from '@/lib/db/client';
import type { ActionState } from '@/lib/errors';
import { positiveId } from '@/lib/schemas/common';
import { updatePatientSchema } from '@/lib/schemas/patients';
import type { PatientDto } from '@/lib/schemas/responses';
import { updatePatient } from '@/lib/services/patients';

// The patient pages' server action: the same schema and service as PATCH /api/clinic/patients/{id}
// (any member of the patient's clinic may correct a name or phone number; another clinic's is not found).

export async function updatePatientAction(patientId: unknown, changes: unknown): Promise<ActionState<PatientDto>> {
  return runAction(async (caller) => {
    const result = await updatePatient(await getDb(), caller, {
      patientId: positiveId.parse(patientId),
      changes: updatePatientSchema.parse(changes),
    });
    revalidatePath('/patients');
    revalidatePath(`/patients/${result.id}`);
    return result;
  });
}
