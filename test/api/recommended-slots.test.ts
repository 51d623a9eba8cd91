import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as clinicSlots } from '@/app/api/clinic/availability/slots/route';
import { GET as slots } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/route';
import { getDb, onQuery, type Db } from '@/lib/db/client';
import { clinics } from '@/lib/db/schema';
import * as responses from '@/lib/schemas/responses';
import { createAgentKey } from '@/lib/services/agent-keys';
import { clinicNow } from '@/lib/time/clinic-clock';
import { systemClock } from '@/lib/time/clock';
import { addDays } from '@/lib/time/dates';
import { useDriver } from '../support/drivers';
import { makeAppointment, makeAppointmentType, makeClinicWithStaff, setWeek } from '../support/factories';
import { callRoute } from '../support/http';

// Recommended starts through the slot routes, on clinics whose histories are built here: the
// README's example day (09:00-12:00 and 14:00-18:00, booked 10:00-11:00 and 15:00-15:30, a 30-minute
// grid; types 複診 30 minutes and 初診 60 minutes).

const WED = '2031-03-05';
const DAY = { 3: [['09:00', '12:00'] as [string, string], ['14:00', '18:00'] as [string, string]] };
const HISTORY_READ = /group by "appointments"\."appointment_type_id"/i;

type Cast = Awaited<ReturnType<typeof makeClinicWithStaff>> & { followUp: { id: number }; key: string };
type SlotBody = Array<{ start_time: string; end_time: string; recommended?: true }>;

