import { idParam, parseQuery, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { appointmentTypeIn, clinicSnapshot, practitionerIn } from '@/lib/queries/clinic-cache';
import { slotsByPractitioner } from '@/lib/queries/slots';
import { operations } from './operation';

/** One day: {available_slots}; a range (`from`..`to`, at most 62 days): {days: [{date, available_slots}]}. */
export const GET = route(operations.GET, async ({ params, caller, url }) => {
  const practitionerId = idParam(params.user_id, 'Practitioner');
  const query = parseQuery(url, operations.GET.query);
  const db = await getDb();
  const clinic = await clinicSnapshot(db, caller);
  // The caller's clinic's practitioners only: any other id is 404 before anything of it is read.
  const practitioner = practitionerIn(clinic, practitionerId);
  const type = appointmentTypeIn(clinic, query.appointment_type_id);
  const from = 'date' in query ? query.date : query.from;
  const to = 'date' in query ? query.date : query.to;
  const days = (
    await slotsByPractitioner(db, {
      clinic: clinic.settings,
      practitionerIds: [practitioner.id],
      type,
      from,
      to,
      recommend: { types: [...clinic.types.values()] },
    })
  ).get(practitioner.id)!;
  return { body: 'date' in query ? { available_slots: days[0]!.available_slots } : { days } };
});
