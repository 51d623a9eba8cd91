import { idempotent } from '@/lib/api/idempotency';
import { readJson, route } from '@/lib/api/route';
import { bookAppointment } from '@/lib/services/booking';
import { operations } from './operation';

export const POST = route(operations.POST, async ({ req, caller }) => {
  const body = await readJson(req, operations.POST.body);
  return idempotent(req, caller, body, async (tx) => ({ status: 201, body: await bookAppointment(tx, caller, body) }));
});
