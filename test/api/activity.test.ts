import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { createTranslator } from 'next-intl';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as activityGET } from '@/app/api/clinic/admin/activity/route';
import type { Caller } from '@/lib/auth/caller';
import { writeAudit, type AuditActor } from '@/lib/db/audit';
import { getDb, type Db } from '@/lib/db/client';
import { auditLog } from '@/lib/db/schema';
import { listActivity, type ActivityText } from '@/lib/queries/activity';
import { ACTIVITY_ACTIONS } from '@/lib/queries/activity-text';
import { activityQuerySchema } from '@/lib/schemas/activity';
import { activityPage } from '@/lib/schemas/responses';
import { createAgentKey } from '@/lib/services/agent-keys';
import { cancelAppointmentByClinic } from '@/lib/services/appointment-cancellation';
import { createException } from '@/lib/services/availability-exceptions';
import { bookAppointment } from '@/lib/services/booking';
import { setClinicLineChannel } from '@/lib/services/clinic-line-channel';
import { fixedClock } from '@/lib/time/clock';
import en from '@/messages/en.json';
import zhTW from '@/messages/zh-TW.json';
import { useDriver } from '../support/drivers';
import { makeClinicWithStaff, makePatient, setWeek } from '../support/factories';
import { callRoute, sessionCookie, staffCookies } from '../support/http';

type Cast = Awaited<ReturnType<typeof makeClinicWithStaff>>;

const text = (locale: 'en' | 'zh-TW'): ActivityText => {
  const t = createTranslator({ locale, messages: locale === 'en' ? en : zhTW, namespace: 'activity' });
  return { locale, t: (key, values) => t(key as never, values as never) };
};
const EN = text('en');
const adminOf = (c: Cast): Caller => ({
  kind: 'user',
  clinicId: c.clinic.id,
  userId: c.admin.id,
  role: 'admin',
  isPractitioner: false,
  name: c.admin.name,
});
const practitionerOf = (c: Cast): Caller => ({
  kind: 'user',
  clinicId: c.clinic.id,
  userId: c.practitioner.id,
  role: 'practitioner',
  isPractitioner: true,
  name: c.practitioner.name,
});
const q = (query: Record<string, string> = {}) => activityQuerySchema.parse(query);

/** An audit entry written at a chosen instant (the services write `now()`), for dates and pages. */
async function entryAt(db: Db, actor: AuditActor, at: string, action = 'appointment.booked', details: Record<string, unknown> = {}) {
  await writeAudit(db, actor, { action, entityType: 'appointment', entityId: 1, details });
  const [row] = await db
    .update(auditLog)
    .set({ createdAt: new Date(at) })
    .where(eq(auditLog.id, sql`(SELECT max(id) FROM audit_log)`))
    .returning({ id: auditLog.id });
  return row!.id;
}

