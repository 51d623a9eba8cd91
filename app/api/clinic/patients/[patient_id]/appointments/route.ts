import { idParam, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { listPatientAppointments } from '@/lib/queries/patients';
import { operations } from './operation';

/** "When is my appointment?": the patient's appointments, upcoming ones first. */
export const GET = route(operations.GET, async ({ params, caller }) => ({
  body: await listPatientAppointments(await getDb(), caller, { patientId: idParam(params.patient_id, 'Patient') }),
}));
