import { spawn } from 'node:child_process';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELETE as mcpDELETE, GET as mcpGET, POST as mcpPOST } from '@/app/api/mcp/route';
import { getDb, type Db } from '@/lib/db/client';
import { appointments, calendarEvents, patients } from '@/lib/db/schema';
import { createAgentKey } from '@/lib/services/agent-keys';
import { runConversation } from '@/scripts/agent-conversation';
import { useDriver } from '../support/drivers';
import { makeAppointment, makeClinicWithStaff, setWeek } from '../support/factories';
import { startRouteServer } from '../support/route-server';

const FROM = '2031-05-05'; // a Monday
const WEEKDAYS = Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [['09:00', '12:00'] as [string, string]]])) as Record<
  number,
  Array<[string, string]>
>;

for (const driver of ['postgres', 'pglite'] as const)
  describe(`the scripted agent conversation (npm run agent:demo) on ${driver}`, () => {
    useDriver(driver);
    let db: Db | undefined;
    let a: Awaited<ReturnType<typeof makeClinicWithStaff>>;
    let key: string;
    let server: Awaited<ReturnType<typeof startRouteServer>>;

    beforeAll(async () => {
      db = await getDb();
      a = await makeClinicWithStaff(db);
      await setWeek(db, a.practitioner.id, WEEKDAYS);
      // The first morning is half taken: 09:00 and 10:00 are booked.
      for (const [start, end] of [
        ['09:00', '10:00'],
        ['10:00', '11:00'],
      ] as const)
        await makeAppointment(db, {
          userId: a.practitioner.id,
          patientId: a.patient.id,
          appointmentTypeId: a.type.id,
          date: FROM,
          startTime: start,
          endTime: end,
        });
      key = (await createAgentKey(db, { clinicSlug: a.clinic.slug, name: 'LINE agent' })).key;
      server = await startRouteServer({ POST: mcpPOST, GET: mcpGET, DELETE: mcpDELETE });
      // PGlite's first open migrates in this process: slow on a loaded machine, so more than the default hook time.
    }, 180_000);
    afterAll(async () => {
      await server?.close();
    });

    it('finds or creates the patient, offers three free starts, books one, moves it and cancels it, printing each step', async () => {
      const lines: string[] = [];
      const lineUserId = `U${'b2'.repeat(16)}`;
      const result = await runConversation({
        url: server.url,
        key,
        lineUserId,
        name: '王小明',
        phone: '0912-345-678',
        from: FROM,
        print: (l) => lines.push(l),
      });
      const transcript = lines.join('\n');
      const [patient] = await db!.select().from(patients).where(eq(patients.lineUserId, lineUserId));
      expect(patient).toMatchObject({ fullName: '王小明', phoneNumber: '0912-345-678', clinicId: a.clinic.id });
      expect(result.patientId).toBe(patient!.id);
      // Three distinct starts of the two weeks asked, on the morning grid, never the booked 09:00 and 10:00 of the first day.
      expect(new Set(result.offered.map((o) => `${o.date} ${o.start_time}`)).size).toBe(3);
      for (const o of result.offered) {
        expect(o.date >= FROM && o.date <= '2031-05-18').toBe(true);
        expect(['09:00', '10:00', '11:00']).toContain(o.start_time);
        expect(o.date === FROM && o.start_time !== '11:00').toBe(false);
      }
      expect(result.offered).toHaveLength(3);
      expect(result.booked).toMatchObject({
        patient_id: patient!.id,
        status: 'confirmed',
        date: result.offered[0]!.date,
        start_time: result.offered[0]!.start_time,
      });
      expect(result.moved).toMatchObject({ calendar_event_id: result.booked.calendar_event_id, status: 'confirmed' });
      expect(result.moved.date > result.booked.date).toBe(true);
      // The server has hold_slot: the chosen start was held, and the booking used the hold.
      expect(result.held).toBe(true);
      expect(transcript).toContain('→ hold_slot ');
      expect(result.canceled).toMatchObject({ calendar_event_id: result.booked.calendar_event_id, status: 'canceled_by_patient' });
      const [row] = await db!
        .select({ status: appointments.status, date: calendarEvents.date })
        .from(appointments)
        .innerJoin(calendarEvents, eq(calendarEvents.id, appointments.calendarEventId))
        .where(eq(appointments.calendarEventId, result.booked.calendar_event_id));
      expect(row).toEqual({ status: 'canceled_by_patient', date: result.moved.date });
      for (const tool of [
        'find_or_create_patient',
        'list_appointment_types',
        'list_practitioners',
        'find_slots',
        'book_appointment',
        'list_patient_appointments',
        'reschedule_appointment',
        'cancel_appointment',
      ]) {
        expect(transcript).toContain(`→ ${tool} `);
      }
      expect(transcript).not.toContain('← ERROR');
      // A second run finds the same patient by LINE id, creating nobody.
      const again = await runConversation({ url: server.url, key, lineUserId, name: '別的名字', from: FROM, print: () => undefined });
      expect(again.patientId).toBe(patient!.id);
    });

    if (driver === 'postgres')
      it('runs as a command against a served app and exits 0', async () => {
        const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(
            'npx',
            ['tsx', 'scripts/agent-conversation.ts', '--url', server.url, '--key', key, '--line-user-id', `U${'c3'.repeat(16)}`, '--from', FROM],
            {
              env: { ...process.env },
            },
          );
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (d) => (stdout += d));
          child.stderr.on('data', (d) => (stderr += d));
          child.on('close', (code) => resolve({ code, stdout, stderr }));
        });
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        expect(run.stdout).toContain('→ book_appointment');
        expect(run.stdout).toContain('canceled_by_patient');
      }, 60_000);
  });
