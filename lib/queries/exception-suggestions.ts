import 'server-only';
import { and, eq, gte, isNull } from 'drizzle-orm';
import { toHHMM } from '../availability';
import { findRepeatedExceptions, REPEAT_LOOKBACK_DAYS, type RepeatSuggestion } from '../availability/repeated-exceptions';
import { assertMember, findPractitionerForCaller } from '../auth/access';
import type { Caller } from '../auth/caller';
import type { DbOrTx } from '../db/client';
import { availabilityExceptions, calendarEvents } from '../db/schema';
import { clinicNow } from '../time/clinic-clock';
import { systemClock, type Clock } from '../time/clock';
import { addDays } from '../time/dates';
import { getClinicSettings } from './clinic';

export type { RepeatSuggestion } from '../availability/repeated-exceptions';

/**
 * A practitioner's single exceptions (neither a series nor an occurrence edited out of one) from
 * REPEAT_LOOKBACK_DAYS before `today` on. The suggestion and its conversion both read this list.
 */
export async function loadRecentSingleExceptions(db: DbOrTx, practitionerId: number, today: string) {
  const rows = await db
    .select({ exceptionId: availabilityExceptions.id, date: calendarEvents.date, start: calendarEvents.startTime, end: calendarEvents.endTime })
    .from(availabilityExceptions)
    .innerJoin(calendarEvents, eq(calendarEvents.id, availabilityExceptions.calendarEventId))
    .where(
      and(
        eq(calendarEvents.userId, practitionerId),
        gte(calendarEvents.date, addDays(today, -REPEAT_LOOKBACK_DAYS)),
        isNull(availabilityExceptions.rrule),
        isNull(availabilityExceptions.recurringParentId),
      ),
    );
  return rows.map((r) => ({ ...r, start: r.start ? toHHMM(r.start) : null, end: r.end ? toHHMM(r.end) : null }));
}

/** The settings page's "make it repeat every week?" suggestions for a practitioner (members only). */
export async function listRepeatSuggestions(
  db: DbOrTx,
  caller: Caller,
  practitionerId: number,
  clock: Clock = systemClock,
): Promise<RepeatSuggestion[]> {
  assertMember(caller, 'Suggestions');
  await findPractitionerForCaller(db, caller, practitionerId);
  const clinic = await getClinicSettings(db, caller.clinicId);
  const today = clinicNow(clinic.timezone, clock()).date;
  return findRepeatedExceptions(await loadRecentSingleExceptions(db, practitionerId, today), today);
}
