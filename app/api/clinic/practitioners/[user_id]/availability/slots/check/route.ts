import { idParam, parseQuery, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { appointmentTypeIn, clinicSnapshot, practitionerIn } from '@/lib/queries/clinic-cache';
import { checkSlot } from '@/lib/queries/slot-check';
import { operations } from './operation';

/** {available, reason?, alternatives}: what booking that start would answer right now. */
export const GET = route(operations.GET, async ({ params, caller, url }) => {
  const practitionerId = idParam(params.user_id, 'Practitioner');
  const query = parseQuery(url, operations.GET.query);
  const db = await getDb();
  const clinic = await clinicSnapshot(db, caller);
  // The caller's clinic's practitioners only: any other id is 404 before anything of it is read.
  const practitioner = practitionerIn(clinic, practitionerId);
  const type = appointmentTypeIn(clinic, query.appointment_type_id);
  const verdict = await checkSlot(db, {
    clinic: clinic.settings,
    practitionerId: practitioner.id,
    type,
    date: query.date,
    startTime: query.start_time,
    otherPractitionerIds: clinic.practitioners.map((p) => p.id),
  });
  return { body: verdict };
});
