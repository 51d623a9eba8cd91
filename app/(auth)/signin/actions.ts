'use server';

import { AuthError } from 'next-auth';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { signIn } from '@/auth';
import { isDevLoginEnabled } from '@/lib/auth/dev-login';

const devSignInSchema = z.object({ email: z.email().max(320) });

export async function devSignInAction(formData: FormData): Promise<void> {
  if (!isDevLoginEnabled()) redirect('/signin');
  const parsed = devSignInSchema.safeParse({ email: formData.get('email') });
  if (!parsed.success) redirect('/signin?error=CredentialsSignin');
  try {
    await signIn('dev', { email: parsed.data.email, redirectTo: '/calendar' });
  } catch (err) {
    // signIn redirects by throwing; only Auth.js's own errors mean a failed sign-in.
    if (err instanceof AuthError) redirect('/signin?error=CredentialsSignin');
    throw err;
  }
}

export async function googleSignInAction(): Promise<void> {
  await signIn('google', { redirectTo: '/calendar' });
}
