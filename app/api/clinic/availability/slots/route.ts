import { parseQuery, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { appointmentTypeIn, clinicSnapshot } from '@/lib/queries/clinic-cache';
import { slotsByPractitioner } from '@/lib/queries/slots';
import { operations } from './operation';

/** "Is anyone free on this day?": every practitioner of the clinic with their slots, in one pass. */
export const GET = route(operations.GET, async ({ caller, url }) => {
  const { date, appointment_type_id } = parseQuery(url, operations.GET.query);
  const db = await getDb();
  const clinic = await clinicSnapshot(db, caller);
  const type = appointmentTypeIn(clinic, appointment_type_id);
  const practitioners = clinic.practitioners;
  const slots = await slotsByPractitioner(db, {
    clinic: clinic.settings,
    practitionerIds: practitioners.map((p) => p.id),
    type,
    from: date,
    to: date,
    recommend: { types: [...clinic.types.values()] },
  });
  return {
    body: { date, practitioners: practitioners.map((p) => ({ id: p.id, name: p.name, available_slots: slots.get(p.id)![0]!.available_slots })) },
  };
});
