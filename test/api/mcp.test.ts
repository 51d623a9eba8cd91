import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELETE as mcpDELETE, GET as mcpGET, POST as mcpPOST } from '@/app/api/mcp/route';
import { POST as bookREST } from '@/app/api/clinic/appointments/route';
import { GET as clinicSlotsREST } from '@/app/api/clinic/availability/slots/route';
import { GET as patientAppointmentsREST } from '@/app/api/clinic/patients/[patient_id]/appointments/route';
import { GET as slotsREST } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/route';
import { GET as practitionersREST } from '@/app/api/clinic/practitioners/route';
import { GET as typesREST } from '@/app/api/clinic/appointment-types/route';
import { MCP_TOOLS } from '@/lib/api/mcp/tools';
import { getDb, type Db } from '@/lib/db/client';
import { agentKeys, appointments, auditLog, calendarEvents } from '@/lib/db/schema';
import { createAgentKey } from '@/lib/services/agent-keys';
import { useDriver } from '../support/drivers';
import { makeAppointment, makeClinicWithStaff, setWeek } from '../support/factories';
import { callRoute, sessionCookie } from '../support/http';
import { connectMcpClient, startRouteServer } from '../support/route-server';

const WED = '2031-04-09';
const THU = '2031-04-10';
const FRI = '2031-04-11';
const WEEKDAYS = Object.fromEntries(
  [1, 2, 3, 4, 5].map((d) => [d, [['09:00', '12:00'] as [string, string], ['14:00', '18:00'] as [string, string]]]),
) as Record<number, Array<[string, string]>>;
const LINE_ID = `U${'a1'.repeat(16)}`;

/** A tool's answer: the JSON of its text, and whether it is a tool error. */
async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  const content = result.content as Array<{ type: string; text: string }>;
  expect(content).toHaveLength(1);
  expect(content[0]!.type).toBe('text');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { isError: result.isError === true, body: JSON.parse(content[0]!.text) as any };
}

