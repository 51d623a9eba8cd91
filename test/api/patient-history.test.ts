import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '@/lib/auth/caller';
import { getDb, type Db } from '@/lib/db/client';
import { appointments } from '@/lib/db/schema';
import { nextAppointments, PATIENT_PAST_PAGE_SIZE, patientHistory } from '@/lib/queries/patients';
import { fixedClock } from '@/lib/time/clock';
import { useDriver } from '../support/drivers';
import { makeAppointment, makeAppointmentType, makeClinicWithStaff, makePatient } from '../support/factories';

// The patient page's reads (issue 14, item 6): upcoming appointments across practitioners, the past
// ones a page at a time with their attendance, and the search list's next appointment per patient.

// Now: 2026-03-10 10:30 in Asia/Taipei.
const clock = fixedClock('2026-03-10T02:30:00Z');

for (const driver of ['postgres', 'pglite'] as const) {
  describe(`the patient page's reads on ${driver}`, () => {
    useDriver(driver);
    let db: Db;
    let a: Awaited<ReturnType<typeof makeClinicWithStaff>>;
    let b: Awaited<ReturnType<typeof makeClinicWithStaff>>;
    let staff: Caller;

    beforeAll(async () => {
      db = await getDb();
      a = await makeClinicWithStaff(db);
      b = await makeClinicWithStaff(db);
      staff = { kind: 'user', clinicId: a.clinic.id, userId: a.colleague.id, role: 'practitioner', isPractitioner: true, name: 'Dr. Lin' };
    });

    it('lists upcoming ones soonest first and the rest newest first, across practitioners, with attendance', async () => {
      const p = await makePatient(db, { clinicId: a.clinic.id, fullName: '歐陽美玲' });
      const other = await makeAppointmentType(db, { clinicId: a.clinic.id, name: '複診', durationMinutes: 30 });
      const make = (date: string, start: string, end: string, v: { userId?: number; typeId?: number; status?: 'canceled_by_patient' } = {}) =>
        makeAppointment(db, {
          userId: v.userId ?? a.practitioner.id,
          patientId: p.id,
          appointmentTypeId: v.typeId ?? a.type.id,
          date,
          startTime: start,
          endTime: end,
          status: v.status,
        });
      const ended = await make('2026-03-10', '09:00', '10:00');
      const inProgress = await make('2026-03-10', '10:00', '11:00');
      const later = await make('2026-04-01', '14:00', '14:30', { userId: a.colleague.id, typeId: other.id });
      const soon = await make('2026-03-12', '09:00', '10:00');
      const canceled = await make('2026-03-20', '09:00', '10:00', { status: 'canceled_by_patient' });
      const noShow = await make('2026-02-01', '15:00', '16:00', { userId: a.colleague.id });
      await db.update(appointments).set({ attendance: 'no_show' }).where(eq(appointments.calendarEventId, noShow.id));

      const h = await patientHistory(db, staff, { patientId: p.id, clock });
      expect(h.upcoming.map((x) => x.calendar_event_id)).toEqual([inProgress.id, soon.id, later.id]);
      expect(h.past.map((x) => x.calendar_event_id)).toEqual([canceled.id, ended.id, noShow.id]);
      expect(h.morePast).toBe(false);
      expect(h.upcoming[2]).toEqual({
        calendar_event_id: later.id,
        practitioner_id: a.colleague.id,
        practitioner_name: 'Dr. Lin',
        appointment_type_id: other.id,
        appointment_type_name: '複診',
        date: '2026-04-01',
        start_time: '14:00',
        end_time: '14:30',
        status: 'confirmed',
        attendance: null,
      });
      expect(h.past[0]!.status).toBe('canceled_by_patient');
      expect(h.past[2]).toMatchObject({ practitioner_name: 'Dr. Lin', status: 'confirmed', attendance: 'no_show' });

      const next = await nextAppointments(db, staff, { patientIds: [p.id, a.patient.id], clock });
      expect(next.get(p.id)).toEqual({ date: '2026-03-10', start_time: '10:00', practitioner_name: 'Dr. Chen' });
      expect(next.has(a.patient.id)).toBe(false);
    });

    it('pages the past: PATIENT_PAST_PAGE_SIZE a page, newest first, and says when an older page exists', async () => {
      const p = await makePatient(db, { clinicId: a.clinic.id, fullName: '常客' });
      const total = PATIENT_PAST_PAGE_SIZE + 5;
      for (let i = 0; i < total; i++) {
        await makeAppointment(db, {
          userId: a.practitioner.id,
          patientId: p.id,
          appointmentTypeId: a.type.id,
          date: `2025-01-${String(1 + i).padStart(2, '0')}`,
          startTime: '09:00',
          endTime: '10:00',
        });
      }
      const first = await patientHistory(db, staff, { patientId: p.id, clock });
      expect(first.upcoming).toEqual([]);
      expect(first.past).toHaveLength(PATIENT_PAST_PAGE_SIZE);
      expect(first.past[0]!.date).toBe(`2025-01-${String(total).padStart(2, '0')}`);
      expect(first.morePast).toBe(true);
      const second = await patientHistory(db, staff, { patientId: p.id, pastPage: 2, clock });
      expect(second.past.map((x) => x.date)).toEqual(['2025-01-05', '2025-01-04', '2025-01-03', '2025-01-02', '2025-01-01']);
      expect(second.morePast).toBe(false);
    });

    it('a patient without appointments has empty lists', async () => {
      const p = await makePatient(db, { clinicId: a.clinic.id, fullName: '新病人' });
      expect(await patientHistory(db, staff, { patientId: p.id, clock })).toEqual({ upcoming: [], past: [], morePast: false });
    });

    it("another clinic's patient is not found, and lends no next appointment to the search list", async () => {
      await makeAppointment(db, {
        userId: b.practitioner.id,
        patientId: b.patient.id,
        appointmentTypeId: b.type.id,
        date: '2026-05-01',
        startTime: '09:00',
        endTime: '10:00',
      });
      await expect(patientHistory(db, staff, { patientId: b.patient.id, clock })).rejects.toMatchObject({ code: 'not_found' });
      await expect(patientHistory(db, staff, { patientId: 2_000_000_000, clock })).rejects.toMatchObject({ code: 'not_found' });
      expect((await nextAppointments(db, staff, { patientIds: [b.patient.id], clock })).size).toBe(0);
    });

    it('refuses the agent', async () => {
      const agent: Caller = { kind: 'agent', clinicId: a.clinic.id, agentKeyId: 1 };
      await expect(patientHistory(db, agent, { patientId: a.patient.id, clock })).rejects.toMatchObject({ code: 'forbidden' });
    });
  });
}
