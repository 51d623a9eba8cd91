import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as patientAppointmentsRoute } from '@/app/api/clinic/patients/[patient_id]/appointments/route';
import { GET as findPatientsRoute } from '@/app/api/clinic/patients/route';
import { getDb, type Db } from '@/lib/db/client';
import { users } from '@/lib/db/schema';
import { listPatientAppointments } from '@/lib/queries/patients';
import { patientAppointmentList, patientList } from '@/lib/schemas/responses';
import { createAgentKey } from '@/lib/services/agent-keys';
import { fixedClock } from '@/lib/time/clock';
import { dbFingerprint } from '../support/db-fingerprint';
import { useDriver } from '../support/drivers';
import { makeAppointment, makeAppointmentType, makeClinicWithStaff, makePatient } from '../support/factories';
import { callRoute, staffCookies } from '../support/http';

// CONTRACT "Agent reads": the agent finds the patient it is chatting with by LINE user id and reads
// that patient's appointments ("when is my appointment?"); another clinic's patient is not found.

const LINE_ID = `U${'4af4980629a1b2c3'.repeat(2)}`;

for (const driver of ['postgres', 'pglite'] as const) {
  describe(`the agent's patient reads on ${driver}`, () => {
    useDriver(driver);
    let db: Db;
    let a: Awaited<ReturnType<typeof makeClinicWithStaff>>;
    let b: Awaited<ReturnType<typeof makeClinicWithStaff>>;
    let agentKey: string;
    let otherKey: string;
    let cookie: string;
    let patient: Awaited<ReturnType<typeof makePatient>>;

    beforeAll(async () => {
      db = await getDb();
      a = await makeClinicWithStaff(db);
      b = await makeClinicWithStaff(db);
      agentKey = (await createAgentKey(db, { clinicSlug: a.clinic.slug, name: 'reads A' })).key;
      otherKey = (await createAgentKey(db, { clinicSlug: b.clinic.slug, name: 'reads B' })).key;
      cookie = (await staffCookies(a)).admin;
      patient = await makePatient(db, { clinicId: a.clinic.id, fullName: '王小明', phoneNumber: '0912-345-678', lineUserId: LINE_ID });
      // The same LINE user writes to clinic B too: a patient of B's own.
      await makePatient(db, { clinicId: b.clinic.id, fullName: '王先生', lineUserId: LINE_ID });
    });

    const find = (query: string, auth: { agentKey?: string; cookie?: string }) =>
      callRoute(findPatientsRoute, { path: `/api/clinic/patients${query}`, ...auth });
    const appointmentsOf = (patientId: number | string, auth: { agentKey?: string; cookie?: string }) =>
      callRoute(patientAppointmentsRoute, {
        path: `/api/clinic/patients/${patientId}/appointments`,
        params: { patient_id: String(patientId) },
        ...auth,
      });

    describe('GET /patients?line_user_id=', () => {
      it("finds the clinic's patient with that LINE user id, as a list of one", async () => {
        const res = await find(`?line_user_id=${LINE_ID}`, { agentKey });
        expect(res).toEqual({
          status: 200,
          body: [{ id: patient.id, full_name: '王小明', phone_number: '0912-345-678', line_user_id: LINE_ID }],
        });
        expect(patientList.safeParse(res.body).error ?? null).toBeNull();
      });

      it('answers staff the same way', async () => {
        expect((await find(`?line_user_id=${LINE_ID}`, { cookie })).body).toEqual([expect.objectContaining({ id: patient.id })]);
      });

      it("never answers with another clinic's patient", async () => {
        const res = await find(`?line_user_id=${LINE_ID}`, { agentKey: otherKey });
        expect(res.status).toBe(200);
        expect(res.body).toHaveLength(1);
        expect(res.body[0].id).not.toBe(patient.id);
        expect(res.body[0].full_name).toBe('王先生');
      });

      it('an unknown LINE user id is an empty list', async () => {
        expect(await find(`?line_user_id=U${'0'.repeat(32)}`, { agentKey })).toEqual({ status: 200, body: [] });
      });

      it.each([
        ['no line_user_id (the patients are not listed)', '', 'agent'],
        ['an empty one', '?line_user_id=', 'both'],
        ['too short', '?line_user_id=U1234', 'both'],
        ['upper-case hex', `?line_user_id=U${'4AF4980629A1B2C3'.repeat(2)}`, 'both'],
        ['no U', `?line_user_id=${'a'.repeat(33)}`, 'both'],
        // Staff may search by name (test/api/patient-search.test.ts); the agent may not.
        ['a name search', '?q=%E7%8E%8B', 'agent'],
        ['an extra parameter', `?line_user_id=${LINE_ID}&limit=100`, 'both'],
      ])('%s is a 400 validation_error and changes nothing', async (_what, query, who) => {
        for (const auth of who === 'both' ? [{ agentKey }, { cookie }] : [{ agentKey }]) {
          const before = await dbFingerprint(db);
          const res = await find(query, auth);
          expect(res.status).toBe(400);
          expect(res.body).toMatchObject({ error: 'validation_error', details: { issues: expect.any(Array) } });
          expect(await dbFingerprint(db)).toEqual(before);
        }
      });
    });

    describe('GET /patients/{id}/appointments', () => {
      it('lists upcoming confirmed appointments first (soonest first), then the rest newest first', async () => {
        const p = await makePatient(db, { clinicId: a.clinic.id, fullName: '林小姐' });
        const other = await makeAppointmentType(db, { clinicId: a.clinic.id, name: '複診', durationMinutes: 30 });
        const make = (
          date: string,
          startTime: string,
          endTime: string,
          v: { userId?: number; typeId?: number; status?: 'canceled_by_patient' } = {},
        ) =>
          makeAppointment(db, {
            userId: v.userId ?? a.practitioner.id,
            patientId: p.id,
            appointmentTypeId: v.typeId ?? a.type.id,
            date,
            startTime,
            endTime,
            status: v.status,
          });
        // Now: 2026-03-10 10:30 in Asia/Taipei.
        const ended = await make('2026-03-10', '09:00', '10:00');
        const inProgress = await make('2026-03-10', '10:00', '11:00');
        const later = await make('2026-04-01', '14:00', '14:30', { userId: a.colleague.id, typeId: other.id });
        const soon = await make('2026-03-12', '09:00', '10:00');
        const canceled = await make('2026-03-20', '09:00', '10:00', { status: 'canceled_by_patient' });
        const past = await make('2026-02-01', '15:00', '16:00');
        const caller = { kind: 'agent' as const, clinicId: a.clinic.id, agentKeyId: 1 };
        const list = await listPatientAppointments(db, caller, { patientId: p.id, clock: fixedClock('2026-03-10T02:30:00Z') });
        expect(list.appointments.map((x) => x.calendar_event_id)).toEqual([inProgress.id, soon.id, later.id, canceled.id, ended.id, past.id]);
        expect(list.appointments[2]).toEqual({
          calendar_event_id: later.id,
          practitioner_id: a.colleague.id,
          practitioner_name: 'Dr. Lin',
          appointment_type_id: other.id,
          appointment_type_name: '複診',
          date: '2026-04-01',
          start_time: '14:00',
          end_time: '14:30',
          status: 'confirmed',
        });
        expect(list.appointments[3]!.status).toBe('canceled_by_patient');
        expect(patientAppointmentList.safeParse(list).error ?? null).toBeNull();

        // A deactivated practitioner's appointments stay in the patient's history, by name.
        await db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, a.colleague.id));
        const after = await listPatientAppointments(db, caller, { patientId: p.id, clock: fixedClock('2026-03-10T02:30:00Z') });
        expect(after.appointments.find((x) => x.calendar_event_id === later.id)?.practitioner_name).toBe('Dr. Lin');
        await db.update(users).set({ deactivatedAt: null }).where(eq(users.id, a.colleague.id));
      });

      it("answers the agent and staff through the route, in the contract's shape", async () => {
        const event = await makeAppointment(db, {
          userId: a.practitioner.id,
          patientId: patient.id,
          appointmentTypeId: a.type.id,
          date: '2031-03-05',
          startTime: '09:00',
          endTime: '10:00',
        });
        for (const auth of [{ agentKey }, { cookie }]) {
          const res = await appointmentsOf(patient.id, auth);
          expect(res.status).toBe(200);
          expect(patientAppointmentList.safeParse(res.body).error ?? null).toBeNull();
          expect(res.body.appointments[0]).toMatchObject({
            calendar_event_id: event.id,
            date: '2031-03-05',
            start_time: '09:00',
            status: 'confirmed',
          });
        }
      });

      it('lists at most 50', async () => {
        const p = await makePatient(db, { clinicId: a.clinic.id, fullName: '常客' });
        for (let i = 0; i < 55; i++) {
          await makeAppointment(db, {
            userId: a.practitioner.id,
            patientId: p.id,
            appointmentTypeId: a.type.id,
            date: `2019-${String(1 + Math.floor(i / 28)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
            startTime: '09:00',
            endTime: '10:00',
          });
        }
        const res = await appointmentsOf(p.id, { agentKey });
        expect(res.body.appointments).toHaveLength(50);
        expect(res.body.appointments[0].date).toBe('2019-02-27');
      });

      it.each([
        ["another clinic's patient", () => ({ id: String(b.patient.id), auth: { agentKey } })],
        ["this clinic's patient asked by another clinic's key", () => ({ id: String(patient.id), auth: { agentKey: otherKey } })],
        ['an unknown id', () => ({ id: '2000000000', auth: { agentKey } })],
        ['an id that is no number', () => ({ id: 'abc', auth: { cookie } })],
      ])('%s is 404 and changes nothing', async (_what, make) => {
        const { id, auth } = make();
        const before = await dbFingerprint(db);
        const res = await appointmentsOf(id, auth);
        expect(res).toEqual({ status: 404, body: { error: 'not_found', message: expect.any(String) } });
        expect(await dbFingerprint(db)).toEqual(before);
      });
    });
  });
}
