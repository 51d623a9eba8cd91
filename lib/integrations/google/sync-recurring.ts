import 'server-only';
import { and, eq, gte, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { calendar_v3 } from 'googleapis';
import type { AuditActor } from '../../db/audit';
import { writeAudit } from '../../db/audit';
import type { Db, DbOrTx } from '../../db/client';
import { lockPractitionerCalendar } from '../../db/locks';
import { availabilityExceptions, calendarEvents } from '../../db/schema';
import { inTransaction } from '../../db/transaction';
import { loadEventForGoogle, type GoogleConnectionRow, type OurEvent } from '../../queries/google';
import { enqueueGoogleDelete } from '../../services/google-sync-jobs';
import { clinicNow } from '../../time/clinic-clock';
import { describeGoogleError } from './client';
import { localSpans } from './event-body';

/*
 * Google's side of a recurring exception (issue 16). Our series is one recurring Google event; Google
 * reports what the practitioner does to one of its instances as an event of its own with
 * `recurringEventId` (the series' id) and `originalStartTime` (where the instance was):
 *   - deleted: `status: "cancelled"` (only id, recurringEventId and originalStartTime are certain);
 *     its local date joins the series' exdates;
 *   - moved: a confirmed instance at another time; it becomes an occurrence edited on its own (an
 *     exception row with recurring_parent_id and original_date). That row keeps the instance's id as
 *     its Google event, since Google keeps an edited instance in its series whatever we write to
 *     the series later; so later moves or a deletion of it in Google reach the row like those of
 *     a single exception, and the series' EXDATE leaves its date out (lib/queries/google.ts).
 */

const googleActor = (clinicId: number): AuditActor => ({ kind: 'google', clinicId });

/** The clinic-local date an instance was at (`originalStartTime`): a date as given, a date-time in the clinic's zone, never the UTC day. */
export function originalLocalDate(t: calendar_v3.Schema$EventDateTime | undefined, timeZone: string): string | null {
  if (t?.date) return t.date;
  if (!t?.dateTime) return null;
  // Without an offset the wall clock is already the event's zone, which is the clinic's for our series.
  if (!/(?:[zZ]|[+-]\d{2}:\d{2})$/.test(t.dateTime)) return t.dateTime.slice(0, 10);
  const instant = new Date(t.dateTime);
  return Number.isNaN(instant.getTime()) ? null : clinicNow(timeZone, instant).date;
}

/** Our recurring exception behind a Google series id, when it is this practitioner's. */
async function seriesOf(db: DbOrTx, connection: GoogleConnectionRow, recurringEventId: string): Promise<OurEvent | null> {
  const m = /^clinicbot([0-9a-v]{1,7})$/.exec(recurringEventId);
  const ours = m
    ? await loadEventForGoogle(db, { calendarEventId: parseInt(m[1]!, 32) })
    : await loadEventForGoogle(db, { userId: connection.userId, gcalEventId: recurringEventId });
  if (!ours || ours.userId !== connection.userId || ours.eventType !== 'availability_exception') return null;
  if (ours.facts.kind !== 'availability_exception' || !ours.facts.series || ours.exceptionId === null) return null;
  if (ours.gcalEventId !== null && ours.gcalEventId !== recurringEventId) return null;
  return ours;
}

/**
 * One listed instance of a recurring Google event. null when the series is not ours (the caller
 * goes on as for any other event: busy time); else whether it changed something of ours.
 */
export async function applySeriesInstance(db: Db, connection: GoogleConnectionRow, item: calendar_v3.Schema$Event): Promise<boolean | null> {
  if (!item.recurringEventId || !item.id) return null;
  const series = await seriesOf(db, connection, item.recurringEventId);
  if (!series) return null;
  const originalDate = originalLocalDate(item.originalStartTime, connection.timezone);
  if (!originalDate) return false;
  const until = series.facts.kind === 'availability_exception' ? series.facts.series?.until : null;
  // Past the series' end (it was cut here, "this and following"): nothing of the series is there to delete.
  if (item.status === 'cancelled') return until && originalDate > until ? false : occurrenceDeletedInGoogle(db, connection, series, originalDate);
  const spans = localSpans(item, connection.timezone);
  const f = series.facts;
  const span = spans.length === 1 ? spans[0]! : null;
  // An instance as the series has it (listed by a full sync, or only its title changed): nothing to do.
  if (span && span.date === originalDate && span.start === f.start && span.end === f.end) return false;
  // Stretched over several days: one occurrence is one day here; it stays as the series has it.
  if (!span) return false;
  return inTransaction(db, async (tx) => {
    await lockPractitionerCalendar(tx, series.userId);
    if (!(await addExdate(tx, series.exceptionId!, originalDate))) return false;
    const [event] = await tx
      .insert(calendarEvents)
      .values({
        userId: series.userId,
        eventType: 'availability_exception',
        date: span.date,
        startTime: span.start,
        endTime: span.end,
        gcalEventId: item.id!,
        gcalEtag: item.etag ?? null,
        gcalSyncStatus: 'synced',
      })
      .returning({ id: calendarEvents.id });
    const [occurrence] = await tx
      .insert(availabilityExceptions)
      .values({ calendarEventId: event!.id, recurringParentId: series.exceptionId!, originalDate })
      .returning({ id: availabilityExceptions.id });
    await writeAudit(tx, googleActor(connection.clinicId), {
      action: 'availability_exception.updated',
      entityType: 'availability_exception',
      entityId: occurrence!.id,
      details: {
        source: 'gcal_move',
        practitioner_id: series.userId,
        series_id: series.exceptionId,
        before: { date: originalDate, start: f.start, end: f.end },
        after: span,
      },
    });
    return true;
  });
}

/** Adds a local date to a series' exdates unless it is there already (so a repeated notice changes nothing). */
async function addExdate(tx: DbOrTx, exceptionId: number, date: string): Promise<boolean> {
  const updated = await tx
    .update(availabilityExceptions)
    // Kept sorted, as the exception service writes them.
    .set({ exdates: sql`ARRAY(SELECT d FROM unnest(array_append(${availabilityExceptions.exdates}, ${date}::date)) AS d ORDER BY d)` })
    .where(
      and(
        eq(availabilityExceptions.id, exceptionId),
        isNotNull(availabilityExceptions.rrule),
        sql`NOT (${date}::date = ANY(${availabilityExceptions.exdates}))`,
      ),
    )
    .returning({ id: availabilityExceptions.id });
  return updated.length > 0;
}

/** One occurrence of our series deleted in Google: that date is deleted here, once. */
async function occurrenceDeletedInGoogle(db: Db, connection: GoogleConnectionRow, series: OurEvent, date: string): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    await lockPractitionerCalendar(tx, series.userId);
    if (!(await addExdate(tx, series.exceptionId!, date))) return false;
    // Read as any removed unavailable time of that date ("Removed …: <date> <times>"); series_id tells it was one occurrence.
    await writeAudit(tx, googleActor(connection.clinicId), {
      action: 'availability_exception.deleted',
      entityType: 'availability_exception',
      entityId: series.exceptionId,
      details: {
        source: 'gcal_deletion',
        practitioner_id: series.userId,
        series_id: series.exceptionId,
        date,
        start: series.facts.start,
        end: series.facts.end,
      },
    });
    return true;
  });
}

