import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, date, index, integer, pgTable, serial, text, time, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { clinics, users } from './clinic';

export const GOOGLE_CONNECTION_STATES = ['connected', 'broken', 'disconnected'] as const;
export type GoogleConnectionState = (typeof GOOGLE_CONNECTION_STATES)[number];

/**
 * A member's Google Calendar connection (the design's "Google Calendar Sync"). The OAuth grant
 * itself (refresh and access tokens) stays in `accounts`, where Auth.js's sign-in stores it.
 */
export const googleConnections = pgTable(
  'google_connections',
  {
    id: serial().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    clinicId: integer()
      .notNull()
      .references(() => clinics.id),
    googleEmail: varchar({ length: 320 }),
    calendarId: varchar({ length: 255 }).notNull().default('primary'),
    state: varchar({ length: 20 }).notNull().default('connected').$type<GoogleConnectionState>(),
    /** why the connection broke (e.g. the grant was revoked); shown in settings */
    brokenReason: text(),
    /** events.list's nextSyncToken; null = the next sync is a full one */
    syncToken: text(),
    /** "Count my other Google events as busy" */
    countBusy: boolean().notNull().default(false),
    lastSyncedAt: timestamp({ withTimezone: true }),
    /** one sync of a connection at a time, across servers: a lease taken with a conditional UPDATE */
    syncLeaseUntil: timestamp({ withTimezone: true }),
    /** a notification came while a sync held the lease: that sync runs once more */
    resyncRequested: boolean().notNull().default(false),
    connectedAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
    updatedAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [
    uniqueIndex('uq_google_connections_user').on(t.userId),
    check('check_google_connection_state', sql`${t.state} IN ('connected', 'broken', 'disconnected')`),
  ],
);

/**
 * Watch channels (events.watch) of a connection. Renewal opens the new channel before it stops the
 * old one, so for a while two are live; a notification is accepted from any live channel whose
 * token matches. Only a SHA-256 of the token is kept.
 */
export const googleChannels = pgTable(
  'google_channels',
  {
    id: serial().primaryKey(),
    connectionId: integer()
      .notNull()
      .references(() => googleConnections.id, { onDelete: 'cascade' }),
    channelId: varchar({ length: 64 }).notNull(),
    tokenHash: varchar({ length: 64 }).notNull(),
    /** Google's X-Goog-Resource-ID of the watched calendar (the design's gcal_watch_resource_id) */
    resourceId: varchar({ length: 255 }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    stoppedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [uniqueIndex('uq_google_channels_channel').on(t.channelId), index('idx_google_channels_connection').on(t.connectionId)],
);

/**
 * A practitioner's own Google events that count as busy (when the connection's countBusy is on):
 * kept by the same incremental sync, one row per local date, times in the clinic's zone (null =
 * the whole day). Titles are never stored.
 */
export const googleBusyTimes = pgTable(
  'google_busy_times',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    gcalEventId: varchar({ length: 1024 }).notNull(),
    date: date().notNull(),
    startTime: time(),
    endTime: time(),
  },
  (t) => [
    uniqueIndex('uq_google_busy_user_event_date').on(t.userId, t.gcalEventId, t.date),
    index('idx_google_busy_user_date').on(t.userId, t.date),
    check(
      'check_google_busy_times',
      sql`(${t.startTime} IS NULL) = (${t.endTime} IS NULL) AND (${t.startTime} IS NULL OR ${t.startTime} < ${t.endTime})`,
    ),
  ],
);
