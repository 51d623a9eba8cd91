import { idempotent } from '@/lib/api/idempotency';
import { idParam, readJson, route } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';
import { clinicSnapshot } from '@/lib/queries/clinic-cache';
import { rescheduleAppointment } from '@/lib/services/reschedule';
import { operations } from './operation';

export const POST = route(operations.POST, async ({ req, params, caller }) => {
  const calendarEventId = idParam(params.calendar_event_id, 'Appointment');
  const body = await readJson(req, operations.POST.body);
  // Read before the transaction (no second connection while it holds one); warm, it costs no query.
  const clinic = await clinicSnapshot(await getDb(), caller);
  return idempotent(req, caller, body, async (tx) => ({
    status: 200,
    body: await rescheduleAppointment(tx, caller, { ...body, calendarEventId, clinic }),
  }));
});
