'use client';

import { useFormatter, useTranslations } from 'next-intl';
import type { AffectedAppointmentDto } from '@/lib/schemas/responses';

/** A member's future confirmed appointments, as a warning lists them: date, time, patient. */
export function FutureAppointments({ appointments }: { appointments: AffectedAppointmentDto[] }) {
  const t = useTranslations('members');
  const format = useFormatter();
  // Dates are the clinic's calendar dates: formatted as such, whatever the browser's zone.
  const day = (date: string) => format.dateTime(new Date(`${date}T00:00:00Z`), { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });
  return (
    <ul
      aria-label={t('futureAppointments')}
      className="flex max-h-60 flex-col divide-y divide-line overflow-y-auto rounded-2xl border border-line text-ink"
    >
      {appointments.map((a) => (
        <li key={a.calendar_event_id} className="flex flex-wrap items-baseline gap-x-3 px-3 py-2 text-sm">
          <span className="font-medium">{day(a.date)}</span>
          <span className="tabular-nums">{a.time.replace('-', '–')}</span>
          <span className="min-w-0 truncate">{a.patient}</span>
        </li>
      ))}
    </ul>
  );
}
