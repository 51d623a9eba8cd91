import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { cn } from '../ui/cn';

export type ClinicSection = 'settings' | 'types' | 'members' | 'holidays' | 'activity';

const SECTIONS: Array<{ id: ClinicSection; href: string }> = [
  { id: 'settings', href: '/settings/clinic' },
  { id: 'types', href: '/settings/clinic/types' },
  { id: 'members', href: '/settings/clinic/members' },
  { id: 'holidays', href: '/settings/clinic/holidays' },
  { id: 'activity', href: '/settings/clinic/activity' },
];

/** The clinic administration pages, one tap apart: a row of tabs that scrolls sideways on its own on a narrow phone. */
export function ClinicNav({ current }: { current: ClinicSection }) {
  const t = useTranslations('clinicNav');
  return (
    <nav aria-label={t('label')} className="border-b border-line">
      <ul className="flex gap-1 overflow-x-auto px-3 py-2">
        {SECTIONS.map((s) => (
          <li key={s.id} className="shrink-0">
            <Link
              href={s.href}
              aria-current={s.id === current ? 'page' : undefined}
              className={cn(
                'flex h-11 items-center rounded-full px-4 text-sm font-medium whitespace-nowrap',
                s.id === current ? 'bg-primary-soft text-ink' : 'text-muted hover:bg-grayed',
              )}
            >
              {t(s.id)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
