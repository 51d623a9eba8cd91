'use client';

import { useFormatter, useTranslations } from 'next-intl';
import Link from 'next/link';
import { useState } from 'react';
import type { ActivityEntryDto, ActivityPageDto } from '@/lib/schemas/responses';
import { Button } from '../ui/button';
import { activityHref, type ActivityFilterValues } from './activity-filters';

/** Entries grouped by their clinic date, in the order given (newest first). */
function byDay(entries: ActivityEntryDto[]): Array<{ date: string; entries: ActivityEntryDto[] }> {
  const days: Array<{ date: string; entries: ActivityEntryDto[] }> = [];
  for (const e of entries) {
    const last = days[days.length - 1];
    if (last?.date === e.clinic_date) last.entries.push(e);
    else days.push({ date: e.clinic_date, entries: [e] });
  }
  return days;
}

/**
 * The activity log, a day at a time: each entry's time (clinic clock), who acted, what they did and
 * a link to what it concerns. "Load more" asks the activity route for the next page with the same
 * filters and appends it.
 */
export function ActivityLog({ initial, filters }: { initial: ActivityPageDto; filters: ActivityFilterValues }) {
  const t = useTranslations('activity');
  const errors = useTranslations('errors');
  const format = useFormatter();
  const [entries, setEntries] = useState(initial.entries);
  const [cursor, setCursor] = useState(initial.next_cursor);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const filtered = Object.values(filters).some((v) => v);

  async function loadMore() {
    if (!cursor) return;
    setLoading(true);
    setError(null);
    try {
      const search = new URLSearchParams(activityHref(filters).split('?')[1] ?? '');
      search.set('cursor', cursor);
      const res = await fetch(`/api/clinic/admin/activity?${search}`, { headers: { accept: 'application/json' } });
      const body = (await res.json()) as ActivityPageDto | { error: string; message: string };
      if (!res.ok || 'error' in body) {
        const code = 'error' in body ? body.error : 'internal_error';
        setError(errors.has(code as 'network') ? errors(code as 'network') : errors('internal_error'));
        return;
      }
      setEntries((shown) => [...shown, ...body.entries.filter((e) => !shown.some((s) => s.id === e.id))]);
      setCursor(body.next_cursor);
    } catch {
      setError(errors('network'));
    } finally {
      setLoading(false);
    }
  }

  return (
    <div className="flex flex-col gap-4 px-4 pt-2 pb-8">
      {entries.length === 0 ? <p className="text-sm text-muted">{filtered ? t('none') : t('noneYet')}</p> : null}
      {byDay(entries).map((day) => (
        <section key={day.date} aria-labelledby={`activity-day-${day.date}`}>
          <h2 id={`activity-day-${day.date}`} className="sticky top-14 z-10 bg-surface py-2 text-sm font-medium text-muted">
            {format.dateTime(new Date(`${day.date}T00:00:00Z`), { dateStyle: 'full', timeZone: 'UTC' })}
          </h2>
          <ul aria-labelledby={`activity-day-${day.date}`} className="flex flex-col divide-y divide-line rounded-2xl border border-line">
            {day.entries.map((e) => (
              <li key={e.id} className="flex gap-3 px-3 py-2">
                <time dateTime={e.at} className="w-12 shrink-0 pt-2.5 text-sm text-muted tabular-nums">
                  {e.clinic_time}
                </time>
                <div className="min-w-0 flex-1 py-1">
                  <p className="text-sm font-medium">{e.actor.name}</p>
                  {e.link ? (
                    <Link
                      href={e.link}
                      prefetch={false}
                      className="block py-1 break-words text-ink underline decoration-line underline-offset-4 hover:decoration-primary"
                    >
                      {e.summary}
                    </Link>
                  ) : (
                    <p className="py-1 break-words">{e.summary}</p>
                  )}
                  {e.patient_id && e.patient_name && !filters.patient_id ? (
                    <Link
                      href={activityHref({ ...filters, patient_id: String(e.patient_id) })}
                      className="inline-flex h-11 items-center text-sm text-primary underline-offset-4 hover:underline"
                    >
                      {t('onlyPatient', { patient: e.patient_name })}
                    </Link>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {cursor ? (
        <Button variant="secondary" onClick={loadMore} disabled={loading} className="self-center">
          {loading ? t('loading') : t('loadMore')}
        </Button>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-danger">
          {t('loadFailed', { message: error })}
        </p>
      ) : null}
    </div>
  );
}
