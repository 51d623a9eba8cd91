import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { PractitionerSwitcher } from './practitioner-switcher';
import { ProfileMenu } from './profile-menu';

interface Props {
  user: { name: string; role: 'practitioner' | 'admin' };
  practitioners: ReadonlyArray<{ id: number; name: string }>;
  practitionerId: number | null;
  /** the path the switcher keeps when changing practitioner */
  basePath: string;
  title: string;
  /** the profile menu's server actions, handed down by the page (components never import app/) */
  signOutAction: () => Promise<void>;
  setLocaleAction: (formData: FormData) => Promise<void>;
  /** the whole window's width on a desktop (the week and team views), not the reading column */
  wide?: boolean;
  children: React.ReactNode;
}

/** Phone-first frame: one top bar (title, practitioner switcher, profile menu) and the page. */
export async function AppShell({
  user,
  practitioners,
  practitionerId,
  basePath,
  title,
  signOutAction,
  setLocaleAction,
  wide = false,
  children,
}: Props) {
  const t = await getTranslations('shell');
  const locale = await getLocale();
  const query = practitionerId ? `?practitioner=${practitionerId}` : '';
  return (
    <>
      <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b border-line bg-surface px-3">
        <Link href={`/calendar${query}`} className="flex h-11 min-w-0 items-center rounded-full px-2 text-lg font-medium">
          <span className="truncate">{title}</span>
        </Link>
        <div className="ml-auto flex items-center gap-1">
          {practitioners.length > 1 && practitionerId ? (
            <PractitionerSwitcher label={t('practitioner')} practitioners={practitioners} value={practitionerId} basePath={basePath} />
          ) : null}
          <ProfileMenu
            name={user.name}
            roleLabel={user.role === 'admin' ? t('admin') : null}
            menuLabel={t('profileMenu', { name: user.name })}
            links={[
              { href: `/settings/availability${query}`, label: t('availabilitySettings') },
              { href: `/calendar${query}`, label: t('calendar') },
              { href: '/calendar/team', label: t('team') },
              { href: '/patients', label: t('patients') },
              ...(user.role === 'admin'
                ? [
                    { href: '/settings/clinic', label: t('clinic') },
                    { href: '/settings/agent-keys', label: t('agentKeys') },
                    { href: '/settings/deliveries', label: t('deliveries') },
                  ]
                : []),
            ]}
            signOutLabel={t('signOut')}
            signOutAction={signOutAction}
            languageLabel={t('language')}
            languages={[
              { locale: 'en', name: t('languageEnglish') },
              { locale: 'zh-TW', name: t('languageChinese') },
            ]}
            locale={locale}
            setLocaleAction={setLocaleAction}
          />
        </div>
      </header>
      <main className={`mx-auto flex w-full flex-1 flex-col ${wide ? 'max-w-7xl' : 'max-w-5xl'}`}>{children}</main>
    </>
  );
}
