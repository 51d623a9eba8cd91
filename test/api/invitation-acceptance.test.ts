import { and, eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { DELETE as withdrawRoute } from '@/app/api/clinic/admin/invitations/[invitation_id]/route';
import { GET as practitionersRoute } from '@/app/api/clinic/practitioners/route';
import { acceptInvitationAtSignIn } from '@/lib/auth/invitations';
import { auditLog, invitations, users } from '@/lib/db/schema';
import { useTestDatabase } from '../support/db';
import { makeClinicWithStaff, makeUser } from '../support/factories';
import { callRoute, sessionCookie } from '../support/http';

// Signing in (auth.ts: Google and the demo sign-in) with the email of a pending invitation makes the
// member. An invitation accepted twice at once, or withdrawn while being accepted, leaves exactly one
// member or none, on PostgreSQL with truly concurrent transactions.

describe('accepting an invitation at sign-in', () => {
  const t = useTestDatabase();
  const db = () => t.db();
  let c: Awaited<ReturnType<typeof makeClinicWithStaff>>;
  let adminCookie: string;
  let n = 0;

  beforeAll(async () => {
    c = await makeClinicWithStaff(db());
    adminCookie = await sessionCookie({ id: c.admin.id, clinicId: c.clinic.id, role: 'admin' });
  });

  async function invitation(values: Partial<typeof invitations.$inferInsert> = {}) {
    const email = `invitee-${++n}@clinic.test`;
    const [row] = await db()
      .insert(invitations)
      .values({ clinicId: c.clinic.id, email, name: `Dr. Invited ${n}`, invitedByUserId: c.admin.id, ...values })
      .returning();
    return row!;
  }
  const membersWith = (email: string) =>
    db()
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  const stateOf = async (id: number) => (await db().select().from(invitations).where(eq(invitations.id, id)))[0]!;
  const withdraw = (id: number) =>
    callRoute(withdrawRoute, {
      method: 'DELETE',
      path: `/api/clinic/admin/invitations/${id}`,
      params: { invitation_id: String(id) },
      cookie: adminCookie,
    });

  it("makes the member with the invitation's clinic, name, role and is_practitioner, audited; they can use the app", async () => {
    const inv = await invitation({ role: 'admin', isPractitioner: true, name: '林醫師' });
    const member = await acceptInvitationAtSignIn(inv.email.toUpperCase());
    expect(member).toEqual({ id: expect.any(Number), clinicId: c.clinic.id, email: inv.email, name: '林醫師', role: 'admin', isPractitioner: true });
    const after = await stateOf(inv.id);
    expect(after).toMatchObject({ acceptedAt: expect.any(Date), acceptedUserId: member!.id, withdrawnAt: null });
    const [entry] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'invitation.accepted'), eq(auditLog.entityId, String(inv.id))));
    expect(entry).toMatchObject({
      clinicId: c.clinic.id,
      actorType: 'user',
      actorUserId: member!.id,
      practitionerId: member!.id,
      details: { email: inv.email, member_id: member!.id, role: 'admin', is_practitioner: true, invited_by_user_id: c.admin.id },
    });
    // The new member's session works, and they are a practitioner of the clinic.
    const cookie = await sessionCookie({ id: member!.id, clinicId: c.clinic.id, role: 'admin' });
    const res = await callRoute(practitionersRoute, { path: '/api/clinic/practitioners', cookie });
    expect(res.body.map((p: { name: string }) => p.name)).toContain('林醫師');
    // Signing in again is the same member; nothing more is accepted or created.
    expect(await acceptInvitationAtSignIn(inv.email)).toEqual(member);
    expect(await membersWith(inv.email)).toHaveLength(1);
  });

  it('accepts nothing without a pending invitation: none, withdrawn, or an email kept by a deactivated member', async () => {
    expect(await acceptInvitationAtSignIn('nobody@clinic.test')).toBeNull();
    const withdrawn = await invitation({ withdrawnAt: new Date() });
    expect(await acceptInvitationAtSignIn(withdrawn.email)).toBeNull();
    const gone = await makeUser(db(), { clinicId: c.clinic.id, deactivatedAt: new Date() });
    const [stale] = await db().insert(invitations).values({ clinicId: c.clinic.id, email: gone.email, name: 'Back again?' }).returning();
    expect(await acceptInvitationAtSignIn(gone.email)).toBeNull();
    expect((await stateOf(stale!.id)).acceptedAt).toBeNull();
    expect(await membersWith(gone.email)).toHaveLength(1);
  });

  it('two (and five) concurrent sign-ins accept it once: one member, and every sign-in gets that member', async () => {
    for (const concurrent of [2, 5, 2, 5]) {
      const inv = await invitation();
      const results = await whileInvitationLocked(inv.id, concurrent, () =>
        Promise.all(Array.from({ length: concurrent }, () => acceptInvitationAtSignIn(inv.email))),
      );
      const members = await membersWith(inv.email);
      expect(members).toHaveLength(1);
      expect(results.map((m) => m?.id)).toEqual(Array(concurrent).fill(members[0]!.id));
      const audits = await db()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'invitation.accepted'), eq(auditLog.entityId, String(inv.id))));
      expect(audits).toHaveLength(1);
    }
  });

  it('withdrawn while being accepted: the first to reach the invitation wins; one member (the admin gets 409) or none', async () => {
    for (let round = 0; round < 6; round += 1) {
      const inv = await invitation();
      const acceptFirst = round % 2 === 0;
      const accept = () => acceptInvitationAtSignIn(inv.email);
      const remove = () => withdraw(inv.id);
      // Each call is in flight, queued on the invitation's row, before the next one starts.
      const answers = await whileInvitationLocked<unknown>(inv.id, acceptFirst ? [accept, remove] : [remove, accept]);
      const [accepted, withdrawal] = (acceptFirst ? answers : [answers[1], answers[0]]) as [
        Awaited<ReturnType<typeof accept>>,
        Awaited<ReturnType<typeof remove>>,
      ];
      const members = await membersWith(inv.email);
      const after = await stateOf(inv.id);
      if (acceptFirst) {
        expect(accepted).not.toBeNull();
        expect(members).toEqual([{ id: accepted!.id }]);
        expect(after).toMatchObject({ acceptedUserId: accepted!.id, withdrawnAt: null });
        expect(withdrawal).toEqual({
          status: 409,
          body: { error: 'conflict', message: expect.any(String), details: { reason: 'invitation_accepted' } },
        });
      } else {
        expect(accepted).toBeNull();
        expect(members).toEqual([]);
        expect(after).toMatchObject({ acceptedAt: null, acceptedUserId: null, withdrawnAt: expect.any(Date) });
        expect(withdrawal).toEqual({ status: 200, body: { message: 'Invitation withdrawn' } });
      }
    }
  });

  /**
   * Runs calls while another connection holds the invitation's row and lets go only once they all
   * queue behind that lock, so they truly overlap whatever the machine's speed. A function with a
   * count starts its calls at once; a list starts each call once the previous one is queued (first
   * in the lock's queue, first to reach the row).
   */
  async function whileInvitationLocked<T>(id: number, waiting: number, work: () => Promise<T>): Promise<T>;
  async function whileInvitationLocked<T>(id: number, calls: Array<() => Promise<T>>): Promise<T[]>;
  async function whileInvitationLocked<T>(id: number, a: number | Array<() => Promise<T>>, work?: () => Promise<T>): Promise<T | T[]> {
    const blocker = new pg.Client({ connectionString: t.url() });
    await blocker.connect();
    const queued = async (count: number) => {
      for (;;) {
        // pg_stat_activity is read once per transaction unless its snapshot is cleared.
        await blocker.query('SELECT pg_stat_clear_snapshot()');
        const { rows } = await blocker.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
        );
        if (rows[0]!.n >= count) return;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT id FROM invitations WHERE id = $1 FOR UPDATE', [id]);
      let running: Promise<T | T[]>;
      if (typeof a === 'number') {
        running = work!();
        await queued(a);
      } else {
        const started: Array<Promise<T>> = [];
        for (const call of a) {
          started.push(call());
          await queued(started.length);
        }
        running = Promise.all(started);
      }
      await blocker.query('COMMIT');
      return await running;
    } finally {
      await blocker.end();
    }
  }
});
