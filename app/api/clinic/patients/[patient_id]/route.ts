import { idParam, readJson, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { getPatientDetail } from '@/lib/queries/patients';
import { updatePatient } from '@/lib/services/patients';
import { operations } from './operation';

/** The patient page's head: the patient, their no-shows and upcoming appointments. */
export const GET = route(operations.GET, async ({ params, caller }) => ({
  body: await getPatientDetail(await getDb(), caller, { patientId: idParam(params.patient_id, 'Patient') }),
}));

/** Staff correct a patient's name or phone number. */
export const PATCH = route(operations.PATCH, async ({ req, params, caller }) => {
  const patientId = idParam(params.patient_id, 'Patient');
  const changes = await readJson(req, operations.PATCH.body);
  return { body: await updatePatient(await getDb(), caller, { patientId, changes }) };
});
