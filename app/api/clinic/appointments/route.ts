import { idempotent } from '@/lib/api/idempotency';
import { readJson, route } from '@/lib/api/route';
import { bookAppointmentSchema } from '@/lib/schemas/agent';
import { bookAppointment } from '@/lib/services/booking';

export const POST = route({ allow: ['agent', 'user'] }, async ({ req, caller }) => {
  const body = await readJson(req, bookAppointmentSchema);
  return idempotent(req, caller, body, async (tx) => ({ status: 201, body: await bookAppointment(tx, caller, body) }));
});
