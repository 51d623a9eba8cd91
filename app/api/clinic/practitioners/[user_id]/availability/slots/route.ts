import { idParam, parseQuery, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { getClinicSettings } from '@/lib/queries/clinic';
import { findAppointmentType, slotsByPractitioner } from '@/lib/queries/slots';
import { findPractitionerForCaller } from '@/lib/auth/access';
import { operations } from './operation';

/** One day: {available_slots}; a range (`from`..`to`, at most 62 days): {days: [{date, available_slots}]}. */
export const GET = route(operations.GET, async ({ params, caller, url }) => {
  const practitionerId = idParam(params.user_id, 'Practitioner');
  const query = parseQuery(url, operations.GET.query);
  const db = await getDb();
  const practitioner = await findPractitionerForCaller(db, caller, practitionerId);
  const [clinic, type] = await Promise.all([
    getClinicSettings(db, caller.clinicId),
    findAppointmentType(db, caller.clinicId, query.appointment_type_id),
  ]);
  const from = 'date' in query ? query.date : query.from;
  const to = 'date' in query ? query.date : query.to;
  const days = (await slotsByPractitioner(db, { clinic, practitionerIds: [practitioner.id], type, from, to })).get(practitioner.id)!;
  return { body: 'date' in query ? { available_slots: days[0]!.available_slots } : { days } };
});
