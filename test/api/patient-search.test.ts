import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as getPatientRoute, PATCH as updatePatientRoute } from '@/app/api/clinic/patients/[patient_id]/route';
import { GET as findPatientsRoute } from '@/app/api/clinic/patients/route';
import { getDb, type Db } from '@/lib/db/client';
import { appointments, auditLog, patients } from '@/lib/db/schema';
import { getPatientDetail, searchPatients } from '@/lib/queries/patients';
import { fixedClock } from '@/lib/time/clock';
import { patientDetail, patient as patientShape, patientSearchResults } from '@/lib/schemas/responses';
import { createAgentKey } from '@/lib/services/agent-keys';
import { dbFingerprint } from '../support/db-fingerprint';
import { useDriver } from '../support/drivers';
import { makeAppointment, makeClinicWithStaff, makePatient } from '../support/factories';
import { callRoute, staffCookies } from '../support/http';

// Issue 14 item 6, staff side: staff search their clinic's patients by name (Chinese names by
// substring), phone (digits without separators) or LINE id (exact or prefix), and correct a
// patient's name and phone; the agent may do neither.

const hex = (c: string) => `U${c.repeat(32)}`;

for (const driver of ['postgres', 'pglite'] as const) {
  describe(`staff patient search and editing on ${driver}`, () => {
    useDriver(driver);
    let db: Db;
    let a: Awaited<ReturnType<typeof makeClinicWithStaff>>;
    let b: Awaited<ReturnType<typeof makeClinicWithStaff>>;
    let agentKey: string;
    let cookies: Awaited<ReturnType<typeof staffCookies>>;
    let cookieB: string;
    let wang: Awaited<ReturnType<typeof makePatient>>;
    let xiaoming: Awaited<ReturnType<typeof makePatient>>;
    let mingA: Awaited<ReturnType<typeof makePatient>>;

    beforeAll(async () => {
      db = await getDb();
      a = await makeClinicWithStaff(db);
      b = await makeClinicWithStaff(db);
      agentKey = (await createAgentKey(db, { clinicSlug: a.clinic.slug, name: 'search A' })).key;
      cookies = await staffCookies(a);
      cookieB = (await staffCookies(b)).admin;
      wang = await makePatient(db, { clinicId: a.clinic.id, fullName: '王小明', phoneNumber: '0912-345-678', lineUserId: `U4af4${'0'.repeat(28)}` });
      xiaoming = await makePatient(db, { clinicId: a.clinic.id, fullName: '小明', phoneNumber: '(02) 2345 6789' });
      mingA = await makePatient(db, { clinicId: a.clinic.id, fullName: '小明明', lineUserId: hex('e') });
      await makePatient(db, { clinicId: a.clinic.id, fullName: 'Alice Lin', phoneNumber: '+886 955 111 222' });
      // Clinic B has a 王小明 with the same phone and LINE id: never in A's answers.
      await makePatient(db, { clinicId: b.clinic.id, fullName: '王小明', phoneNumber: '0912-345-678', lineUserId: `U4af4${'0'.repeat(28)}` });
    });

    const search = (query: string, auth: { agentKey?: string; cookie?: string } = { cookie: cookies.own }) =>
      callRoute(findPatientsRoute, { path: `/api/clinic/patients${query}`, ...auth });
    const ids = (body: Array<{ id: number }>) => body.map((p) => p.id);

    describe('GET /patients?q=', () => {
      it('finds a Chinese name by a part of it, best matches first (exact, prefix, substring)', async () => {
        const res = await search(`?q=${encodeURIComponent('小明')}`);
        expect(res.status).toBe(200);
        expect(patientSearchResults.safeParse(res.body).error ?? null).toBeNull();
        expect(ids(res.body)).toEqual([xiaoming.id, mingA.id, wang.id]);
        expect(res.body[2]).toEqual({ id: wang.id, full_name: '王小明', phone_number: '0912-345-678', line_user_id: wang.lineUserId });
      });

      it('matches names case-insensitively', async () => {
        expect((await search('?q=alice')).body.map((p: { full_name: string }) => p.full_name)).toEqual(['Alice Lin']);
      });

      it('finds a phone number written with separators by its digits, and the other way round', async () => {
        expect(ids((await search('?q=0912345678')).body)).toEqual([wang.id]);
        expect(ids((await search(`?q=${encodeURIComponent('0912 345-678')}`)).body)).toEqual([wang.id]);
        expect(ids((await search('?q=23456789')).body)).toEqual([xiaoming.id]);
        // A part of the number (its last digits) finds it too.
        expect(ids((await search('?q=12345')).body)).toEqual([wang.id]);
      });

      it('finds a LINE id exactly or by its beginning', async () => {
        expect(ids((await search(`?q=${hex('e')}`)).body)).toEqual([mingA.id]);
        expect(ids((await search('?q=U4af4')).body)).toEqual([wang.id]);
        // Not by a part in the middle.
        expect((await search('?q=4af4')).body).toEqual([]);
      });

      it("never answers with another clinic's patients", async () => {
        const res = await search(`?q=${encodeURIComponent('王小明')}`, { cookie: cookieB });
        expect(res.status).toBe(200);
        expect(res.body).toHaveLength(1);
        expect(res.body[0].id).not.toBe(wang.id);
        const mine = await search(`?q=${encodeURIComponent('王小明')}`, { cookie: cookies.admin });
        expect(ids(mine.body)).toEqual([wang.id]);
      });

      it('honours limit (at most 50); no q or a blank one lists the most recently changed patients', async () => {
        expect(ids((await search(`?q=${encodeURIComponent('小明')}&limit=2`)).body)).toEqual([xiaoming.id, mingA.id]);
        await db
          .update(patients)
          .set({ updatedAt: new Date(Date.now() + 60_000) })
          .where(eq(patients.id, mingA.id));
        const recent = await search('?limit=3');
        expect(recent.status).toBe(200);
        expect(recent.body).toHaveLength(3);
        expect(recent.body[0].id).toBe(mingA.id);
        expect((await search('?q=%20&limit=3')).body).toEqual(recent.body);
        expect((await search('?q=&limit=3')).body).toEqual(recent.body);
        for (const limit of ['0', '51', '-1', 'x', '1e1']) expect((await search(`?limit=${limit}`)).status, limit).toBe(400);
      });

      it('answers at most 50', async () => {
        const many = await makeClinicWithStaff(db);
        await db.insert(patients).values(Array.from({ length: 60 }, (_, i) => ({ clinicId: many.clinic.id, fullName: `林${i}` })));
        const cookie = (await staffCookies(many)).admin;
        expect((await search(`?q=${encodeURIComponent('林')}&limit=50`, { cookie })).body).toHaveLength(50);
        expect((await search(`?q=${encodeURIComponent('林')}`, { cookie })).body).toHaveLength(20);
      });

      it('a q with control characters or over 200 characters is 400; odd text is just not found', async () => {
        for (const q of ['a%00b', '%07', 'x'.repeat(201)]) expect((await search(`?q=${q}`)).status, q).toBe(400);
        for (const q of ["'; DROP TABLE patients; --", '%25', '_', '\\']) {
          const res = await search(`?q=${encodeURIComponent(q)}`);
          expect(res.status, q).toBe(200);
        }
      });

      it('the query itself refuses an agent caller too (least privilege below the route)', async () => {
        await expect(searchPatients(db, { kind: 'agent', clinicId: a.clinic.id, agentKeyId: 1 }, { q: '小明' })).rejects.toMatchObject({
          code: 'forbidden',
        });
      });

      it('the agent is refused a search (400) and changes nothing', async () => {
        for (const query of [`?q=${encodeURIComponent('小明')}`, '', '?limit=5']) {
          const before = await dbFingerprint(db);
          const res = await search(query, { agentKey });
          expect(res.status).toBe(400);
          expect(res.body).toMatchObject({ error: 'validation_error' });
          expect(await dbFingerprint(db)).toEqual(before);
        }
      });
    });

    describe('PATCH /patients/{id}', () => {
      const patch = (id: number | string, body: unknown, auth: { agentKey?: string; cookie?: string } = { cookie: cookies.own }) =>
        callRoute(updatePatientRoute, { method: 'PATCH', path: `/api/clinic/patients/${id}`, params: { patient_id: String(id) }, body, ...auth });
      const auditsOf = (id: number) =>
        db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.action, 'patient.updated'), eq(auditLog.entityId, String(id))));

      it('changes the name and phone in one audited step, with before and after', async () => {
        const p = await makePatient(db, { clinicId: a.clinic.id, fullName: '陳大文', phoneNumber: '0911-000-111' });
        const res = await patch(p.id, { full_name: ' 陳大文先生 ', phone_number: '0922-333-444' });
        expect(res).toEqual({ status: 200, body: { id: p.id, full_name: '陳大文先生', phone_number: '0922-333-444', line_user_id: null } });
        expect(patientShape.safeParse(res.body).error ?? null).toBeNull();
        const audits = await auditsOf(p.id);
        expect(audits).toHaveLength(1);
        expect(audits[0]!.patientId).toBe(p.id);
        expect(audits[0]!.actorUserId).toBe(a.practitioner.id);
        expect(audits[0]!.details).toEqual({
          before: { full_name: '陳大文', phone_number: '0911-000-111' },
          after: { full_name: '陳大文先生', phone_number: '0922-333-444' },
        });
        // Found by the new name and number.
        expect(ids((await search(`?q=${encodeURIComponent('大文先生')}`)).body)).toEqual([p.id]);
        expect(ids((await search('?q=0922333444')).body)).toEqual([p.id]);
      });

      it('changes one field alone; null clears the phone; the same values again are not audited twice', async () => {
        const p = await makePatient(db, { clinicId: a.clinic.id, fullName: '李四', phoneNumber: '0933-111-222' });
        expect((await patch(p.id, { phone_number: null }, { cookie: cookies.admin })).body).toMatchObject({ full_name: '李四', phone_number: null });
        expect((await patch(p.id, { full_name: '李四' })).status).toBe(200);
        expect((await patch(p.id, { phone_number: null })).status).toBe(200);
        expect(await auditsOf(p.id)).toHaveLength(1);
      });

      it.each([
        ['an empty body', {}],
        ['a blank name', { full_name: '  ' }],
        ['a name with a control character', { full_name: 'a\u0000b' }],
        ['letters in the phone', { phone_number: 'call me' }],
        ['a null name', { full_name: null }],
        ['an unknown field', { full_name: 'X', line_user_id: hex('f') }],
      ])('%s is a 400 and changes nothing', async (_what, body) => {
        const before = await dbFingerprint(db);
        const res = await patch(wang.id, body);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ error: 'validation_error' });
        expect(await dbFingerprint(db)).toEqual(before);
      });

      it("another clinic's patient or an unknown id is 404; the agent is 403; nothing changes", async () => {
        const before = await dbFingerprint(db);
        expect((await patch(wang.id, { full_name: 'Hacked' }, { cookie: cookieB })).status).toBe(404);
        expect((await patch(2_000_000_000, { full_name: 'Nobody' })).status).toBe(404);
        expect((await patch('abc', { full_name: 'Nobody' })).status).toBe(404);
        expect((await patch(wang.id, { full_name: 'Agent' }, { agentKey })).status).toBe(403);
        expect(await dbFingerprint(db)).toEqual(before);
      });
    });
    describe('GET /patients/{id}', () => {
      const get = (id: number | string, auth: { agentKey?: string; cookie?: string } = { cookie: cookies.own }) =>
        callRoute(getPatientRoute, { path: `/api/clinic/patients/${id}`, params: { patient_id: String(id) }, ...auth });

      it('answers the patient with the number of no-shows and of upcoming appointments', async () => {
        const p = await makePatient(db, { clinicId: a.clinic.id, fullName: '張三', phoneNumber: '0955-000-111' });
        const make = (date: string, startTime: string, endTime: string, status?: 'canceled_by_patient') =>
          makeAppointment(db, { userId: a.practitioner.id, patientId: p.id, appointmentTypeId: a.type.id, date, startTime, endTime, status });
        const missed1 = await make('2026-02-01', '09:00', '10:00');
        const missed2 = await make('2026-02-08', '09:00', '10:00');
        await make('2026-02-15', '09:00', '10:00'); // came
        await make('2026-03-10', '10:00', '11:00'); // in progress: upcoming
        await make('2026-03-12', '09:00', '10:00'); // upcoming
        await make('2026-03-13', '09:00', '10:00', 'canceled_by_patient');
        await db.update(appointments).set({ attendance: 'no_show' }).where(eq(appointments.calendarEventId, missed1.id));
        await db.update(appointments).set({ attendance: 'no_show' }).where(eq(appointments.calendarEventId, missed2.id));
        const detail = await getPatientDetail(
          db,
          { kind: 'user', clinicId: a.clinic.id, userId: a.admin.id, role: 'admin', isPractitioner: false, name: 'Admin' },
          {
            patientId: p.id,
            clock: fixedClock('2026-03-10T02:30:00Z'), // 10:30 in Taipei
          },
        );
        expect(detail).toEqual({ id: p.id, full_name: '張三', phone_number: '0955-000-111', line_user_id: null, no_shows: 2, upcoming: 2 });
        const res = await get(p.id);
        expect(res.status).toBe(200);
        expect(patientDetail.safeParse(res.body).error ?? null).toBeNull();
        expect(res.body.no_shows).toBe(2);
      });

      it("another clinic's patient or an unknown id is 404; the agent is 403", async () => {
        expect((await get(wang.id, { cookie: cookieB })).status).toBe(404);
        expect((await get(2_000_000_000)).status).toBe(404);
        expect((await get(wang.id, { agentKey })).status).toBe(403);
        expect((await get(wang.id)).body).toEqual({
          id: wang.id,
          full_name: '王小明',
          phone_number: '0912-345-678',
          line_user_id: wang.lineUserId,
          no_shows: 0,
          upcoming: 0,
        });
      });
    });
  });
}
