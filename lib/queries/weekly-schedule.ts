import 'server-only';
import { assertMember, findPractitionerForCaller } from '../auth/access';
import type { Caller } from '../auth/caller';
import type { DbOrTx } from '../db/client';
import { weekToDto, type WeeklyScheduleDto } from '../schemas/weekly-schedule';
import { loadWeeklySchedule } from './calendar-data';

export async function getWeeklySchedule(db: DbOrTx, caller: Caller, practitionerId: number): Promise<WeeklyScheduleDto> {
  assertMember(caller, 'The weekly schedule');
  await findPractitionerForCaller(db, caller, practitionerId);
  return weekToDto(await loadWeeklySchedule(db, practitionerId));
}
