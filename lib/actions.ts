import 'server-only';
import type { UserCaller } from './auth/session';
import { requireActionCaller } from './auth/session';
import { toActionState, type ActionState } from './errors';
import { outboxMark } from './db/outbox-mark';
import { deliverOutboxAfterResponse } from './outbox/after-response';

/**
 * The one wrapper of server actions (each is a public POST endpoint): loads the signed-in member,
 * runs the body, and turns whatever it throws into form state instead of an exception.
 */
export async function runAction<T>(body: (caller: UserCaller) => Promise<T>): Promise<ActionState<T>> {
  const mark = outboxMark();
  try {
    const caller = await requireActionCaller();
    const data = await body(caller);
    // A change may have put LINE or Google work into the outbox.
    deliverOutboxAfterResponse(mark);
    return { status: 'ok', data };
  } catch (err) {
    return toActionState(err);
  }
}
