'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { runAction } from '@/lib/actions';
import { getDb } from '@/lib/db/client';
import type { ActionState } from '@/lib/errors';
import { positiveId } from '@/lib/schemas/common';
import { clearExceptionsSchema, createExceptionSchema, exceptionScopeQuery, updateExceptionSchema } from '@/lib/schemas/exceptions';
import { cancelAppointmentByClinic } from '@/lib/services/appointment-cancellation';
import { clearExceptions, createException, deleteException, updateException, type ExceptionDto } from '@/lib/services/availability-exceptions';

// The calendar's server actions: the same schemas and services as the contract's routes.

const confirmed = z.boolean().optional().transform(Boolean);

function done() {
  revalidatePath('/calendar');
  revalidatePath('/settings/availability');
}

export async function createExceptionAction(practitionerId: number, body: unknown, confirm?: boolean): Promise<ActionState<ExceptionDto>> {
  return runAction(async (caller) => {
    const result = await createException(await getDb(), caller, {
      practitionerId: positiveId.parse(practitionerId),
      body: createExceptionSchema.parse(body),
      confirm: confirmed.parse(confirm),
    });
    done();
    return result;
  });
}

export async function updateExceptionAction(
  practitionerId: number,
  exceptionId: number,
  body: unknown,
  confirm?: boolean,
  /** of a repeating exception: `{scope: 'this' | 'following' | 'all', occurrence_date}` as the route's query */
  target?: unknown,
): Promise<ActionState<ExceptionDto>> {
  return runAction(async (caller) => {
    const result = await updateException(await getDb(), caller, {
      practitionerId: positiveId.parse(practitionerId),
      exceptionId: positiveId.parse(exceptionId),
      body: updateExceptionSchema.parse(body),
      confirm: confirmed.parse(confirm),
      ...exceptionScopeQuery.parse(target ?? {}),
    });
    done();
    return result;
  });
}

export async function deleteExceptionAction(practitionerId: number, exceptionId: number, target?: unknown): Promise<ActionState<{ deleted: true }>> {
  return runAction(async (caller) => {
    await deleteException(await getDb(), caller, {
      practitionerId: positiveId.parse(practitionerId),
      exceptionId: positiveId.parse(exceptionId),
      ...exceptionScopeQuery.parse(target ?? {}),
    });
    done();
    return { deleted: true as const };
  });
}

export async function clearExceptionsAction(practitionerId: number, range: unknown): Promise<ActionState<{ deleted: number }>> {
  return runAction(async (caller) => {
    const { from, to } = clearExceptionsSchema.parse(range);
    const result = await clearExceptions(await getDb(), caller, { practitionerId: positiveId.parse(practitionerId), from, to });
    done();
    return result;
  });
}

export async function cancelAppointmentAction(
  practitionerId: number,
  calendarEventId: number,
): Promise<ActionState<{ calendar_event_id: number; status: string }>> {
  return runAction(async (caller) => {
    const result = await cancelAppointmentByClinic(await getDb(), caller, {
      practitionerId: positiveId.parse(practitionerId),
      calendarEventId: positiveId.parse(calendarEventId),
    });
    done();
    return { calendar_event_id: result.calendar_event_id, status: result.status };
  });
}
