import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { auth } from '@/auth';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { isDevLoginEnabled } from '@/lib/auth/dev-login';
import { devSignInAction, googleSignInAction } from './actions';

export const dynamic = 'force-dynamic';

const DEMO_USERS = ['chen@clinic.test', 'lin@clinic.test', 'admin@clinic.test'];

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const session = await auth();
  if (session?.user?.id) redirect('/calendar');
  const { error } = await searchParams;
  const t = await getTranslations('signIn');
  const tApp = await getTranslations('app');
  const googleEnabled = Boolean(process.env.AUTH_GOOGLE_ID);
  const devEnabled = isDevLoginEnabled();

  return (
    <main className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center gap-6 px-6 py-10">
      <header className="text-center">
        <h1 className="text-2xl font-semibold">{tApp('name')}</h1>
        <p className="mt-1 text-sm text-muted">{tApp('tagline')}</p>
      </header>
      <section aria-labelledby="signin-title" className="rounded-2xl border border-line p-5 shadow-sm">
        <h2 id="signin-title" className="text-lg font-medium">
          {t('title')}
        </h2>
        {error ? (
          <p role="alert" className="mt-3 rounded-lg bg-exception-soft px-3 py-2 text-sm text-danger">
            {t('error')}
          </p>
        ) : null}
        {googleEnabled ? (
          <form action={googleSignInAction} className="mt-4">
            <p className="mb-3 text-sm text-muted">{t('intro')}</p>
            <Button type="submit" variant="primary" className="w-full">
              {t('google')}
            </Button>
          </form>
        ) : null}
        {devEnabled ? (
          <form action={devSignInAction} className="mt-4 flex flex-col gap-3">
            <h3 className="font-medium">{t('devTitle')}</h3>
            <p className="text-sm text-muted">{t('devIntro')}</p>
            <label className="flex flex-col gap-1 text-sm">
              {t('email')}
              <Input name="email" type="email" required list="demo-users" autoComplete="username" defaultValue={DEMO_USERS[0]} className="px-3" />
            </label>
            <datalist id="demo-users">
              {DEMO_USERS.map((u) => (
                <option key={u} value={u} />
              ))}
            </datalist>
            <Button type="submit" variant="primary">
              {t('submit')}
            </Button>
          </form>
        ) : null}
      </section>
    </main>
  );
}