for (const driver of ['postgres', 'pglite'] as const)
  describe(`recommended starts in slot answers on ${driver}`, () => {
    useDriver(driver);
    let db: Db | undefined;
    let learned: Cast;
    let fresh: Cast;

    const cast = async (): Promise<Cast> => {
      const c = await makeClinicWithStaff(db!);
      await db!.update(clinics).set({ slotStepMinutes: 30 }).where(eq(clinics.id, c.clinic.id));
      const followUp = await makeAppointmentType(db!, { clinicId: c.clinic.id, name: '複診', durationMinutes: 30 });
      await setWeek(db!, c.practitioner.id, DAY);
      await setWeek(db!, c.colleague.id, DAY);
      const book = (typeId: number, date: string, startTime: string, endTime: string, status?: 'canceled_by_patient') =>
        makeAppointment(db!, { userId: c.practitioner.id, patientId: c.patient.id, appointmentTypeId: typeId, date, startTime, endTime, status });
      await book(c.type.id, WED, '10:00', '11:00');
      await book(followUp.id, WED, '15:00', '15:30');
      const key = (await createAgentKey(db!, { clinicSlug: c.clinic.slug, name: 'LINE agent' })).key;
      return { ...c, followUp, key };
    };

    beforeAll(async () => {
      db = await getDb();
      fresh = await cast();
      learned = await cast();
      // The learned clinic's past: 初診 48 times and 複診 twice over the last 50 days, so a half hour
      // left free is rarely booked. What must not count: canceled visits, visits older than 180
      // days, visits still to come, and other clinics' visits.
      const today = clinicNow(learned.clinic.timezone, systemClock()).date;
      const at = (typeId: number, date: string, startTime: string, endTime: string, status?: 'canceled_by_patient') =>
        makeAppointment(db!, {
          userId: learned.practitioner.id,
          patientId: learned.patient.id,
          appointmentTypeId: typeId,
          date,
          startTime,
          endTime,
          status,
        });
      for (let i = 1; i <= 48; i++) await at(learned.type.id, addDays(today, -i), '09:00', '10:00');
      for (let i = 1; i <= 2; i++) await at(learned.followUp.id, addDays(today, -i), '11:00', '11:30');
      for (let i = 1; i <= 40; i++) await at(learned.followUp.id, addDays(today, -i), '14:00', '14:30', 'canceled_by_patient');
      for (let i = 0; i < 40; i++) await at(learned.followUp.id, addDays(today, -181 - i), '09:00', '09:30');
      for (let i = 1; i <= 40; i++) await at(learned.followUp.id, addDays(today, i), '09:00', '09:30');
      for (let i = 1; i <= 40; i++)
        await makeAppointment(db!, {
          userId: fresh.practitioner.id,
          patientId: fresh.patient.id,
          appointmentTypeId: fresh.followUp.id,
          date: addDays(today, -i),
          startTime: '09:00',
          endTime: '09:30',
        });
    });

    const day = async (c: Cast, typeId: number, practitionerId = c.practitioner.id) => {
      const res = await callRoute(slots, {
        path: `/api/clinic/practitioners/${practitionerId}/availability/slots?date=${WED}&appointment_type_id=${typeId}`,
        params: { user_id: String(practitionerId) },
        agentKey: c.key,
      });
      expect(res.status).toBe(200);
      expect(responses.daySlots.safeParse(res.body).success).toBe(true);
      return res.body.available_slots as SlotBody;
    };
    const marked = (list: SlotBody) => list.filter((s) => s.recommended === true).map((s) => s.start_time);

    it("with the clinic's history (half hours rarely booked) a 複診 goes next to the 15:00 visit or at the day's end", async () => {
      const list = await day(learned, learned.followUp.id);
      expect(list.map((s) => s.start_time)).toEqual([
        '09:00',
        '09:30',
        '11:00',
        '11:30',
        '14:00',
        '14:30',
        '15:30',
        '16:00',
        '16:30',
        '17:00',
        '17:30',
      ]);
      expect(marked(list)).toEqual(['15:30', '17:30']);
      // Only `true` is ever written; the other entries are the plain {start_time, end_time}.
      for (const s of list) if (!s.recommended) expect(Object.keys(s)).toEqual(['start_time', 'end_time']);
      expect(list.find((s) => s.start_time === '15:30')).toEqual({ start_time: '15:30', end_time: '16:00', recommended: true });
    });

    it('without enough history every type counts: the edges of each free stretch are recommended', async () => {
      // A clinic with no past at all.
      const none = await cast();
      expect(marked(await day(none, none.followUp.id))).toEqual(['09:00', '09:30', '11:00', '11:30', '14:00', '14:30', '15:30', '17:30']);
      expect(marked(await day(none, none.type.id))).toEqual(['09:00', '11:00', '14:00', '15:30', '17:00']);
      // A day with no appointments (Dr. Lin): the edges of the working intervals.
      expect(marked(await day(none, none.type.id, none.colleague.id))).toEqual(['09:00', '11:00', '14:00', '17:00']);
    });

    it('learns from each clinic alone: where the past is all 複診, a half hour left is readily filled', async () => {
      // fresh's 40 past visits were all 複診 (the learned clinic's history is not fresh's): every
      // stretch's edges are offered for a 複診, where the learned clinic offers only 15:30 and 17:30.
      expect(marked(await day(fresh, fresh.followUp.id))).toEqual(['09:00', '09:30', '11:00', '11:30', '14:00', '14:30', '15:30', '17:30']);
    });

    it('marks the same starts in the range and clinic-wide answers as in the one-day answer', async () => {
      const range = await callRoute(slots, {
        path: `/api/clinic/practitioners/${learned.practitioner.id}/availability/slots?from=${addDays(WED, -1)}&to=${addDays(WED, 1)}&appointment_type_id=${learned.followUp.id}`,
        params: { user_id: String(learned.practitioner.id) },
        agentKey: learned.key,
      });
      expect(range.status).toBe(200);
      expect(responses.rangeSlots.safeParse(range.body).success).toBe(true);
      const wed = range.body.days.find((d: { date: string }) => d.date === WED);
      expect(wed.available_slots).toEqual(await day(learned, learned.followUp.id));
      const everyone = await callRoute(clinicSlots, {
        path: `/api/clinic/availability/slots?date=${WED}&appointment_type_id=${learned.followUp.id}`,
        agentKey: learned.key,
      });
      expect(everyone.status).toBe(200);
      expect(responses.clinicSlots.safeParse(everyone.body).success).toBe(true);
      const byId = new Map(everyone.body.practitioners.map((p: { id: number; available_slots: SlotBody }) => [p.id, p.available_slots]));
      expect(byId.get(learned.practitioner.id)).toEqual(await day(learned, learned.followUp.id));
      // Dr. Lin has no appointment that day: the edges of the working intervals.
      expect(marked(byId.get(learned.colleague.id) as SlotBody)).toEqual(['09:00', '11:30', '14:00', '17:30']);
    });

    it("reads a clinic's history once a day (one grouped statement), not on every slot request", async () => {
      const other = await cast();
      const seen: string[] = [];
      const off = onQuery((q) => seen.push(q));
      try {
        await day(other, other.type.id);
        await day(other, other.followUp.id);
        await day(other, other.type.id, other.colleague.id);
      } finally {
        off();
      }
      expect(seen.filter((q) => HISTORY_READ.test(q))).toHaveLength(1);
    });
  });
