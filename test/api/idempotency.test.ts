import { spawn } from 'node:child_process';
import { and, count, eq } from 'drizzle-orm';
import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { POST as book } from '@/app/api/clinic/appointments/route';
import { POST as createException } from '@/app/api/clinic/practitioners/[user_id]/availability/exceptions/route';
import { appointments, calendarEvents, idempotencyKeys } from '@/lib/db/schema';
import { createAgentKey } from '@/lib/services/agent-keys';
import { useTestDatabase } from '../support/db';
import { makeClinicWithStaff, setWeek } from '../support/factories';
import { callRoute, sessionCookie } from '../support/http';

const DAY = '2031-06-04'; // a Wednesday

describe('Idempotency-Key survives a crash and a double tap', () => {
  const t = useTestDatabase();
  let c: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let key: string;

  beforeAll(async () => {
    c = await makeClinicWithStaff(t.db());
    key = (await createAgentKey(t.db(), { clinicSlug: c.clinic.slug, name: 'LINE agent' })).key;
    await setWeek(t.db(), c.practitioner.id, { 3: [['09:00', '18:00']] });
  });
  afterEach(() => {
    delete process.env.IDEMPOTENCY_WAIT_MS;
  });

  const booking = (start: string) => ({
    practitioner_id: c.practitioner.id,
    patient_id: c.patient.id,
    appointment_type_id: c.type.id,
    date: DAY,
    start_time: start,
  });
  const post = (body: unknown, idempotencyKey: string) =>
    callRoute(book, { method: 'POST', path: '/api/clinic/appointments', body, agentKey: key, headers: { 'idempotency-key': idempotencyKey } });
  const bookedAt = async (start: string) =>
    (
      await t
        .db()
        .select({ n: count() })
        .from(calendarEvents)
        .innerJoin(appointments, eq(appointments.calendarEventId, calendarEvents.id))
        .where(and(eq(calendarEvents.userId, c.practitioner.id), eq(calendarEvents.date, DAY), eq(calendarEvents.startTime, start)))
    )[0]!.n;

  /** Holds a row lock the booking's foreign-key check needs, so a booking stays in flight until released. */
  async function holdPatientRow(): Promise<{ release: () => Promise<void> }> {
    const client = new pg.Client({ connectionString: t.url() });
    await client.connect();
    await client.query('BEGIN');
    await client.query('SELECT id FROM patients WHERE id = $1 FOR UPDATE', [c.patient.id]);
    return {
      release: async () => {
        await client.query('ROLLBACK');
        await client.end();
      },
    };
  }
  const settled = <T>(p: Promise<T>) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 400))]);

  it('a server killed between commit and answer: the retry gets the committed answer, not 409, and books nothing twice', async () => {
    const body = booking('09:00');
    const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'test/api/support/book-and-die.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: t.url(),
        DATABASE_DRIVER: 'postgres',
        AGENT_KEY: key,
        IDEMPOTENCY_KEY: 'chat-7-turn-3',
        BOOKING_BODY: JSON.stringify(body),
      },
      stdio: 'pipe',
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const signal = await new Promise((resolve) => child.once('exit', (_code, sig) => resolve(sig)));
    expect(signal, output).toBe('SIGKILL');
    expect(output).toContain('committed');
    expect(output).not.toContain('answered');

    // The booking and its answer were committed together…
    expect(await bookedAt('09:00')).toBe(1);
    const [stored] = await t.db().select().from(idempotencyKeys).where(eq(idempotencyKeys.key, 'chat-7-turn-3'));
    expect(stored).toMatchObject({ responseStatus: 201, responseBody: expect.objectContaining({ start_time: '09:00', status: 'confirmed' }) });
    // …so the agent's retry is told the patient holds the slot, at once.
    const retry = await post(body, 'chat-7-turn-3');
    expect(retry).toEqual({ status: 201, body: stored!.responseBody });
    expect(await bookedAt('09:00')).toBe(1);
  });

  it('a repeat arriving while the first is still running waits for it and returns its answer', async () => {
    const lock = await holdPatientRow();
    const first = post(booking('10:00'), 'double-tap');
    await new Promise((r) => setTimeout(r, 150));
    const second = post(booking('10:00'), 'double-tap');
    // Both are in flight: the first waits on the row lock, the second on the first's claim.
    expect(await settled(first)).toBe(false);
    expect(await settled(second)).toBe(false);
    await lock.release();
    const [a, b] = await Promise.all([first, second]);
    expect(a.status).toBe(201);
    expect(b).toEqual(a);
    expect(await bookedAt('10:00')).toBe(1);
  });

  it('ten concurrent taps with one key: one booking, ten equal answers', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => post(booking('11:00'), 'ten-taps')));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    for (const r of results) expect(r.body).toEqual(results[0]!.body);
    expect(await bookedAt('11:00')).toBe(1);
  });

  it('the wait is bounded: a repeat of a request still running after the wait is 409 idempotency_conflict', async () => {
    process.env.IDEMPOTENCY_WAIT_MS = '300';
    const lock = await holdPatientRow();
    const first = post(booking('12:00'), 'slow-one');
    await new Promise((r) => setTimeout(r, 150));
    const second = await post(booking('12:00'), 'slow-one');
    expect(second).toMatchObject({ status: 409, body: { error: 'idempotency_conflict' } });
    await lock.release();
    expect((await first).status).toBe(201);
    expect(await bookedAt('12:00')).toBe(1);
  });

  it('the key covers the query string: ?confirm=true is another request', async () => {
    const cookie = await sessionCookie({ id: c.practitioner.id, clinicId: c.clinic.id, role: 'practitioner' });
    const path = `/api/clinic/practitioners/${c.practitioner.id}/availability/exceptions`;
    const call = (query: string) =>
      callRoute(createException, {
        method: 'POST',
        path: path + query,
        params: { user_id: String(c.practitioner.id) },
        cookie,
        body: { date: DAY, start_time: '16:00', end_time: '17:00' },
        headers: { 'idempotency-key': 'q-1' },
      });
    expect((await call('?confirm=true')).status).toBe(201);
    expect(await call('')).toMatchObject({ status: 409, body: { error: 'idempotency_conflict' } });
    expect((await call('?confirm=true')).status).toBe(201);
  });

  it('a failed request leaves its key free, and the corrected retry with it books', async () => {
    const taken = await post(booking('09:00'), 'after-error');
    expect(taken).toMatchObject({ status: 409, body: { error: 'slot_unavailable' } });
    expect(await t.db().select().from(idempotencyKeys).where(eq(idempotencyKeys.key, 'after-error'))).toHaveLength(0);
    // A different body with the same key is fine once nothing was stored for it.
    expect((await post(booking('13:00'), 'after-error')).status).toBe(201);
  });
});
