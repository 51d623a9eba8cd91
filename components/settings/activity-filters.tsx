'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import type { ActivityFilterChoices } from '@/lib/queries/activity';
import { ACTIVITY_KINDS } from '@/lib/schemas/activity';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { Input } from '../ui/input';

export const ACTIVITY_PATH = '/settings/clinic/activity';

export interface ActivityFilterValues {
  practitioner_id?: string;
  patient_id?: string;
  kind?: string;
  from?: string;
  to?: string;
}

/** The activity page's address for a set of filters, without the empty ones. */
export function activityHref(values: ActivityFilterValues): string {
  const search = new URLSearchParams(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '')).toString();
  return search ? `${ACTIVITY_PATH}?${search}` : ACTIVITY_PATH;
}

const SELECT = 'h-11 min-w-0 rounded-lg border border-line bg-surface px-2 text-base text-ink';

/**
 * The log's filters as a GET form (it works before the page's script has loaded): practitioner,
 * kind and a range of clinic dates; the patient filter comes from an entry's "Only …" link and
 * shows as a chip that removes it.
 */
export function ActivityFilters({ choices, values }: { choices: ActivityFilterChoices; values: ActivityFilterValues }) {
  const t = useTranslations('activity');
  const router = useRouter();

  function apply(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => (typeof form.get(name) === 'string' ? (form.get(name) as string) : undefined);
    router.push(
      activityHref({
        practitioner_id: text('practitioner_id'),
        patient_id: values.patient_id,
        kind: text('kind'),
        from: text('from'),
        to: text('to'),
      }),
    );
  }

  return (
    <div className="flex flex-col gap-3 px-4 pt-4">
      <p className="text-sm text-muted">{t('intro')}</p>
      <form
        method="get"
        action={ACTIVITY_PATH}
        onSubmit={apply}
        aria-label={t('filters')}
        className="grid grid-cols-2 items-end gap-3 sm:grid-cols-5"
      >
        <Field label={t('practitioner')}>
          {(control) => (
            <select {...control} name="practitioner_id" defaultValue={values.practitioner_id ?? ''} className={SELECT}>
              <option value="">{t('allPractitioners')}</option>
              {choices.practitioners.map((p) => (
                <option key={p.id} value={String(p.id)}>
                  {p.deactivated ? t('deactivated', { name: p.name }) : p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('kind')}>
          {(control) => (
            <select {...control} name="kind" defaultValue={values.kind ?? ''} className={SELECT}>
              <option value="">{t('allKinds')}</option>
              {ACTIVITY_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`kind_${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('from')}>{(control) => <Input {...control} type="date" name="from" defaultValue={values.from ?? ''} />}</Field>
        <Field label={t('to')}>{(control) => <Input {...control} type="date" name="to" defaultValue={values.to ?? ''} />}</Field>
        {values.patient_id ? <input type="hidden" name="patient_id" value={values.patient_id} /> : null}
        <div className="col-span-2 flex gap-2 sm:col-span-1">
          <Button type="submit" variant="primary" size="sm" className="flex-1">
            {t('apply')}
          </Button>
          <Button asChild variant="secondary" size="sm">
            <Link href={ACTIVITY_PATH}>{t('clear')}</Link>
          </Button>
        </div>
      </form>
      {choices.patient ? (
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <span className="rounded-full bg-primary-soft px-3 py-1 font-medium">{t('patientFilter', { name: choices.patient.name })}</span>
          <Link
            href={activityHref({ ...values, patient_id: undefined })}
            className="inline-flex h-11 items-center text-primary underline-offset-4 hover:underline"
          >
            {t('allPatients')}
          </Link>
        </p>
      ) : null}
    </div>
  );
}