for (const driver of ['postgres', 'pglite'] as const)
  describe(`MCP server /api/mcp on ${driver}`, () => {
    useDriver(driver);
    let db: Db | undefined;
    const t = { db: () => db! };
    let a: Awaited<ReturnType<typeof makeClinicWithStaff>>;
    let b: Awaited<ReturnType<typeof makeClinicWithStaff>>;
    let keyA: string;
    let keyAId: number;
    let keyB: string;
    let server: Awaited<ReturnType<typeof startRouteServer>>;
    let client: Client;
    let clientB: Client;

    beforeAll(async () => {
      db = await getDb();
      a = await makeClinicWithStaff(t.db());
      b = await makeClinicWithStaff(t.db());
      await setWeek(t.db(), a.practitioner.id, WEEKDAYS);
      await setWeek(t.db(), a.colleague.id, WEEKDAYS);
      await setWeek(t.db(), b.practitioner.id, WEEKDAYS);
      const created = await createAgentKey(t.db(), { clinicSlug: a.clinic.slug, name: 'LINE agent' });
      keyA = created.key;
      keyAId = (await t.db().select({ id: agentKeys.id }).from(agentKeys).where(eq(agentKeys.clinicId, a.clinic.id)))[0]!.id;
      keyB = (await createAgentKey(t.db(), { clinicSlug: b.clinic.slug, name: 'agent B' })).key;
      server = await startRouteServer({ POST: mcpPOST, GET: mcpGET, DELETE: mcpDELETE });
      client = await connectMcpClient(`${server.url}/api/mcp`, keyA);
      clientB = await connectMcpClient(`${server.url}/api/mcp`, keyB);
      // PGlite's first open migrates in this process: slow on a loaded machine, so more than the default hook time.
    }, 180_000);

    afterAll(async () => {
      await client?.close();
      await clientB?.close();
      await server?.close();
    });

    const rest = (handler: Parameters<typeof callRoute>[0], path: string, params: Record<string, string> = {}) =>
      callRoute(handler, { path, params, agentKey: keyA });

    it('lists every tool with an object input schema, a description for an LLM with a zh-TW example', async () => {
      const { tools } = await client.listTools();
      expect(tools.map((x) => x.name)).toEqual(MCP_TOOLS.map((x) => x.name));
      for (const name of [
        'list_practitioners',
        'list_appointment_types',
        'find_slots',
        'find_or_create_patient',
        'list_patient_appointments',
        'hold_slot',
        'release_hold',
        'book_appointment',
        'reschedule_appointment',
        'cancel_appointment',
      ]) {
        const tool = tools.find((x) => x.name === name);
        expect(tool, name).toBeDefined();
        expect(tool!.inputSchema.type).toBe('object');
        expect(tool!.description).toMatch(/[\u4e00-\u9fff]/);
        expect(tool!.description).toContain('validation_error');
      }
      const book = tools.find((x) => x.name === 'book_appointment')!;
      expect(Object.keys(book.inputSchema.properties ?? {})).toEqual(
        expect.arrayContaining(['practitioner_id', 'patient_id', 'appointment_type_id', 'date', 'start_time', 'idempotency_key']),
      );
      expect(book.inputSchema.required).toEqual(
        expect.arrayContaining(['practitioner_id', 'patient_id', 'appointment_type_id', 'date', 'start_time']),
      );
      expect(book.description).toContain('slot_unavailable');
      expect(book.description).toContain('alternatives');
      const slots = tools.find((x) => x.name === 'find_slots')!;
      expect(slots.inputSchema.required).toEqual(['appointment_type_id']);
    });

    it('answers the reads as the REST routes do', async () => {
      expect(await call(client, 'list_practitioners')).toEqual({
        isError: false,
        body: (await rest(practitionersREST, '/api/clinic/practitioners')).body,
      });
      expect(await call(client, 'list_appointment_types')).toEqual({
        isError: false,
        body: (await rest(typesREST, '/api/clinic/appointment-types')).body,
      });
      const p = a.practitioner.id;
      const day = await call(client, 'find_slots', { practitioner_id: p, date: WED, appointment_type_id: a.type.id });
      const restDay = await rest(slotsREST, `/api/clinic/practitioners/${p}/availability/slots?date=${WED}&appointment_type_id=${a.type.id}`, {
        user_id: String(p),
      });
      expect(day.isError).toBe(false);
      expect(day.body).toEqual({ practitioner_id: p, date: WED, available_slots: restDay.body.available_slots });
      expect(day.body.available_slots.map((s: { start_time: string }) => s.start_time)).toEqual([
        '09:00',
        '10:00',
        '11:00',
        '14:00',
        '15:00',
        '16:00',
        '17:00',
      ]);
      const range = await call(client, 'find_slots', { practitioner_id: p, from: WED, to: FRI, appointment_type_id: a.type.id });
      const restRange = await rest(
        slotsREST,
        `/api/clinic/practitioners/${p}/availability/slots?from=${WED}&to=${FRI}&appointment_type_id=${a.type.id}`,
        {
          user_id: String(p),
        },
      );
      expect(range.body).toEqual({ practitioner_id: p, days: restRange.body.days });
      expect(range.body.days.map((d: { date: string }) => d.date)).toEqual([WED, THU, FRI]);
      const everyone = await call(client, 'find_slots', { date: WED, appointment_type_id: a.type.id });
      expect(everyone.body).toEqual(
        (await rest(clinicSlotsREST, `/api/clinic/availability/slots?date=${WED}&appointment_type_id=${a.type.id}`)).body,
      );
      expect(everyone.body.practitioners.map((x: { id: number }) => x.id)).toEqual([a.practitioner.id, a.colleague.id]);
    });

    it('finds the patient by LINE id, creates a new one, and lists their appointments', async () => {
      expect(await call(client, 'find_or_create_patient', { line_user_id: LINE_ID })).toEqual({
        isError: false,
        body: { found: false, created: false, patient: null },
      });
      const created = await call(client, 'find_or_create_patient', { line_user_id: LINE_ID, full_name: '王小明', phone_number: '0912-345-678' });
      expect(created.body).toMatchObject({
        found: false,
        created: true,
        patient: { full_name: '王小明', phone_number: '0912-345-678', line_user_id: LINE_ID },
      });
      const found = await call(client, 'find_or_create_patient', { line_user_id: LINE_ID });
      expect(found.body).toEqual({ found: true, created: false, patient: created.body.patient });
      // With a name again: the existing patient, not a duplicate.
      expect((await call(client, 'find_or_create_patient', { line_user_id: LINE_ID, full_name: '王小明' })).body).toEqual({
        found: true,
        created: false,
        patient: created.body.patient,
      });
      await makeAppointment(t.db(), {
        userId: a.practitioner.id,
        patientId: a.patient.id,
        appointmentTypeId: a.type.id,
        date: THU,
        startTime: '09:00',
        endTime: '10:00',
      });
      const listed = await call(client, 'list_patient_appointments', { patient_id: a.patient.id });
      expect(listed.isError).toBe(false);
      expect(listed.body).toEqual(
        (await rest(patientAppointmentsREST, `/api/clinic/patients/${a.patient.id}/appointments`, { patient_id: String(a.patient.id) })).body,
      );
      expect(listed.body.appointments[0]).toMatchObject({ date: THU, start_time: '09:00', status: 'confirmed', practitioner_name: 'Dr. Chen' });
    });

    it('books, moves and cancels, with the audit entries a REST booking writes', async () => {
      const p = a.practitioner.id;
      const booked = await call(client, 'book_appointment', {
        practitioner_id: p,
        patient_id: a.patient.id,
        appointment_type_id: a.type.id,
        date: FRI,
        start_time: '10:00',
      });
      expect(booked).toMatchObject({
        isError: false,
        body: { practitioner_id: p, patient_id: a.patient.id, date: FRI, start_time: '10:00', end_time: '11:00', status: 'confirmed' },
      });
      const id = booked.body.calendar_event_id as number;
      const moved = await call(client, 'reschedule_appointment', { calendar_event_id: id, date: FRI, start_time: '15:00' });
      expect(moved).toMatchObject({
        isError: false,
        body: { calendar_event_id: id, date: FRI, start_time: '15:00', end_time: '16:00', status: 'confirmed' },
      });
      const canceled = await call(client, 'cancel_appointment', { calendar_event_id: id });
      expect(canceled).toMatchObject({ isError: false, body: { calendar_event_id: id, status: 'canceled_by_patient', already_canceled: false } });
      // Again: nothing changes.
      expect((await call(client, 'cancel_appointment', { calendar_event_id: id })).body).toMatchObject({ already_canceled: true });

      // A REST booking by the same key, for comparison.
      const viaRest = await callRoute(bookREST, {
        method: 'POST',
        path: '/api/clinic/appointments',
        body: { practitioner_id: p, patient_id: a.patient.id, appointment_type_id: a.type.id, date: FRI, start_time: '11:00' },
        agentKey: keyA,
      });
      expect(viaRest.status).toBe(201);
      const entries = await t
        .db()
        .select({ action: auditLog.action, actorType: auditLog.actorType, actorAgentKeyId: auditLog.actorAgentKeyId, entityId: auditLog.entityId })
        .from(auditLog)
        .where(and(eq(auditLog.clinicId, a.clinic.id), eq(auditLog.actorType, 'agent')))
        .orderBy(asc(auditLog.id));
      const of = (entityId: number) =>
        entries.filter((e) => e.entityId === String(entityId) && e.action.startsWith('appointment.')).map((e) => e.action);
      expect(of(id)).toEqual(['appointment.booked', 'appointment.rescheduled', 'appointment.canceled_by_patient']);
      expect(of(viaRest.body.calendar_event_id)).toEqual(['appointment.booked']);
      expect(entries.every((e) => e.actorAgentKeyId === keyAId)).toBe(true);
    });

    it('refuses a taken time as a tool error with slot_unavailable, and the session answers the next call', async () => {
      await makeAppointment(t.db(), {
        userId: a.colleague.id,
        patientId: a.patient.id,
        appointmentTypeId: a.type.id,
        date: WED,
        startTime: '14:00',
        endTime: '15:00',
      });
      const refused = await call(client, 'book_appointment', {
        practitioner_id: a.colleague.id,
        patient_id: a.patient.id,
        appointment_type_id: a.type.id,
        date: WED,
        start_time: '14:00',
      });
      expect(refused.isError).toBe(true);
      expect(refused.body).toMatchObject({ error: 'slot_unavailable', message: expect.any(String), details: { date: WED, start_time: '14:00' } });
      // Why, and what instead: free starts to offer, nearest first; the first one books.
      expect(refused.body.details.reason).toBe('booked');
      const alternatives = refused.body.details.alternatives as Array<{ practitioner_id: number; date: string; start_time: string }>;
      expect(alternatives.length).toBeGreaterThan(0);
      expect(alternatives.length).toBeLessThanOrEqual(5);
      const { practitioner_id, date, start_time } = alternatives[0]!;
      expect(
        await call(client, 'book_appointment', { practitioner_id, date, start_time, patient_id: a.patient.id, appointment_type_id: a.type.id }),
      ).toMatchObject({
        isError: false,
        body: { practitioner_id, date, start_time, status: 'confirmed' },
      });
      // The same session, the next call.
      expect((await call(client, 'list_practitioners')).isError).toBe(false);
      const moveRefused = await call(client, 'reschedule_appointment', {
        calendar_event_id: (
          await makeAppointment(t.db(), {
            userId: a.colleague.id,
            patientId: a.patient.id,
            appointmentTypeId: a.type.id,
            date: WED,
            startTime: '16:00',
            endTime: '17:00',
          })
        ).id,
        date: WED,
        start_time: '14:00',
      });
      expect(moveRefused).toMatchObject({ isError: true, body: { error: 'slot_unavailable' } });
    });

    it('answers bad arguments with validation_error naming them, and unknown tools too', async () => {
      const bad = await call(client, 'book_appointment', {
        practitioner_id: a.practitioner.id,
        patient_id: 'one',
        appointment_type_id: a.type.id,
        date: '2031-02-30',
        start_time: '25:00',
      });
      expect(bad.isError).toBe(true);
      expect(bad.body.error).toBe('validation_error');
      expect(bad.body.details.issues.map((i: { path: string[] }) => i.path[0]).sort()).toEqual(['date', 'patient_id', 'start_time']);
      const extra = await call(client, 'list_practitioners', { clinic_id: b.clinic.id });
      expect(extra).toMatchObject({ isError: true, body: { error: 'validation_error' } });
      const range = await call(client, 'find_slots', { practitioner_id: a.practitioner.id, from: FRI, to: WED, appointment_type_id: a.type.id });
      expect(range).toMatchObject({ isError: true, body: { error: 'validation_error' } });
      const everyoneRange = await call(client, 'find_slots', { from: WED, to: FRI, appointment_type_id: a.type.id });
      expect(everyoneRange).toMatchObject({ isError: true, body: { error: 'validation_error' } });
      expect(await call(client, 'find_or_create_patient', {})).toMatchObject({ isError: true, body: { error: 'validation_error' } });
      expect(await call(client, 'no_such_tool')).toMatchObject({ isError: true, body: { error: 'validation_error' } });
      expect((await call(client, 'list_appointment_types')).isError).toBe(false);
    });

    it("keeps each agent to its own clinic: another clinic's ids are not found", async () => {
      const apptA = await makeAppointment(t.db(), {
        userId: a.practitioner.id,
        patientId: a.patient.id,
        appointmentTypeId: a.type.id,
        date: THU,
        startTime: '16:00',
        endTime: '17:00',
      });
      expect(await call(clientB, 'list_patient_appointments', { patient_id: a.patient.id })).toMatchObject({
        isError: true,
        body: { error: 'not_found' },
      });
      expect(await call(clientB, 'find_or_create_patient', { line_user_id: LINE_ID })).toMatchObject({
        isError: false,
        body: { found: false, patient: null },
      });
      expect(await call(clientB, 'find_slots', { practitioner_id: a.practitioner.id, date: WED, appointment_type_id: b.type.id })).toMatchObject({
        isError: true,
        body: { error: 'not_found' },
      });
      expect(
        await call(clientB, 'book_appointment', {
          practitioner_id: a.practitioner.id,
          patient_id: a.patient.id,
          appointment_type_id: a.type.id,
          date: FRI,
          start_time: '09:00',
        }),
      ).toMatchObject({ isError: true, body: { error: 'not_found' } });
      expect(await call(clientB, 'reschedule_appointment', { calendar_event_id: apptA.id, date: FRI, start_time: '09:00' })).toMatchObject({
        isError: true,
        body: { error: 'not_found' },
      });
      expect(await call(clientB, 'cancel_appointment', { calendar_event_id: apptA.id })).toMatchObject({
        isError: true,
        body: { error: 'not_found' },
      });
      const [row] = await t.db().select({ status: appointments.status }).from(appointments).where(eq(appointments.calendarEventId, apptA.id));
      expect(row!.status).toBe('confirmed');
      expect((await call(clientB, 'list_practitioners')).body).toEqual([
        { id: b.practitioner.id, name: 'Dr. Chen' },
        { id: b.colleague.id, name: 'Dr. Lin' },
      ]);
    });

    it('books once for a repeated idempotency_key', async () => {
      const args = {
        practitioner_id: a.colleague.id,
        patient_id: a.patient.id,
        appointment_type_id: a.type.id,
        date: THU,
        start_time: '10:00',
        idempotency_key: 'mcp-retry-1',
      };
      const first = await call(client, 'book_appointment', args);
      const again = await call(client, 'book_appointment', args);
      expect(first.isError).toBe(false);
      expect(again).toEqual(first);
      const other = await call(client, 'book_appointment', { ...args, start_time: '11:00' });
      expect(other).toMatchObject({ isError: true, body: { error: 'idempotency_conflict' } });
      const rows = await t
        .db()
        .select({ id: calendarEvents.id })
        .from(calendarEvents)
        .where(and(eq(calendarEvents.userId, a.colleague.id), eq(calendarEvents.date, THU)));
      expect(rows).toHaveLength(1);
    });

    it('holds a start for one agent: others are not offered it, cannot hold or book it; the holder books it with hold_id or releases it', async () => {
      const second = await connectMcpClient(
        `${server.url}/api/mcp`,
        (await createAgentKey(t.db(), { clinicSlug: a.clinic.slug, name: 'second agent' })).key,
      );
      try {
        const p = a.colleague.id;
        const slot = { practitioner_id: p, appointment_type_id: a.type.id, date: FRI, start_time: '16:00' };
        const starts = async (c: Client) =>
          (await call(c, 'find_slots', { practitioner_id: p, date: FRI, appointment_type_id: a.type.id })).body.available_slots.map(
            (s: { start_time: string }) => s.start_time,
          );
        expect(await starts(second)).toContain('16:00');
        // Two agents hold the same start at once: exactly one hold.
        const [x, y] = await Promise.all([call(client, 'hold_slot', slot), call(second, 'hold_slot', slot)]);
        expect([x, y].filter((r) => !r.isError)).toHaveLength(1);
        const refused = x.isError ? x : y;
        expect(refused.body).toMatchObject({ error: 'slot_unavailable', details: { reason: 'held' } });
        const [holder, other] = x.isError ? [second, client] : [client, second];
        const hold = (x.isError ? y : x).body;
        expect(hold).toMatchObject({ hold_id: expect.any(Number), practitioner_id: p, date: FRI, start_time: '16:00', end_time: '17:00' });
        expect(Date.parse(hold.expires_at)).toBeGreaterThan(Date.now());
        expect(await starts(other)).not.toContain('16:00');
        expect(await call(other, 'book_appointment', { ...slot, patient_id: a.patient.id })).toMatchObject({
          isError: true,
          body: { error: 'slot_unavailable', details: { reason: 'held' } },
        });
        const booked = await call(holder, 'book_appointment', { ...slot, patient_id: a.patient.id, hold_id: hold.hold_id });
        expect(booked).toMatchObject({ isError: false, body: { date: FRI, start_time: '16:00', status: 'confirmed' } });
        // Used up: neither bookable again nor releasable.
        expect(await call(holder, 'release_hold', { hold_id: hold.hold_id })).toMatchObject({ isError: true, body: { error: 'not_found' } });

        // A released hold gives the start back at once.
        const slot2 = { ...slot, start_time: '17:00' };
        const hold2 = await call(client, 'hold_slot', slot2);
        expect(await starts(second)).not.toContain('17:00');
        expect(await call(client, 'release_hold', { hold_id: hold2.body.hold_id })).toMatchObject({
          isError: false,
          body: { hold_id: hold2.body.hold_id },
        });
        expect(await starts(second)).toContain('17:00');
        // Another clinic's agent cannot release or use this clinic's hold.
        const hold3 = await call(client, 'hold_slot', slot2);
        expect(await call(clientB, 'release_hold', { hold_id: hold3.body.hold_id })).toMatchObject({ isError: true, body: { error: 'not_found' } });
        expect(await call(client, 'release_hold', { hold_id: hold3.body.hold_id })).toMatchObject({ isError: false });
      } finally {
        await second.close();
      }
    });

    const rawPost = (headers: Record<string, string>, body: unknown = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }) =>
      fetch(`${server.url}/api/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify(body),
      });

    it('refuses a missing, unknown or revoked key (401), a session (403), and GET/DELETE (405)', async () => {
      const none = await rawPost({});
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await none.json()).toMatchObject({ error: 'unauthorized' });
      expect((await rawPost({ authorization: 'Bearer cbk_not-a-key' })).status).toBe(401);
      await expect(connectMcpClient(`${server.url}/api/mcp`, 'cbk_not-a-key')).rejects.toThrow();

      const revoked = await createAgentKey(t.db(), { clinicSlug: a.clinic.slug, name: 'to revoke' });
      const revokedClient = await connectMcpClient(`${server.url}/api/mcp`, revoked.key);
      expect((await call(revokedClient, 'list_practitioners')).isError).toBe(false);
      await t.db().update(agentKeys).set({ revokedAt: new Date() }).where(eq(agentKeys.name, 'to revoke'));
      await expect(revokedClient.callTool({ name: 'list_practitioners', arguments: {} })).rejects.toThrow();
      expect((await rawPost({ authorization: `Bearer ${revoked.key}` })).status).toBe(401);
      await revokedClient.close().catch(() => undefined);

      const cookie = await sessionCookie({ id: a.admin.id, clinicId: a.clinic.id, role: 'admin' });
      const session = await rawPost({ cookie });
      expect(session.status).toBe(403);
      expect(await session.json()).toMatchObject({ error: 'forbidden' });

      for (const method of ['GET', 'DELETE']) {
        const res = await fetch(`${server.url}/api/mcp`, { method, headers: { authorization: `Bearer ${keyA}`, accept: 'text/event-stream' } });
        expect(res.status).toBe(405);
        expect(res.headers.get('allow')).toBe('POST');
      }
      // The good key's session still answers.
      expect((await call(client, 'list_practitioners')).isError).toBe(false);
    });

    it("counts every MCP request against the key's per-minute limit (429 rate_limited)", async () => {
      const limited = await createAgentKey(t.db(), { clinicSlug: a.clinic.slug, name: 'limited' });
      process.env.AGENT_RATE_LIMIT_PER_MINUTE = '3';
      try {
        const auth = { authorization: `Bearer ${limited.key}` };
        const answers: Response[] = [];
        for (let i = 0; i < 7; i++) answers.push(await rawPost(auth));
        // At most 3 of one minute pass, and 7 requests span at most two minutes.
        const over = answers.find((r) => r.status === 429);
        expect(over).toBeDefined();
        expect(answers.filter((r) => r.status === 200).length).toBeLessThanOrEqual(6);
        expect(over!.headers.get('retry-after')).toMatch(/^[0-9]+$/);
        expect(await over!.json()).toMatchObject({ error: 'rate_limited', details: { limit_per_minute: 3 } });
      } finally {
        delete process.env.AGENT_RATE_LIMIT_PER_MINUTE;
      }
    });
  });
