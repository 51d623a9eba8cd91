import 'server-only';
import { redirect } from 'next/navigation';
import { headers } from 'next/headers';
import { cache } from 'react';
import { AppError } from '../errors';
import { userCaller, type Caller } from './caller';
import { sessionUserId } from './session-token';

export type UserCaller = Extract<Caller, { kind: 'user' }>;

/** Once per request: the layout and the page both ask (React's cache lasts one server render). */
const sessionCaller = cache(async (): Promise<UserCaller | null> => {
  const id = await sessionUserId((await headers()).get('cookie'));
  if (id === null) return null;
  const caller = await userCaller(id);
  return caller?.kind === 'user' ? caller : null;
});

/** For pages: the signed-in member, or a redirect to sign-in. */
export async function requirePageCaller(): Promise<UserCaller> {
  const caller = await sessionCaller();
  if (!caller) redirect('/signin');
  return caller;
}

/** For server actions (each is a public POST endpoint): the signed-in member, or 401. */
export async function requireActionCaller(): Promise<UserCaller> {
  const caller = await sessionCaller();
  if (!caller) throw new AppError('unauthorized', 'Sign in again');
  return caller;
}
