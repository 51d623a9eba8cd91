import 'server-only';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Account } from 'next-auth';
import { writeAudit } from '../db/audit';
import { noteOutboxJobWritten } from '../db/outbox-mark';
import { getDb, type DbOrTx } from '../db/client';
import { prepared } from '../db/prepared';
import { accounts, clinics, googleConnections, outboxJobs, users } from '../db/schema';

export interface Member {
  id: number;
  clinicId: number;
  email: string;
  name: string;
  role: 'practitioner' | 'admin';
  isPractitioner: boolean;
}

const memberColumns = {
  id: users.id,
  clinicId: users.clinicId,
  email: users.email,
  name: users.name,
  role: users.role,
  isPractitioner: users.isPractitioner,
};

export async function findUserByEmail(email: string): Promise<Member | null> {
  const db = await getDb();
  const [row] = await db
    .select(memberColumns)
    .from(users)
    .where(and(eq(sql`lower(${users.email})`, email.toLowerCase()), isNull(users.deactivatedAt)))
    .limit(1);
  return (row as Member | undefined) ?? null;
}

/**
 * The member lookup of every signed-in request, with the clinic's cache version (one join), so a
 * session request needs no second lookup for it. Built once per database handle (lib/db/prepared.ts).
 */
const memberByIdStatement = (db: DbOrTx, name: string) =>
  db
    .select({ ...memberColumns, clinicVersion: clinics.cacheVersion })
    .from(users)
    .innerJoin(clinics, eq(clinics.id, users.clinicId))
    .where(and(eq(users.id, sql.placeholder('id')), isNull(users.deactivatedAt)))
    .limit(1)
    .prepare(name);

/** A member with their clinic's cache version, or null when there is none (or they were deactivated). */
export async function findUserById(id: number): Promise<(Member & { clinicVersion: number }) | null> {
  const [row] = await prepared(await getDb(), 'member_by_id', memberByIdStatement).execute({ id });
  return (row as (Member & { clinicVersion: number }) | undefined) ?? null;
}

/**
 * Stores (or refreshes) a member's Google grant at sign-in, with an audit entry, in one
 * transaction. The audit records the scope and whether a refresh token came, never a token.
 */
export async function saveOAuthAccount(userId: number, account: Account, googleEmail?: string | null): Promise<void> {
  const db = await getDb();
  const member = await findUserById(userId);
  if (!member) return;
  const values = {
    userId,
    type: account.type,
    provider: account.provider,
    providerAccountId: account.providerAccountId,
    accessToken: account.access_token ?? null,
    expiresAt: account.expires_at ?? null,
    tokenType: account.token_type ?? null,
    scope: account.scope ?? null,
    idToken: account.id_token ?? null,
    updatedAt: new Date(),
  };
  await db.transaction(async (tx) => {
    await tx
      .insert(accounts)
      .values({ ...values, refreshToken: account.refresh_token ?? null })
      .onConflictDoUpdate({
        target: [accounts.provider, accounts.providerAccountId],
        // Google sends a refresh token only on consent: keep the stored one when none came.
        set: { ...values, refreshToken: sql`coalesce(excluded.refresh_token, ${accounts.refreshToken})` },
      });
    await writeAudit(
      tx,
      { kind: 'user', clinicId: member.clinicId, userId: member.id },
      {
        action: `${account.provider}.connected`,
        entityType: 'user',
        entityId: member.id,
        details: { scope: account.scope ?? null, refresh_token_received: Boolean(account.refresh_token) },
      },
    );
    if (account.provider === 'google') await connectGoogleCalendar(tx, member, { googleEmail: googleEmail ?? null, scope: account.scope ?? null });
  });
}

const CALENDAR_SCOPE = 'https://www.googleapis.com/auth/calendar';

/**
 * Signing in with Google (with the Calendar scope) connects the member's primary calendar, with no
 * second step (CONTRACT.md). A new connection, or one coming back from broken or disconnected, gets
 * a `google.connect` job in the same transaction (channel, first sync, every future event pushed
 * once); a connection already working is left as it is.
 */
async function connectGoogleCalendar(tx: DbOrTx, member: Member, v: { googleEmail: string | null; scope: string | null }): Promise<void> {
  if (!v.scope?.split(/\s+/).includes(CALENDAR_SCOPE)) return;
  const [before] = await tx.select({ state: googleConnections.state }).from(googleConnections).where(eq(googleConnections.userId, member.id));
  if (before?.state === 'connected') return;
  const now = new Date();
  await tx
    .insert(googleConnections)
    .values({ userId: member.id, clinicId: member.clinicId, googleEmail: v.googleEmail, state: 'connected' })
    .onConflictDoUpdate({
      target: googleConnections.userId,
      set: { state: 'connected', brokenReason: null, googleEmail: v.googleEmail, syncToken: null, connectedAt: now, updatedAt: now },
    });
  await tx.insert(outboxJobs).values({ clinicId: member.clinicId, kind: 'google.connect', payload: { practitioner_id: member.id } });
  noteOutboxJobWritten();
  await writeAudit(
    tx,
    { kind: 'user', clinicId: member.clinicId, userId: member.id },
    {
      action: 'google_calendar.connected',
      entityType: 'user',
      entityId: member.id,
      details: { google_email: v.googleEmail },
      practitionerId: member.isPractitioner ? member.id : null,
    },
  );
}