for (const driver of ['postgres', 'pglite'] as const) {
  describe(`the activity log on ${driver}`, () => {
    useDriver(driver);
    let db: Db;

    describe('a morning of activity, read back', () => {
      let a: Cast;
      let b: Cast;
      let agentKeyId: number;
      let bookedId: number;
      beforeAll(async () => {
        db = await getDb();
        a = await makeClinicWithStaff(db);
        b = await makeClinicWithStaff(db);
        await setWeek(db, a.practitioner.id, { 3: [['09:00', '12:00']] });
        const key = await createAgentKey(db, { clinicSlug: a.clinic.slug, name: 'LINE 助理' });
        agentKeyId = key.id;
        const agent: Caller = { kind: 'agent', clinicId: a.clinic.id, agentKeyId };
        const clock = fixedClock('2031-03-01T00:00:00Z');
        const booked = await bookAppointment(db, agent, {
          practitioner_id: a.practitioner.id,
          patient_id: a.patient.id,
          appointment_type_id: a.type.id,
          date: '2031-03-05',
          start_time: '10:00',
          clock,
        });
        bookedId = booked.calendar_event_id;
        await createException(db, practitionerOf(a), {
          practitionerId: a.practitioner.id,
          body: { date: '2031-03-05', start_time: '14:00', end_time: '15:00' },
          confirm: false,
          clock,
        });
        await cancelAppointmentByClinic(db, adminOf(a), { practitionerId: a.practitioner.id, calendarEventId: bookedId });
        await writeAudit(
          db,
          { kind: 'google', clinicId: a.clinic.id },
          {
            action: 'availability_exception.deleted',
            entityType: 'availability_exception',
            entityId: 999,
            details: { source: 'gcal_deletion', practitioner_id: a.practitioner.id, date: '2031-03-06', start: null, end: null },
          },
        );
        await writeAudit(
          db,
          { kind: 'system', clinicId: a.clinic.id },
          { action: 'robot.did_something', entityType: 'clinic', entityId: a.clinic.id },
        );
        // Clinic B's own activity, never to be seen by clinic A.
        await writeAudit(
          db,
          { kind: 'user', clinicId: b.clinic.id, userId: b.admin.id },
          { action: 'weekly_schedule.replaced', entityType: 'practitioner', entityId: b.practitioner.id },
        );
      });

      it('lists who did what, newest first, with a sentence per action and a link to the day it concerns', async () => {
        const page = await listActivity(db, adminOf(a), q(), EN);
        expect(activityPage.parse(page)).toEqual(page);
        expect(page.next_cursor).toBeNull();
        const key = (e: (typeof page.entries)[number]) => [e.actor.type, e.actor.name, e.action, e.summary, e.link ?? null];
        const type = a.type.name;
        expect(page.entries.map(key)).toEqual([
          ['system', 'System', 'robot.did_something', 'robot.did_something', null],
          [
            'google',
            'Google',
            'availability_exception.deleted',
            "Removed Dr. Chen's unavailable time: Thu, Mar 6, 2031, all day",
            `/calendar?practitioner=${a.practitioner.id}&date=2031-03-06`,
          ],
          [
            'user',
            'Admin',
            'appointment.canceled_by_clinic',
            `Canceled 陳小姐's ${type} with Dr. Chen, Wed, Mar 5, 2031, 10:00–11:00`,
            `/calendar?practitioner=${a.practitioner.id}&date=2031-03-05`,
          ],
          [
            'user',
            'Dr. Chen',
            'availability_exception.created',
            "Blocked out Dr. Chen's time: Wed, Mar 5, 2031, 14:00–15:00",
            `/calendar?practitioner=${a.practitioner.id}&date=2031-03-05`,
          ],
          [
            'agent',
            'LINE 助理',
            'appointment.booked',
            `Booked 陳小姐 with Dr. Chen for ${type}, Wed, Mar 5, 2031, 10:00–11:00`,
            `/calendar?practitioner=${a.practitioner.id}&date=2031-03-05`,
          ],
          ['system', 'System', 'agent_key.created', 'Created the AI agent key “LINE 助理”', '/settings/agent-keys'],
        ]);
        const booked = page.entries[4]!;
        expect(booked).toMatchObject({
          actor: { type: 'agent', id: agentKeyId, name: 'LINE 助理' },
          kind: 'appointments',
          practitioner_id: a.practitioner.id,
          patient_id: a.patient.id,
          entity_type: 'appointment',
          entity_id: String(bookedId),
          details: { date: '2031-03-05', time: '10:00-11:00', appointment_type_id: a.type.id },
        });
        expect(page.entries[2]!.actor).toEqual({ type: 'user', id: a.admin.id, name: 'Admin' });
        expect(page.entries[0]!.kind).toBeNull();
        expect(page.entries[0]!.actor).toEqual({ type: 'system', name: 'System' });
      });

      it('reads in zh-TW too', async () => {
        const page = await listActivity(db, adminOf(a), q({ kind: 'appointments' }), text('zh-TW'));
        expect(page.entries.map((e) => [e.actor.name, e.summary])).toEqual([
          ['Admin', `取消了 陳小姐 與 Dr. Chen 的${a.type.name}：2031年3月5日週三 10:00–11:00`],
          ['LINE 助理', `為 陳小姐 預約了 Dr. Chen 的${a.type.name}：2031年3月5日週三 10:00–11:00`],
        ]);
        const all = await listActivity(db, adminOf(a), q(), text('zh-TW'));
        expect(all.entries.map((e) => e.actor.name).slice(0, 2)).toEqual(['系統', 'Google']);
      });

      it("never shows another clinic's entries, and another clinic's practitioner or patient is not found", async () => {
        const page = await listActivity(db, adminOf(a), q(), EN);
        expect(page.entries.some((e) => e.action === 'weekly_schedule.replaced')).toBe(false);
        const theirs = await listActivity(db, adminOf(b), q(), EN);
        expect(theirs.entries.map((e) => e.action)).toEqual(['weekly_schedule.replaced']);
        expect(theirs.entries[0]!.link).toBe(`/settings/availability?practitioner=${b.practitioner.id}`);
        await expect(listActivity(db, adminOf(b), q({ practitioner_id: String(a.practitioner.id) }), EN)).rejects.toMatchObject({
          code: 'not_found',
        });
        await expect(listActivity(db, adminOf(b), q({ patient_id: String(a.patient.id) }), EN)).rejects.toMatchObject({ code: 'not_found' });
      });

      it('is for admins only', async () => {
        await expect(listActivity(db, practitionerOf(a), q(), EN)).rejects.toMatchObject({ code: 'forbidden' });
        await expect(listActivity(db, { kind: 'agent', clinicId: a.clinic.id, agentKeyId }, q(), EN)).rejects.toMatchObject({ code: 'forbidden' });
      });

      it('filters by practitioner, patient and kind, alone and combined', async () => {
        const colleagueException = await createException(
          db,
          { kind: 'user', clinicId: a.clinic.id, userId: a.colleague.id, role: 'practitioner', isPractitioner: true, name: a.colleague.name },
          {
            practitionerId: a.colleague.id,
            body: { date: '2031-03-05', start_time: null, end_time: null },
            confirm: false,
            clock: fixedClock('2031-03-01T00:00:00Z'),
          },
        );
        const other = await makePatient(db, { clinicId: a.clinic.id, fullName: '王先生' });
        await writeAudit(
          db,
          { kind: 'agent', clinicId: a.clinic.id, agentKeyId },
          { action: 'patient.created', entityType: 'patient', entityId: other.id, patientId: other.id },
        );
        const actions = async (query: Record<string, string>) => (await listActivity(db, adminOf(a), q(query), EN)).entries.map((e) => e.action);

        expect(await actions({ practitioner_id: String(a.colleague.id) })).toEqual(['availability_exception.created']);
        expect(await actions({ practitioner_id: String(a.practitioner.id) })).toEqual([
          'availability_exception.deleted',
          'appointment.canceled_by_clinic',
          'availability_exception.created',
          'appointment.booked',
        ]);
        expect(await actions({ patient_id: String(a.patient.id) })).toEqual(['appointment.canceled_by_clinic', 'appointment.booked']);
        expect(await actions({ patient_id: String(other.id) })).toEqual(['patient.created']);
        expect(await actions({ kind: 'availability' })).toEqual([
          'availability_exception.created',
          'availability_exception.deleted',
          'availability_exception.created',
        ]);
        expect(await actions({ kind: 'patients' })).toEqual(['patient.created']);
        expect(await actions({ kind: 'members' })).toEqual([]);
        expect(await actions({ kind: 'availability', practitioner_id: String(a.practitioner.id) })).toEqual([
          'availability_exception.deleted',
          'availability_exception.created',
        ]);
        expect(await actions({ kind: 'appointments', patient_id: String(a.patient.id), practitioner_id: String(a.colleague.id) })).toEqual([]);
        expect(colleagueException.exception_id).toBeGreaterThan(0);
        const patientEntry = (await listActivity(db, adminOf(a), q({ patient_id: String(other.id) }), EN)).entries[0]!;
        expect(patientEntry).toMatchObject({ summary: 'Added the patient 王先生', link: `/settings/clinic/activity?patient_id=${other.id}` });
      });

      it("keeps secrets out: the LINE channel's token and secret appear nowhere in the answer", async () => {
        const token = 'line-access-token-SECRET-0123456789abcdef';
        const secret = 'line-channel-secret-SECRET-fedcba';
        await setClinicLineChannel(db, adminOf(a), { access_token: token, channel_secret: secret });
        const res = await callRoute(activityGET, { path: '/api/clinic/admin/activity?kind=settings', cookie: (await staffCookies(a)).admin });
        expect(res.status).toBe(200);
        expect(res.body.entries.map((e: { summary: string; link: string }) => [e.summary, e.link])).toEqual([
          ["Set the clinic's LINE channel", '/settings/clinic'],
        ]);
        const answer = JSON.stringify(res.body);
        for (const part of [token, secret, token.slice(-4), secret.slice(-4), 'SECRET']) expect(answer).not.toContain(part);
      });
    });

    describe('pages and dates', () => {
      let c: Cast;
      let admin: Caller;
      beforeAll(async () => {
        db = await getDb();
        c = await makeClinicWithStaff(db);
        admin = adminOf(c);
      });

      it('pages newest first, ties by id, every entry exactly once, while new entries arrive', async () => {
        const actor: AuditActor = { kind: 'system', clinicId: c.clinic.id };
        const ids: number[] = [];
        // Seven entries in one microsecond and three later ones.
        for (let i = 0; i < 7; i++) ids.push(await entryAt(db, actor, '2031-04-01T02:00:00.123456Z', 'weekly_schedule.replaced'));
        for (let i = 0; i < 3; i++) ids.push(await entryAt(db, actor, `2031-04-01T0${3 + i}:00:00Z`, 'weekly_schedule.replaced'));
        const expected = [ids[9], ids[8], ids[7], ...ids.slice(0, 7).reverse()];
        const seen: number[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = await listActivity(db, admin, q({ limit: '3', ...(cursor ? { cursor } : {}) }), EN);
          seen.push(...page.entries.map((e) => e.id));
          cursor = page.next_cursor;
          pages++;
          // Entries written meanwhile (newer) do not shift the pages still to come.
          await entryAt(db, actor, '2031-04-02T00:00:00Z', 'weekly_schedule.replaced');
        } while (cursor);
        expect(seen).toEqual(expected);
        expect(pages).toBe(4);
      });

      it('reads dates on the clinic clock: 23:30 in Taipei on the 1st belongs to the 1st, midnight to the 2nd', async () => {
        const d = await makeClinicWithStaff(db);
        const actor: AuditActor = { kind: 'system', clinicId: d.clinic.id };
        const late = await entryAt(db, actor, '2031-03-01T15:30:00Z', 'clinic.settings_updated'); // 23:30 on the 1st in Taipei
        const midnight = await entryAt(db, actor, '2031-03-01T16:00:00Z', 'clinic.settings_updated'); // 00:00 on the 2nd
        const early = await entryAt(db, actor, '2031-02-28T16:00:00Z', 'clinic.settings_updated'); // 00:00 on the 1st
        const ids = async (query: Record<string, string>) => (await listActivity(db, adminOf(d), q(query), EN)).entries.map((e) => e.id);
        expect(await ids({ from: '2031-03-01', to: '2031-03-01' })).toEqual([late, early]);
        expect(await ids({ from: '2031-03-02', to: '2031-03-02' })).toEqual([midnight]);
        expect(await ids({ from: '2031-03-02' })).toEqual([midnight]);
        expect(await ids({ to: '2031-02-28' })).toEqual([]);
        expect(await ids({ to: '2031-03-01', kind: 'settings' })).toEqual([late, early]);
        const [entry] = (await listActivity(db, adminOf(d), q({ from: '2031-03-01', to: '2031-03-01' }), EN)).entries;
        expect(entry).toMatchObject({ at: '2031-03-01T15:30:00.000Z', clinic_date: '2031-03-01', clinic_time: '23:30' });
      });
    });

    describe('GET /api/clinic/admin/activity', () => {
      let c: Cast;
      let cookies: Awaited<ReturnType<typeof staffCookies>>;
      beforeAll(async () => {
        db = await getDb();
        c = await makeClinicWithStaff(db);
        cookies = await staffCookies(c);
        await writeAudit(
          db,
          { kind: 'user', clinicId: c.clinic.id, userId: c.admin.id },
          {
            action: 'member.invited',
            entityType: 'invitation',
            entityId: 7,
            details: { email: 'new@clinic.test', name: '新同事', role: 'practitioner', is_practitioner: true },
          },
        );
      });

      it.each([
        ['the admin', 'admin', 200],
        ['a practitioner', 'own', 403],
        ['signed out', null, 401],
      ] as const)('answers %s (%s) with %i', async (_who, cookie, status) => {
        const res = await callRoute(activityGET, { path: '/api/clinic/admin/activity', ...(cookie ? { cookie: cookies[cookie] } : {}) });
        expect(res.status).toBe(status);
        if (status === 200) {
          expect(activityPage.parse(res.body)).toEqual(res.body);
          expect(res.body.entries[0]).toMatchObject({
            summary: 'Invited 新同事 (new@clinic.test) as practitioner',
            link: '/settings/clinic/members',
          });
        } else expect(res.body.error).toBe(status === 401 ? 'unauthorized' : 'forbidden');
      });

      it("refuses the agent's key", async () => {
        const { key } = await createAgentKey(db, { clinicSlug: c.clinic.slug, name: 'agent' });
        expect((await callRoute(activityGET, { path: '/api/clinic/admin/activity', agentKey: key })).status).toBe(403);
      });

      it("answers in the reader's language: the locale cookie, else Accept-Language", async () => {
        const summary = async (headers: Record<string, string>, cookie = cookies.admin) =>
          (await callRoute(activityGET, { path: '/api/clinic/admin/activity?kind=members', cookie, headers })).body.entries[0].summary;
        expect(await summary({ 'accept-language': 'zh-TW,zh;q=0.9' })).toBe('邀請了 新同事（new@clinic.test）擔任治療師');
        expect(await summary({}, `${cookies.admin}; locale=zh-TW`)).toBe('邀請了 新同事（new@clinic.test）擔任治療師');
        expect(await summary({ 'accept-language': 'zh-TW' }, `${cookies.admin}; locale=en`)).toBe('Invited 新同事 (new@clinic.test) as practitioner');
        await writeAudit(
          db,
          { kind: 'user', clinicId: c.clinic.id, userId: c.admin.id },
          {
            action: 'member.invited',
            entityType: 'invitation',
            entityId: 8,
            details: { email: 'desk@clinic.test', name: '櫃檯小美', role: 'practitioner', is_practitioner: false },
          },
        );
        expect(await summary({})).toBe('Invited 櫃檯小美 (desk@clinic.test) as front desk');
        expect(await summary({ 'accept-language': 'zh-TW' })).toBe('邀請了 櫃檯小美（desk@clinic.test）擔任櫃檯人員');
      });

      it.each([
        ['from after to', 'from=2031-03-02&to=2031-03-01'],
        ['a made-up cursor', 'cursor=bm90LWEtY3Vyc29y'],
        ['an unknown kind', 'kind=everything'],
        ['a limit of 0', 'limit=0'],
        ['a limit over 100', 'limit=101'],
        ['an unknown parameter', 'page=2'],
      ])('refuses %s with 400 validation_error', async (_what, query) => {
        const res = await callRoute(activityGET, { path: `/api/clinic/admin/activity?${query}`, cookie: cookies.admin });
        expect(res.status).toBe(400);
        expect(res.body.error).toBe('validation_error');
      });

      it("answers another clinic's practitioner as a filter with 404", async () => {
        const other = await makeClinicWithStaff(db);
        const res = await callRoute(activityGET, {
          path: `/api/clinic/admin/activity?practitioner_id=${other.practitioner.id}`,
          cookie: await sessionCookie({ id: c.admin.id, clinicId: c.clinic.id, role: 'admin' }),
        });
        expect(res).toEqual({ status: 404, body: { error: 'not_found', message: 'Practitioner not found' } });
      });
    });
  });
}

