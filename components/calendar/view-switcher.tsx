import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { cn } from '../ui/cn';
import { dayHref, monthHref } from './calendar-time';
import { teamHref, weekHref } from './view-links';

export type CalendarViewKind = 'month' | 'week' | 'day' | 'team';

interface Props {
  current: CalendarViewKind;
  /** the practitioner of the month, week and day links */
  practitionerId: number;
  /** the date the other views open on (the month's: its month) */
  date: string;
  className?: string;
}

/**
 * Month / Week / Day / Team, one tap from each other: links (server-drawn, no script), the current one
 * marked with aria-current. The week opens on `date`'s week (three days from it on a phone).
 */
export async function ViewSwitcher({ current, practitionerId, date, className }: Props) {
  const t = await getTranslations('calendarViews');
  const views: Array<{ kind: CalendarViewKind; href: string; label: string }> = [
    { kind: 'month', href: monthHref(practitionerId, date.slice(0, 7)), label: t('month') },
    { kind: 'week', href: weekHref(practitionerId, date), label: t('week') },
    { kind: 'day', href: dayHref(practitionerId, date), label: t('day') },
    { kind: 'team', href: teamHref(date), label: t('team') },
  ];
  return (
    <nav aria-label={t('switcher')} className={cn('flex', className)}>
      <ul className="flex rounded-full border border-line p-0.5">
        {views.map((v) => (
          <li key={v.kind}>
            <Link
              href={v.href}
              aria-current={v.kind === current ? 'page' : undefined}
              className={cn(
                'flex h-11 min-w-11 items-center justify-center rounded-full px-3 text-sm font-medium',
                v.kind === current ? 'bg-primary-soft text-ink' : 'text-muted hover:bg-grayed',
              )}
            >
              {v.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
