import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import type { PatientDto } from '@/lib/schemas/responses';
import { LineBadge } from './patient-badges';

interface Props {
  q: string;
  patients: PatientDto[];
  next: Map<number, { date: string; start_time: string; practitioner_name: string }>;
}

/** The search's results (or the recently changed patients): each a link to the patient's page. */
export async function PatientList({ q, patients, next }: Props) {
  const t = await getTranslations('patients');
  const format = await getFormatter();
  const day = (date: string) => format.dateTime(new Date(`${date}T00:00:00Z`), { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });
  const heading = q ? t('resultsFor', { q }) : t('recent');

  if (patients.length === 0) {
    return <p className="rounded-2xl border border-line p-4 text-sm text-muted">{q ? t('noResults', { q }) : t('empty')}</p>;
  }
  return (
    <section aria-label={heading} className="flex flex-col gap-2">
      <h2 className="text-sm font-medium text-muted">{heading}</h2>
      <ul className="flex flex-col divide-y divide-line rounded-2xl border border-line">
        {patients.map((p) => {
          const upcoming = next.get(p.id);
          return (
            <li key={p.id}>
              <Link
                href={`/patients/${p.id}`}
                className="flex min-h-14 items-center gap-3 px-4 py-3 hover:bg-grayed focus-visible:outline-2 focus-visible:outline-primary"
              >
                <span className="flex min-w-0 flex-1 flex-col">
                  <span className="flex items-center gap-2">
                    <span className="truncate font-medium">{p.full_name}</span>
                    {p.line_user_id ? <LineBadge label={t('lineBadge')} title={t('lineLinked')} /> : null}
                  </span>
                  <span className="text-sm text-muted">{p.phone_number ?? t('noPhone')}</span>
                  {upcoming ? (
                    <span className="truncate text-sm text-muted">
                      {t('next', { when: `${day(upcoming.date)} ${upcoming.start_time}`, practitioner: upcoming.practitioner_name })}
                    </span>
                  ) : null}
                </span>
                <span aria-hidden className="text-muted">
                  ›
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