describe('every action the code writes reads as a sentence', () => {
  /** `action: '…'` and `action: \`…\`` in lib/, the template ones expanded by hand below. */
  const written = (() => {
    const found = new Set<string>();
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.tsx?$/.test(name) && !name.endsWith('.test.ts')) {
          for (const m of readFileSync(full, 'utf8').matchAll(/action: (?:'([a-z_.]+)'|`([^`]+)`)/g)) found.add(m[1] ?? m[2]!);
          for (const m of readFileSync(full, 'utf8').matchAll(/\? '([a-z_]+\.[a-z_]+)' : '([a-z_]+\.[a-z_]+)'/g)) found.add(m[1]!).add(m[2]!);
        }
      }
    };
    walk('lib');
    return found;
  })();
  const TEMPLATES: Record<string, string[]> = {
    'appointment.${status}': ['appointment.canceled_by_patient', 'appointment.canceled_by_clinic'],
    '${account.provider}.connected': ['google.connected'],
  };

  it('each action written in lib/ is known to the activity log', () => {
    const actions = [...written].flatMap((a) => TEMPLATES[a] ?? (a.includes('${') ? [`unexpanded template ${a}`] : [a]));
    expect(actions.filter((a) => !(ACTIVITY_ACTIONS as readonly string[]).includes(a))).toEqual([]);
  });

  it('each known action has its sentence in en and zh-TW', () => {
    for (const catalog of [en, zhTW]) {
      const sentences = (catalog as { activity: { actions: Record<string, string> } }).activity.actions;
      expect(ACTIVITY_ACTIONS.filter((a) => !sentences[a.replace(/\./g, '_')])).toEqual([]);
    }
  });
});
