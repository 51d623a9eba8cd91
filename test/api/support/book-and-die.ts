// A server process, for the idempotency crash test: it books through the real route with an
// Idempotency-Key and is killed by SIGKILL the moment its transaction has committed, before the
// answer can reach the client. The pg driver is wrapped here, in this child only, to find that
// moment; the app's code runs unchanged.
import pg from 'pg';
import { POST as book } from '../../../app/api/clinic/appointments/route';

type Query = (this: pg.Client, ...args: unknown[]) => unknown;
const query = pg.Client.prototype.query as unknown as Query;
(pg.Client.prototype as unknown as { query: Query }).query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string };
  const text = typeof first === 'string' ? first : first?.text;
  const result = query.apply(this, args);
  if (typeof text === 'string' && /^\s*commit\s*;?\s*$/i.test(text) && result instanceof Promise) {
    return result.then((r) => {
      process.stdout.write('committed\n');
      process.kill(process.pid, 'SIGKILL');
      return r;
    });
  }
  return result;
};

const req = new Request('http://localhost:3000/api/clinic/appointments', {
  method: 'POST',
  headers: { authorization: `Bearer ${process.env.AGENT_KEY}`, 'idempotency-key': process.env.IDEMPOTENCY_KEY!, 'content-type': 'application/json' },
  body: process.env.BOOKING_BODY,
});
const res = await book(req as never, { params: Promise.resolve({}) });
// Reaching this line means the process was not killed: the test fails on it.
process.stdout.write(`answered ${res.status}\n`);
process.exit(0);
