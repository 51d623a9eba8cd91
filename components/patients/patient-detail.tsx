import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import type { PatientHistoryRow } from '@/lib/queries/patients';
import type { PatientDetailDto } from '@/lib/schemas/responses';
import { LineBadge, StateBadge } from './patient-badges';

interface Props {
  patient: PatientDetailDto;
  history: { upcoming: PatientHistoryRow[]; past: PatientHistoryRow[]; morePast: boolean };
  pastPage: number;
  /** the edit button (a client component), drawn by the page */
  edit: React.ReactNode;
}

/** The patient page: who, how to reach them, their counts and their appointments across practitioners. */
export async function PatientDetail({ patient, history, pastPage, edit }: Props) {
  const t = await getTranslations('patients');
  const format = await getFormatter();
  const day = (date: string) =>
    format.dateTime(new Date(`${date}T00:00:00Z`), { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  const pageHref = (page: number) => (page > 1 ? `/patients/${patient.id}?past=${page}` : `/patients/${patient.id}`);

  function rows(list: PatientHistoryRow[], empty: string) {
    if (list.length === 0) return <p className="rounded-2xl border border-line p-4 text-sm text-muted">{empty}</p>;
    return (
      <ul className="flex flex-col divide-y divide-line rounded-2xl border border-line">
        {list.map((a) => (
          <li key={a.calendar_event_id}>
            <Link
              href={`/calendar?practitioner=${a.practitioner_id}&date=${a.date}`}
              className="flex min-h-14 flex-col gap-0.5 px-4 py-3 hover:bg-grayed focus-visible:outline-2 focus-visible:outline-primary"
            >
              <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
                <span className="font-medium">{day(a.date)}</span>
                <span className="tabular-nums">
                  {a.start_time}–{a.end_time}
                </span>
                {a.status !== 'confirmed' ? <StateBadge tone="muted">{t(`status_${a.status}`)}</StateBadge> : null}
                {a.attendance === 'arrived' ? <StateBadge tone="success">{t('attendance_arrived')}</StateBadge> : null}
                {a.attendance === 'no_show' ? <StateBadge tone="danger">{t('attendance_no_show')}</StateBadge> : null}
              </span>
              <span className="text-sm text-muted">
                {a.practitioner_name} · {a.appointment_type_name}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    );
  }

  return (
    <div className="flex flex-col gap-5 p-4">
      <Link href="/patients" className="flex h-11 w-fit items-center text-sm text-primary">
        ‹ {t('allPatients')}
      </Link>
      <div className="flex items-start justify-between gap-3">
        <div className="flex min-w-0 flex-col gap-1">
          <h1 className="flex items-center gap-2 text-2xl font-semibold">
            <span className="truncate">{patient.full_name}</span>
            {patient.line_user_id ? <LineBadge label={t('lineBadge')} title={t('lineLinked')} /> : null}
          </h1>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
            <dt className="text-muted">{t('phone')}</dt>
            <dd>{patient.phone_number ?? t('none')}</dd>
            <dt className="text-muted">{t('lineId')}</dt>
            <dd className="break-all">{patient.line_user_id ?? t('none')}</dd>
          </dl>
        </div>
        {edit}
      </div>
      <dl className="grid grid-cols-2 gap-3">
        <div className="rounded-2xl border border-line p-3">
          <dt className="text-sm text-muted">{t('upcomingCount')}</dt>
          <dd className="text-2xl font-semibold tabular-nums">{patient.upcoming}</dd>
        </div>
        <div className="rounded-2xl border border-line p-3">
          <dt className="text-sm text-muted">{t('noShowCount')}</dt>
          <dd className="text-2xl font-semibold tabular-nums">{patient.no_shows}</dd>
        </div>
      </dl>
      <section aria-labelledby="upcoming-title" className="flex flex-col gap-2">
        <h2 id="upcoming-title" className="font-medium">
          {t('upcomingTitle')}
        </h2>
        {rows(history.upcoming, t('noUpcoming'))}
      </section>
      <section aria-labelledby="past-title" className="flex flex-col gap-2">
        <h2 id="past-title" className="font-medium">
          {t('pastTitle')}
        </h2>
        {rows(history.past, t('noPast'))}
        {pastPage > 1 || history.morePast ? (
          <nav aria-label={t('pastTitle')} className="flex justify-between">
            {pastPage > 1 ? (
              <Link href={pageHref(pastPage - 1)} className="flex h-11 items-center px-2 text-sm text-primary">
                ‹ {t('newer')}
              </Link>
            ) : (
              <span />
            )}
            {history.morePast ? (
              <Link href={pageHref(pastPage + 1)} className="flex h-11 items-center px-2 text-sm text-primary">
                {t('older')} ›
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