/**
 * Before our series' row goes (deleted in Google), its occurrences edited on their own go first
 * (they would keep blocking time, and the row cannot go while they point at it). Those with a Google
 * event of their own lose it too; those that are instances of the series went with it in Google.
 */
export async function deleteSeriesOccurrences(tx: DbOrTx, connection: GoogleConnectionRow, series: OurEvent): Promise<void> {
  if (series.exceptionId === null || series.facts.kind !== 'availability_exception' || !series.facts.series) return;
  const occurrences = await tx
    .select({ calendarEventId: calendarEvents.id, gcalEventId: calendarEvents.gcalEventId })
    .from(availabilityExceptions)
    .innerJoin(calendarEvents, eq(calendarEvents.id, availabilityExceptions.calendarEventId))
    .where(eq(availabilityExceptions.recurringParentId, series.exceptionId));
  if (occurrences.length === 0) return;
  const instancePrefix = `${series.gcalEventId ?? ''}_`;
  for (const o of occurrences) {
    if (o.gcalEventId && !o.gcalEventId.startsWith(instancePrefix)) {
      await enqueueGoogleDelete(tx, {
        clinicId: connection.clinicId,
        practitionerId: series.userId,
        calendarEventId: o.calendarEventId,
        gcalEventId: o.gcalEventId,
      });
    }
  }
  await tx.delete(calendarEvents).where(
    inArray(
      calendarEvents.id,
      occurrences.map((o) => o.calendarEventId),
    ),
  );
}

/**
 * After a full list (a 410, or the first sync): a full list shows a series' instances but neither
 * the series nor the instances deleted in Google, and how far ahead it expands a series is Google's
 * choice. So each of our synced series still running is asked for its instances, deleted ones
 * included, within about a year ahead (further occurrences are beyond any booking horizon), and
 * those are applied as an incremental sync would have; a series Google no longer has (404/410) was
 * deleted there.
 */
export async function catchUpSeriesInstances(
  db: Db,
  connection: GoogleConnectionRow,
  calendar: calendar_v3.Calendar,
  now: Date,
  apply: (item: calendar_v3.Schema$Event) => Promise<boolean>,
  signal?: AbortSignal,
): Promise<number> {
  const today = clinicNow(connection.timezone, now).date;
  const ours = await db
    .select({ gcalEventId: calendarEvents.gcalEventId })
    .from(availabilityExceptions)
    .innerJoin(calendarEvents, eq(calendarEvents.id, availabilityExceptions.calendarEventId))
    .where(
      and(
        eq(calendarEvents.userId, connection.userId),
        isNotNull(availabilityExceptions.rrule),
        isNotNull(calendarEvents.gcalEventId),
        eq(calendarEvents.gcalSyncStatus, 'synced'),
        or(isNull(availabilityExceptions.seriesUntil), gte(availabilityExceptions.seriesUntil, today)),
      ),
    );
  let changes = 0;
  for (const { gcalEventId } of ours) {
    const seriesId = gcalEventId!;
    let pageToken: string | undefined;
    for (let page = 0; page < 20; page += 1) {
      let data: calendar_v3.Schema$Events;
      try {
        data = (
          await calendar.events.instances(
            {
              calendarId: connection.calendarId,
              eventId: seriesId,
              showDeleted: true,
              timeMin: new Date(now.getTime() - 86_400_000).toISOString(),
              timeMax: new Date(now.getTime() + 400 * 86_400_000).toISOString(),
              maxResults: 250,
              ...(pageToken ? { pageToken } : {}),
            },
            { signal },
          )
        ).data;
      } catch (err) {
        const status = describeGoogleError(err).status;
        if (status !== 404 && status !== 410) throw err;
        if (await apply({ id: seriesId, status: 'cancelled' })) changes += 1;
        break;
      }
      for (const item of data.items ?? []) {
        if (item.status === 'cancelled' && (await apply({ ...item, recurringEventId: item.recurringEventId ?? seriesId }))) changes += 1;
      }
      if (!data.nextPageToken) break;
      pageToken = data.nextPageToken;
    }
  }
  return changes;
}
