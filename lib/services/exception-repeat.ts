import 'server-only';
import { findRepeatedExceptions, repeatSuggestionKey, weeklyRule } from '../availability/repeated-exceptions';
import { assertMayManage, findPractitionerForCaller } from '../auth/access';
import type { Caller } from '../auth/caller';
import type { DbOrTx } from '../db/client';
import { lockPractitionerCalendar } from '../db/locks';
import { inTransaction } from '../db/transaction';
import { AppError } from '../errors';
import { getClinicSettings } from '../queries/clinic';
import { loadRecentSingleExceptions } from '../queries/exception-suggestions';
import type { RepeatExceptionsInput } from '../schemas/repeat-suggestion';
import type { ExceptionDto } from '../schemas/responses';
import { clinicNow } from '../time/clinic-clock';
import { systemClock, type Clock } from '../time/clock';
import { createException, deleteException } from './availability-exceptions';

/**
 * "Repeat every week" on a suggestion: the single exceptions of that weekday and span (found again
 * here, as the suggestion found them) become one weekly series starting on the first of them, in one
 * transaction, through the exceptions' own services (their audit entries, Google jobs and the
 * series' conflict warning: appointments it would cover ask first unless `confirm`).
 */
export async function repeatExceptionsWeekly(
  db: DbOrTx,
  caller: Caller,
  input: { practitionerId: number; habit: RepeatExceptionsInput; confirm: boolean; clock?: Clock },
): Promise<{ exception: ExceptionDto; replaced: number }> {
  const clock = input.clock ?? systemClock;
  return inTransaction(db, async (tx) => {
    const practitioner = await findPractitionerForCaller(tx, caller, input.practitionerId);
    assertMayManage(caller, practitioner);
    await lockPractitionerCalendar(tx, practitioner.id);
    const clinic = await getClinicSettings(tx, caller.clinicId);
    const today = clinicNow(clinic.timezone, clock()).date;
    const wanted = repeatSuggestionKey({ weekday: input.habit.weekday, start: input.habit.start_time, end: input.habit.end_time });
    const habit = findRepeatedExceptions(await loadRecentSingleExceptions(tx, practitioner.id, today), today).find(
      (s) => repeatSuggestionKey(s) === wanted,
    );
    if (!habit) throw new AppError('conflict', 'These exceptions are no longer repeated often enough to make them a weekly series');
    for (const exceptionId of habit.exceptionIds) await deleteException(tx, caller, { practitionerId: practitioner.id, exceptionId });
    const exception = await createException(tx, caller, {
      practitionerId: practitioner.id,
      body: { date: habit.dates[0]!, start_time: habit.start, end_time: habit.end, recurrence: weeklyRule(habit.weekday) },
      confirm: input.confirm,
      clock,
    });
    return { exception, replaced: habit.exceptionIds.length };
  });
}
