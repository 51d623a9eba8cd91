import 'server-only';
import { assertMayManage, findPractitionerForCaller } from '../auth/access';
import type { Caller } from '../auth/caller';
import type { DbOrTx } from '../db/client';
import { inTransaction } from '../db/transaction';
import { AppError } from '../errors';
import { loadWeeklySchedule } from '../queries/calendar-data';
import type { WeeklyScheduleDto } from '../schemas/responses';
import type { Clock } from '../time/clock';
import { saveWeek } from './weekly-schedule';

/**
 * Copies one practitioner's weekly hours onto another (the design's bulk "copy a week"): the
 * target's whole week becomes the source's, through the weekly schedule's own saving path, so the
 * same warning (appointments left outside the new hours) asks first unless `confirm`. Reading the
 * source's week is what any colleague may do; changing the target is the target or an admin.
 */
export async function copyWeeklySchedule(
  db: DbOrTx,
  caller: Caller,
  input: { practitionerId: number; fromPractitionerId: number; confirm: boolean; clock?: Clock },
): Promise<WeeklyScheduleDto> {
  return inTransaction(db, async (tx) => {
    const target = await findPractitionerForCaller(tx, caller, input.practitionerId);
    assertMayManage(caller, target);
    if (input.fromPractitionerId === target.id) {
      throw new AppError('validation_error', 'Copy the hours of another practitioner', {
        issues: [{ path: ['from_practitioner_id'], code: 'custom', message: 'Choose a practitioner other than the one you copy onto' }],
      });
    }
    const source = await findPractitionerForCaller(tx, caller, input.fromPractitionerId).catch((err: unknown) => {
      throw err instanceof AppError && err.code === 'not_found' ? new AppError('not_found', 'The practitioner to copy from was not found') : err;
    });
    const week = await loadWeeklySchedule(tx, source.id);
    return saveWeek(tx, caller, {
      practitioner: target,
      next: week,
      confirm: input.confirm,
      clock: input.clock,
      audit: { action: 'weekly_schedule.copied', details: { from_practitioner_id: source.id, from_practitioner_name: source.name } },
    });
  });
}
