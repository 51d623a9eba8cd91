'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { ActionState } from '@/lib/errors';
import { useActionErrors } from '../ui/action-error';
import { useAction } from '../ui/use-action';

type Saved = { practitioner_id: number; observes_clinic_calendar: boolean };

interface Props {
  practitionerId: number;
  observes: boolean;
  editable: boolean;
  setObserves: (practitionerId: number, observes: boolean) => Promise<ActionState<Saved>>;
}

/** The practitioner's opt-out of the clinic calendar (clinics that open on holidays): one switch. */
export function ClinicCalendarSection({ practitionerId, observes, editable, setObserves }: Props) {
  const t = useTranslations('settings');
  const router = useRouter();
  const errors = useActionErrors();
  // The switch moves at once; a refused change puts it back.
  const [shown, setShown] = useState(observes);
  const switching = useAction<Saved>();
  return (
    <section aria-labelledby="clinic-calendar" className="border-t border-line px-4 py-4">
      <h2 id="clinic-calendar" className="text-lg font-medium">
        {t('clinicCalendar')}
      </h2>
      <label className="mt-3 flex min-h-11 items-start gap-3">
        <input
          type="checkbox"
          role="switch"
          className="mt-1 size-5 accent-primary"
          checked={shown}
          disabled={!editable || switching.pending}
          onChange={(e) => {
            const on = e.currentTarget.checked;
            setShown(on);
            switching.run(
              async () => {
                const result = await setObserves(practitionerId, on);
                if (result.status !== 'ok') setShown(!on);
                return result;
              },
              { ok: () => router.refresh() },
            );
          }}
        />
        <span>
          <span className="block font-medium">{t('observesClinicCalendar')}</span>
          <span className="block text-sm text-muted">{t('observesClinicCalendarHint')}</span>
        </span>
      </label>
      {errors.message(switching.state) ? (
        <p role="alert" className="mt-2 text-sm text-danger">
          {errors.message(switching.state)}
        </p>
      ) : null}
    </section>
  );
}
