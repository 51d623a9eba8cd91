'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { ActionState } from '@/lib/errors';
import type { AdminAppointmentTypeDto } from '@/lib/schemas/responses';
import { useActionErrors } from '../ui/action-error';
import { Button } from '../ui/button';
import { ResponsiveDialog } from '../ui/responsive-dialog';
import { useAction } from '../ui/use-action';
import { AppointmentTypeDialog } from './appointment-type-dialog';

type Result = Promise<ActionState<AdminAppointmentTypeDto>>;
interface Props {
  types: AdminAppointmentTypeDto[];
  actions: {
    create: (input: unknown) => Result;
    update: (id: unknown, input: unknown) => Result;
    archive: (id: unknown, input: unknown) => Result;
    restore: (id: unknown, input: unknown) => Result;
  };
}

/** The clinic's appointment types: those in use (add, edit, archive) and the archived ones (restore). */
export function AppointmentTypesManager({ types, actions }: Props) {
  const t = useTranslations('appointmentTypes');
  const router = useRouter();
  const errors = useActionErrors();
  // null: the new-type sheet; a type: its edit sheet.
  const [editing, setEditing] = useState<AdminAppointmentTypeDto | null | undefined>(undefined);
  const [archiving, setArchiving] = useState<AdminAppointmentTypeDto | null>(null);
  const changing = useAction<AdminAppointmentTypeDto>();
  const changeError = errors.message(changing.state);
  const inUse = types.filter((x) => !x.archived);
  const archived = types.filter((x) => x.archived);
  const refresh = () => router.refresh();

  function archive(type: AdminAppointmentTypeDto) {
    changing.run(() => actions.archive(type.id, { version: type.version }), {
      ok: () => {
        setArchiving(null);
        refresh();
      },
    });
  }

  return (
    <div className="flex flex-col gap-4 p-4">
      <p className="text-sm text-muted">{t('intro')}</p>
      <div>
        <Button
          variant="primary"
          onClick={() => {
            changing.reset();
            setEditing(null);
          }}
        >
          {t('add')}
        </Button>
      </div>
      {changeError && !archiving ? (
        <p role="alert" className="text-sm text-danger">
          {t('failed', { message: changeError })}
        </p>
      ) : null}
      <section aria-labelledby="types-in-use">
        <h2 id="types-in-use" className="mb-2 font-medium">
          {t('inUse')}
        </h2>
        <TypeList types={inUse} empty={t('none')}>
          {(type) => (
            <>
              <Button size="sm" onClick={() => setEditing(type)} aria-label={t('editType', { name: type.name })}>
                {t('edit')}
              </Button>
              <Button
                size="sm"
                variant="dangerText"
                onClick={() => {
                  changing.reset();
                  setArchiving(type);
                }}
                aria-label={t('archiveType', { name: type.name })}
              >
                {t('archive')}
              </Button>
            </>
          )}
        </TypeList>
      </section>
      {archived.length > 0 ? (
        <section aria-labelledby="types-archived">
          <h2 id="types-archived" className="font-medium">
            {t('archived')}
          </h2>
          <p className="mb-2 text-sm text-muted">{t('archivedIntro')}</p>
          <TypeList types={archived} empty="">
            {(type) => (
              <Button
                size="sm"
                disabled={changing.pending}
                onClick={() => changing.run(() => actions.restore(type.id, { version: type.version }), { ok: refresh })}
                aria-label={t('restoreType', { name: type.name })}
              >
                {t('restore')}
              </Button>
            )}
          </TypeList>
        </section>
      ) : null}
      {editing !== undefined ? (
        <AppointmentTypeDialog
          key={editing?.id ?? 'new'}
          type={editing}
          save={(input) => (editing ? actions.update(editing.id, input) : actions.create(input))}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            refresh();
          }}
        />
      ) : null}
      {archiving ? (
        <ResponsiveDialog
          title={t('archiveTitle', { name: archiving.name })}
          description={t('archiveBody')}
          onClose={() => setArchiving(null)}
          footer={
            <>
              <Button onClick={() => setArchiving(null)}>{t('cancel')}</Button>
              <Button variant="danger" disabled={changing.pending} onClick={() => archive(archiving)}>
                {t('archive')}
              </Button>
            </>
          }
        >
          {changeError ? (
            <div role="alert" className="flex flex-col items-start gap-2 text-sm text-danger">
              <p>{changing.state.status === 'error' && changing.state.code === 'conflict' ? t('conflict') : t('failed', { message: changeError })}</p>
              {changing.state.status === 'error' && changing.state.code === 'conflict' ? (
                <Button
                  size="sm"
                  onClick={() => {
                    setArchiving(null);
                    refresh();
                  }}
                >
                  {t('reload')}
                </Button>
              ) : null}
            </div>
          ) : null}
        </ResponsiveDialog>
      ) : null}
    </div>
  );
}

function TypeList({
  types,
  empty,
  children,
}: {
  types: AdminAppointmentTypeDto[];
  empty: string;
  children: (type: AdminAppointmentTypeDto) => React.ReactNode;
}) {
  const t = useTranslations('appointmentTypes');
  return (
    <ul className="flex flex-col divide-y divide-line rounded-2xl border border-line">
      {types.length === 0 ? <li className="p-4 text-sm text-muted">{empty}</li> : null}
      {types.map((type) => (
        <li key={type.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 p-3">
          <span
            aria-hidden
            className={type.color ? 'size-4 shrink-0 rounded-full' : 'size-4 shrink-0 rounded-full bg-appointment'}
            style={type.color ? { backgroundColor: type.color } : undefined}
          />
          <div className="min-w-0 flex-1">
            <p className="font-medium break-words">{type.name}</p>
            <p className="text-sm text-muted">
              {t('duration', { count: type.duration_minutes })}
              {type.buffer_before_minutes || type.buffer_after_minutes
                ? ` · ${t('buffers', { before: type.buffer_before_minutes, after: type.buffer_after_minutes })}`
                : ''}
              {type.booking_window_days != null ? ` · ${t('windowSummary', { days: type.booking_window_days })}` : ''}
              {type.min_notice_minutes != null ? ` · ${t('noticeSummary', { minutes: type.min_notice_minutes })}` : ''}
            </p>
          </div>
          <div className="ml-auto flex gap-1">{children(type)}</div>
        </li>
      ))}
    </ul>
  );
}
