import type { UserCaller } from './auth/session';
import { requireActionCaller } from './auth/session';
import { toActionState, type ActionState } from './errors';

/**
 * The one wrapper of server actions (each is a public POST endpoint): loads the signed-in member,
 * runs the body, and turns whatever it throws into form state instead of an exception.
 */
export async function runAction<T>(body: (caller: UserCaller) => Promise<T>): Promise<ActionState<T>> {
  try {
    const caller = await requireActionCaller();
    return { status: 'ok', data: await body(caller) };
  } catch (err) {
    return toActionState(err);
  }
}
