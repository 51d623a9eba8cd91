import { getTranslations } from 'next-intl/server';
import type { DayViewDto } from '@/lib/queries/calendar';

/** The clinic calendar's holiday or make-up workday on this date ("中秋節 · clinic closed"). */
export async function ClinicDayNote({ clinicDay }: { clinicDay: NonNullable<DayViewDto['clinic_day']> }) {
  const t = await getTranslations('calendar');
  const th = await getTranslations('clinicHolidays');
  const weekday = th(`weekday_${clinicDay.hours_of_weekday ?? 5}`);
  const key = clinicDay.kind === 'closed' ? 'clinicClosed' : 'clinicWorkday';
  return (
    <p role="note" className="mx-4 mb-2 rounded-lg bg-exception-soft px-3 py-2 text-sm text-ink">
      {t(clinicDay.observed ? key : `${key}OptedOut`, { name: clinicDay.name, weekday })}
    </p>
  );
}
