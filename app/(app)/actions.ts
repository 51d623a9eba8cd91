'use server';

import { cookies } from 'next/headers';
import { signOut } from '@/auth';
import { LOCALE_COOKIE, LOCALES } from '@/i18n/locale';

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: '/signin' });
}

export async function setLocaleAction(formData: FormData): Promise<void> {
  const locale = String(formData.get('locale'));
  if (!(LOCALES as readonly string[]).includes(locale)) return;
  (await cookies()).set(LOCALE_COOKIE, locale, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'lax' });
}
