'use client';

import { useTranslations } from 'next-intl';
import type { FieldControlProps } from '../ui/field';
import { cn } from '../ui/cn';

/** What the role select offers: role and is_practitioner together, in the words of a clinic. */
export type RoleChoice = 'practitioner' | 'practitionerAdmin' | 'admin' | 'frontDesk';
export const ROLE_CHOICES: readonly RoleChoice[] = ['practitioner', 'practitionerAdmin', 'admin', 'frontDesk'];

export function roleChoiceOf(m: { role: 'practitioner' | 'admin'; is_practitioner: boolean }): RoleChoice {
  if (m.role === 'admin') return m.is_practitioner ? 'practitionerAdmin' : 'admin';
  return m.is_practitioner ? 'practitioner' : 'frontDesk';
}

export function roleOfChoice(c: RoleChoice): { role: 'practitioner' | 'admin'; is_practitioner: boolean } {
  return {
    role: c === 'admin' || c === 'practitionerAdmin' ? 'admin' : 'practitioner',
    is_practitioner: c === 'practitioner' || c === 'practitionerAdmin',
  };
}

/** A native select (the phone's own picker) of 44 px, labelled by its Field. */
export function RoleSelect({ control, value, onChange }: { control: FieldControlProps; value: RoleChoice; onChange: (c: RoleChoice) => void }) {
  const t = useTranslations('members');
  return (
    <select
      {...control}
      value={value}
      onChange={(e) => onChange(e.target.value as RoleChoice)}
      className={cn('h-11 rounded-lg border border-line bg-surface px-3 text-base text-ink aria-invalid:border-danger')}
    >
      {ROLE_CHOICES.map((c) => (
        <option key={c} value={c}>
          {t(`role_${c}`)}
        </option>
      ))}
    </select>
  );
}

/** The role as small labels: Admin, Practitioner, or Front desk when neither. */
export function RoleBadges({ role, isPractitioner }: { role: 'practitioner' | 'admin'; isPractitioner: boolean }) {
  const t = useTranslations('members');
  const labels = [...(role === 'admin' ? [t('badgeAdmin')] : []), ...(isPractitioner ? [t('badgePractitioner')] : [])];
  return (
    <>
      {(labels.length > 0 ? labels : [t('badgeFrontDesk')]).map((label) => (
        <Badge key={label}>{label}</Badge>
      ))}
    </>
  );
}

export function Badge({ children, tone = 'plain' }: { children: React.ReactNode; tone?: 'plain' | 'muted' | 'warning' }) {
  return (
    <span
      className={cn(
        'inline-flex h-6 items-center rounded-full px-2 text-xs font-medium',
        tone === 'plain' && 'bg-primary-soft text-ink',
        tone === 'muted' && 'bg-grayed text-ink',
        tone === 'warning' && 'bg-exception-soft text-ink',
      )}
    >
      {children}
    </span>
  );
}
