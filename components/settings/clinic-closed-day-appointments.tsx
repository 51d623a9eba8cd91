'use client';

import { useFormatter, useTranslations } from 'next-intl';
import type { ClosedDayAppointmentDto } from '@/lib/schemas/responses';

/** Confirmed future appointments on days about to close, as a warning lists them: date, time, practitioner, patient. */
export function ClosedDayAppointments({ appointments }: { appointments: ClosedDayAppointmentDto[] }) {
  const t = useTranslations('clinicHolidays');
  const format = useFormatter();
  // Dates are the clinic's calendar dates: formatted as such, whatever the browser's zone.
  const day = (date: string) => format.dateTime(new Date(`${date}T00:00:00Z`), { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });
  return (
    <ul
      aria-label={t('affectedAppointments')}
      className="flex max-h-60 flex-col divide-y divide-line overflow-y-auto rounded-2xl border border-line text-ink"
    >
      {appointments.map((a) => (
        <li key={a.calendar_event_id} className="flex flex-wrap items-baseline gap-x-3 px-3 py-2 text-sm">
          <span className="font-medium">{day(a.date)}</span>
          <span className="tabular-nums">{a.time.replace('-', '–')}</span>
          <span className="min-w-0 truncate">{a.practitioner_name}</span>
          <span className="min-w-0 truncate">{a.patient}</span>
        </li>
      ))}
    </ul>
  );
}
