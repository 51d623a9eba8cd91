import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { clinics, users } from './clinic';

export const ACTOR_TYPES = ['user', 'agent', 'google', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Append-only record of every change to clinic data, written in the same transaction as the change. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    clinicId: integer()
      .notNull()
      .references(() => clinics.id),
    actorType: varchar({ length: 20 }).notNull().$type<ActorType>(),
    actorUserId: integer().references(() => users.id),
    actorAgentKeyId: integer().references(() => agentKeys.id),
    action: varchar({ length: 100 }).notNull(),
    entityType: varchar({ length: 50 }).notNull(),
    entityId: varchar({ length: 64 }),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** The practitioner and patient the entry concerns, when it concerns one (the activity filters). */
    practitionerId: integer(),
    patientId: integer(),
    createdAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [
    check('check_audit_actor_type', sql`${t.actorType} IN ('user', 'agent', 'google', 'system')`),
    index('idx_audit_log_clinic_created').on(t.clinicId, t.createdAt),
    index('idx_audit_log_clinic_practitioner').on(t.clinicId, t.practitionerId, t.createdAt),
    index('idx_audit_log_clinic_patient').on(t.clinicId, t.patientId, t.createdAt),
    index('idx_audit_log_entity').on(t.entityType, t.entityId),
  ],
);

export const OUTBOX_KINDS = ['line.push', 'google.upsert_event', 'google.delete_event', 'google.connect', 'google.disconnect'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];
export const OUTBOX_STATUSES = ['pending', 'processing', 'delivered', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * Durable outbox: work for outside services (LINE, Google), written in the transaction of the
 * change that causes it and delivered afterwards. `retry_key` is sent as LINE's X-Line-Retry-Key
 * so a retried push is executed once.
 */
export const outboxJobs = pgTable(
  'outbox_jobs',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    clinicId: integer()
      .notNull()
      .references(() => clinics.id),
    kind: varchar({ length: 50 }).notNull().$type<OutboxKind>(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    status: varchar({ length: 20 }).notNull().default('pending').$type<OutboxStatus>(),
    attempts: smallint().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
    /** set while a worker holds the job; a claim older than this is taken over (crashed worker) */
    lockedUntil: timestamp({ withTimezone: true }),
    retryKey: uuid().notNull().defaultRandom(),
    lastError: text(),
    deliveredAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
    updatedAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [
    check('check_outbox_kind', sql`${t.kind} IN ('line.push', 'google.upsert_event', 'google.delete_event', 'google.connect', 'google.disconnect')`),
    check('check_outbox_status', sql`${t.status} IN ('pending', 'processing', 'delivered', 'failed')`),
    check('check_outbox_attempts', sql`${t.attempts} >= 0`),
    index('idx_outbox_due').on(t.status, t.nextAttemptAt),
    index('idx_outbox_clinic_status').on(t.clinicId, t.status),
  ],
);

export const ATTEMPT_OUTCOMES = ['delivered', 'already_delivered', 'retry', 'failed'] as const;

/** Every delivery attempt of an outbox job: the schedule a retry followed, and why it failed. */
export const outboxAttempts = pgTable(
  'outbox_attempts',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    jobId: bigint({ mode: 'number' })
      .notNull()
      .references(() => outboxJobs.id, { onDelete: 'cascade' }),
    attempt: smallint().notNull(),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    finishedAt: timestamp({ withTimezone: true }).notNull(),
    outcome: varchar({ length: 20 }).notNull().$type<(typeof ATTEMPT_OUTCOMES)[number]>(),
    error: text(),
    /** for a retry: when the next attempt is due */
    nextAttemptAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    check('check_attempt_outcome', sql`${t.outcome} IN ('delivered', 'already_delivered', 'retry', 'failed')`),
    index('idx_outbox_attempts_job').on(t.jobId, t.attempt),
  ],
);

/** AI-agent API keys: only a SHA-256 of the key is stored; the prefix identifies it in the UI. */
export const agentKeys = pgTable(
  'agent_keys',
  {
    id: serial().primaryKey(),
    clinicId: integer()
      .notNull()
      .references(() => clinics.id),
    name: varchar({ length: 100 }).notNull(),
    keyHash: varchar({ length: 64 }).notNull().unique(),
    keyPrefix: varchar({ length: 16 }).notNull(),
    createdAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('idx_agent_keys_clinic').on(t.clinicId)],
);

/** Answers to creating requests, replayed for a repeated Idempotency-Key within 24 hours. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    id: serial().primaryKey(),
    /** who asked: `user:<id>` or `agent:<key id>`; keys of different callers never collide */
    caller: varchar({ length: 64 }).notNull(),
    key: varchar({ length: 255 }).notNull(),
    requestHash: varchar({ length: 64 }).notNull(),
    responseStatus: smallint().notNull(),
    responseBody: jsonb().notNull(),
    createdAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [uniqueIndex('uq_idempotency_caller_key').on(t.caller, t.key)],
);

/**
 * Auth.js's account shape (OAuth grants). Google's refresh token lives here so the calendar sync
 * can use the same grant the practitioner signed in with.
 */
export const accounts = pgTable(
  'accounts',
  {
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: varchar({ length: 32 }).notNull(),
    provider: varchar({ length: 64 }).notNull(),
    providerAccountId: varchar({ length: 255 }).notNull(),
    refreshToken: text(),
    accessToken: text(),
    expiresAt: integer(),
    tokenType: varchar({ length: 32 }),
    scope: text(),
    idToken: text(),
    sessionState: varchar({ length: 255 }),
    updatedAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [uniqueIndex('uq_accounts_provider_account').on(t.provider, t.providerAccountId), index('idx_accounts_user').on(t.userId)],
);

/**
 * Fixed one-minute windows of requests per caller (AI-agent keys). In the database, not in memory,
 * because serverless instances do not share memory. A caller's count of a window is spread over
 * shard rows (lib/api/rate-limit.ts), so its concurrent requests do not queue on one row lock; the
 * table is UNLOGGED (drizzle/0005): counts need no WAL flush, and a crash merely forgets them.
 */
export const rateLimitBuckets = pgTable(
  'rate_limit_buckets',
  {
    bucket: varchar({ length: 100 }).notNull(),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    shard: smallint().notNull().default(0),
    count: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.windowStart, t.shard] })],
);
