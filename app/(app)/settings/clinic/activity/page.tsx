import { getLocale, getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { ActivityFilters, type ActivityFilterValues } from '@/components/settings/activity-filters';
import { ActivityLog } from '@/components/settings/activity-log';
import { ClinicNav } from '@/components/settings/clinic-nav';
import { AppShell } from '@/components/shell/app-shell';
import { requirePageCaller } from '@/lib/auth/session';
import { getDb } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { activityFilterChoices, listActivity } from '@/lib/queries/activity';
import { activityQuerySchema, type ActivityQuery } from '@/lib/schemas/activity';
import { setLocaleAction, signOutAction } from '../../../actions';

type Param = string | string[] | undefined;
const FILTERS = ['practitioner_id', 'patient_id', 'kind', 'from', 'to'] as const;

/** The filters of the address; one that is not valid is left out (an edited address shows more, not an error). */
function filtersOf(params: Record<string, Param>): { query: ActivityQuery; values: ActivityFilterValues } {
  const raw: Record<string, string> = {};
  for (const name of FILTERS) {
    const v = params[name];
    if (typeof v === 'string' && v !== '') raw[name] = v;
  }
  for (;;) {
    const parsed = activityQuerySchema.safeParse(raw);
    if (parsed.success) return { query: parsed.data, values: raw };
    const before = Object.keys(raw).length;
    for (const issue of parsed.error.issues) delete raw[String(issue.path[0])];
    if (Object.keys(raw).length === before) return { query: activityQuerySchema.parse({}), values: {} };
  }
}

/** The clinic's activity (audit log) for its admins: who did what and when, newest first. */
export default async function ActivityPage({ searchParams }: { searchParams: Promise<Record<string, Param>> }) {
  const caller = await requirePageCaller();
  // Admins only: for anyone else the page does not exist.
  if (caller.role !== 'admin') notFound();
  const { query, values } = filtersOf(await searchParams);
  const db = await getDb();
  const [t, locale] = await Promise.all([getTranslations('activity'), getLocale()]);
  const text = { locale, t: (key: string, v?: Record<string, string | number>) => t(key as never, v as never) };
  let page;
  try {
    page = await listActivity(db, caller, query, text);
  } catch (err) {
    // A practitioner or patient of another clinic (or none) is no one to filter by.
    if (err instanceof AppError && err.code === 'not_found') notFound();
    throw err;
  }
  const choices = await activityFilterChoices(db, caller, query.patient_id);
  return (
    <AppShell
      user={caller}
      practitioners={[]}
      practitionerId={null}
      basePath="/settings/clinic/activity"
      title={t('title')}
      signOutAction={signOutAction}
      setLocaleAction={setLocaleAction}
    >
      <ClinicNav current="activity" />
      <ActivityFilters key={JSON.stringify(values)} choices={choices} values={values} />
      <ActivityLog key={`${locale}:${JSON.stringify(values)}`} initial={page} filters={values} />
    </AppShell>
  );
}
