import 'server-only';
import { and, count, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { assertMember, findPractitionerForCaller } from '../auth/access';
import type { Caller } from '../auth/caller';
import type { DbOrTx } from '../db/client';
import {
  appointmentTypes,
  appointments,
  auditLog,
  availabilityExceptions,
  calendarEvents,
  clinics,
  googleChannels,
  googleConnections,
  patients,
  users,
} from '../db/schema';

/** What an appointment's Google copy shows. */
export interface AppointmentFacts {
  kind: 'appointment';
  calendarEventId: number;
  date: string;
  start: string;
  end: string;
  patient: string;
  phone: string | null;
  appointmentType: string;
}

export interface ExceptionFacts {
  kind: 'availability_exception';
  calendarEventId: number;
  date: string;
  /** null = all day */
  start: string | null;
  end: string | null;
  /** A recurring exception (issue 16): one recurring Google event; `date` is its DTSTART. Null = a single exception. */
  series: ExceptionSeries | null;
}

/** A recurring exception's rule as its Google copy needs it. */
export interface ExceptionSeries {
  /** RFC 5545 RRULE value, without `RRULE:` and DTSTART */
  rrule: string;
  /**
   * local dates the series' own Google event must not show (EXDATE): deleted occurrences and
   * occurrences edited here on their own (their own Google event). An occurrence moved in Google
   * stays that event's instance (Google keeps an edited instance as part of its series), so its
   * date is not among these.
   */
  exdates: string[];
  /** the last local date an occurrence can fall on; null = no end */
  until: string | null;
}

const hhmm = (t: string | null) => (t ? t.slice(0, 5) : null);

export type GoogleConnectionRow = typeof googleConnections.$inferSelect & { timezone: string };

/** A practitioner's Google connection with their clinic's time zone, or null. */
export async function findGoogleConnection(db: DbOrTx, where: { userId: number } | { id: number }): Promise<GoogleConnectionRow | null> {
  const [row] = await db
    .select({ connection: googleConnections, timezone: clinics.timezone })
    .from(googleConnections)
    .innerJoin(clinics, eq(clinics.id, googleConnections.clinicId))
    .where('userId' in where ? eq(googleConnections.userId, where.userId) : eq(googleConnections.id, where.id));
  return row ? { ...row.connection, timezone: row.timezone } : null;
}

/** The channel a notification names, if it is live (not stopped, not expired). */
export async function findLiveChannel(db: DbOrTx, channelId: string, now: Date) {
  const [row] = await db
    .select()
    .from(googleChannels)
    .where(and(eq(googleChannels.channelId, channelId), isNull(googleChannels.stoppedAt), gt(googleChannels.expiresAt, now)));
  return row ?? null;
}

export interface OurEvent {
  calendarEventId: number;
  userId: number;
  eventType: 'appointment' | 'availability_exception';
  gcalEventId: string | null;
  gcalEtag: string | null;
  gcalSyncStatus: string | null;
  /** confirmed, canceled_by_… for appointments; null for exceptions */
  status: string | null;
  exceptionId: number | null;
  facts: AppointmentFacts | ExceptionFacts;
}

/** One of our calendar events with what its Google copy shows, or null when it no longer exists. */
export async function loadEventForGoogle(
  db: DbOrTx,
  where: { calendarEventId: number } | { userId: number; gcalEventId: string },
): Promise<OurEvent | null> {
  const [r] = await db
    .select({
      id: calendarEvents.id,
      userId: calendarEvents.userId,
      eventType: calendarEvents.eventType,
      date: calendarEvents.date,
      start: calendarEvents.startTime,
      end: calendarEvents.endTime,
      gcalEventId: calendarEvents.gcalEventId,
      gcalEtag: calendarEvents.gcalEtag,
      gcalSyncStatus: calendarEvents.gcalSyncStatus,
      status: appointments.status,
      patient: patients.fullName,
      phone: patients.phoneNumber,
      typeName: appointmentTypes.name,
      exceptionId: availabilityExceptions.id,
      rrule: availabilityExceptions.rrule,
      exdates: availabilityExceptions.exdates,
      seriesUntil: availabilityExceptions.seriesUntil,
    })
    .from(calendarEvents)
    .innerJoin(users, eq(users.id, calendarEvents.userId))
    .leftJoin(appointments, eq(appointments.calendarEventId, calendarEvents.id))
    .leftJoin(patients, eq(patients.id, appointments.patientId))
    .leftJoin(appointmentTypes, eq(appointmentTypes.id, appointments.appointmentTypeId))
    .leftJoin(availabilityExceptions, eq(availabilityExceptions.calendarEventId, calendarEvents.id))
    .where(
      'calendarEventId' in where
        ? eq(calendarEvents.id, where.calendarEventId)
        : and(eq(calendarEvents.userId, where.userId), eq(calendarEvents.gcalEventId, where.gcalEventId)),
    );
  if (!r) return null;
  let exdates = [...(r.exdates ?? [])];
  if (r.rrule && r.gcalEventId && r.exceptionId !== null) {
    const inGoogle = await db
      .select({ date: availabilityExceptions.originalDate })
      .from(availabilityExceptions)
      .innerJoin(calendarEvents, eq(calendarEvents.id, availabilityExceptions.calendarEventId))
      .where(
        and(eq(availabilityExceptions.recurringParentId, r.exceptionId), sql`starts_with(${calendarEvents.gcalEventId}, ${`${r.gcalEventId}_`})`),
      );
    const kept = new Set(inGoogle.map((o) => o.date));
    exdates = exdates.filter((d) => !kept.has(d));
  }
  const facts: AppointmentFacts | ExceptionFacts =
    r.eventType === 'appointment'
      ? {
          kind: 'appointment',
          calendarEventId: r.id,
          date: r.date,
          start: hhmm(r.start)!,
          end: hhmm(r.end)!,
          patient: r.patient!,
          phone: r.phone,
          appointmentType: r.typeName!,
        }
      : {
          kind: 'availability_exception',
          calendarEventId: r.id,
          date: r.date,
          start: hhmm(r.start),
          end: hhmm(r.end),
          series: r.rrule ? { rrule: r.rrule, exdates: exdates.sort(), until: r.seriesUntil } : null,
        };
  return {
    calendarEventId: r.id,
    userId: r.userId,
    eventType: r.eventType,
    gcalEventId: r.gcalEventId,
    gcalEtag: r.gcalEtag,
    gcalSyncStatus: r.gcalSyncStatus,
    status: r.status,
    exceptionId: r.exceptionId,
    facts,
  };
}

export interface GoogleCalendarSettingsDto {
  state: 'connected' | 'broken' | 'disconnected';
  google_email: string | null;
  broken_reason: string | null;
  count_busy: boolean;
  last_synced_at: string | null;
  channel_expires_at: string | null;
  /** events whose Google copy failed after every retry (see Deliveries) */
  failed_events: number;
  /** moves made in Google that we refused (onto another appointment), newest first */
  refused_moves: Array<{ calendar_event_id: number; at: string; kept: string; attempted: string }>;
}

/** The Google Calendar section of a practitioner's settings: null when they never connected. */
export async function getGoogleCalendarSettings(
  db: DbOrTx,
  caller: Caller,
  practitionerId: number,
  now: Date,
): Promise<GoogleCalendarSettingsDto | null> {
  assertMember(caller, 'Google Calendar settings');
  await findPractitionerForCaller(db, caller, practitionerId);
  const connection = await findGoogleConnection(db, { userId: practitionerId });
  if (!connection) return null;
  const [[channel], [failed], refusals] = await Promise.all([
    db
      .select({ expiresAt: googleChannels.expiresAt })
      .from(googleChannels)
      .where(and(eq(googleChannels.connectionId, connection.id), isNull(googleChannels.stoppedAt), gt(googleChannels.expiresAt, now)))
      .orderBy(desc(googleChannels.expiresAt))
      .limit(1),
    db
      .select({ n: count() })
      .from(calendarEvents)
      .where(and(eq(calendarEvents.userId, practitionerId), eq(calendarEvents.gcalSyncStatus, 'sync_failed'))),
    db
      .select({ entityId: auditLog.entityId, createdAt: auditLog.createdAt, details: auditLog.details })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.clinicId, caller.clinicId),
          eq(auditLog.action, 'appointment.google_move_refused'),
          sql`(${auditLog.details}->>'practitioner_id')::int = ${practitionerId}`,
        ),
      )
      .orderBy(desc(auditLog.createdAt))
      .limit(5),
  ]);
  const show = (v: unknown) => (v && typeof v === 'object' ? `${(v as { date: string }).date} ${(v as { time: string }).time}` : String(v));
  return {
    state: connection.state,
    google_email: connection.googleEmail,
    broken_reason: connection.brokenReason,
    count_busy: connection.countBusy,
    last_synced_at: connection.lastSyncedAt?.toISOString() ?? null,
    channel_expires_at: channel?.expiresAt.toISOString() ?? null,
    failed_events: failed?.n ?? 0,
    refused_moves: refusals.map((r) => ({
      calendar_event_id: Number(r.entityId),
      at: r.createdAt.toISOString(),
      kept: show(r.details.kept),
      attempted: show(r.details.attempted),
    })),
  };
}
