'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { ActionState } from '@/lib/errors';
import type { GoogleCalendarSettingsDto } from '@/lib/queries/google';
import { useActionErrors } from '../ui/action-error';
import { Button } from '../ui/button';
import { ResponsiveDialog } from '../ui/responsive-dialog';
import { useAction } from '../ui/use-action';

interface Props {
  practitionerId: number;
  settings: GoogleCalendarSettingsDto | null;
  /** the practitioner themself or an admin (connecting is only for the practitioner themself) */
  editable: boolean;
  self: boolean;
  timeZone: string;
  actions: {
    connect: () => Promise<void>;
    disconnect: (practitionerId: number) => Promise<ActionState<{ disconnected: true }>>;
    setCountBusy: (practitionerId: number, on: boolean) => Promise<ActionState<{ count_busy: boolean }>>;
  };
}

/** The Google Calendar part of the availability settings: state, disconnect, reconnect, the busy switch. */
export function GoogleCalendarSection({ practitionerId, settings, editable, self, timeZone, actions }: Props) {
  const t = useTranslations('google');
  const format = useFormatter();
  const router = useRouter();
  const errors = useActionErrors();
  const [confirming, setConfirming] = useState(false);
  // The switch moves at once; a refused change puts it back.
  const [countBusy, setCountBusyShown] = useState(settings?.count_busy ?? false);
  const disconnecting = useAction<{ disconnected: true }>();
  const switching = useAction<{ count_busy: boolean }>();
  const when = (iso: string | null, fallback: string) =>
    iso ? format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23', timeZone }) : fallback;
  const connected = settings?.state === 'connected';
  const connectButton = (label: string) =>
    self ? (
      <form action={actions.connect}>
        <Button type="submit" variant="primary">
          {label}
        </Button>
      </form>
    ) : null;

  return (
    <section aria-labelledby="google-calendar" className="border-t border-line px-4 py-5">
      <h2 id="google-calendar" className="text-lg font-medium">
        {t('title')}
      </h2>
      <p className="mt-1 text-sm text-muted">{t('intro')}</p>
      {!settings || settings.state === 'disconnected' ? (
        <div className="mt-4 space-y-3">
          <p role="status">{settings ? t('disconnected') : t('notConnected')}</p>
          {editable ? connectButton(t('connect')) : null}
        </div>
      ) : (
        <>
          <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-muted">{t('account')}</dt>
            <dd>{settings.google_email ?? '—'}</dd>
            <dt className="text-muted">{t('state')}</dt>
            <dd className={connected ? 'text-success' : 'font-medium text-danger'}>{connected ? t('stateConnected') : t('stateBroken')}</dd>
            <dt className="text-muted">{t('lastSync')}</dt>
            <dd>{when(settings.last_synced_at, t('never'))}</dd>
            <dt className="text-muted">{t('channelExpiry')}</dt>
            <dd>{when(settings.channel_expires_at, t('noChannel'))}</dd>
            <dt className="text-muted">{t('failedEvents')}</dt>
            <dd>
              {settings.failed_events}
              {settings.failed_events > 0 ? <span className="block text-muted">{t('failedEventsHint')}</span> : null}
            </dd>
          </dl>
          {!connected && editable ? <div className="mt-4">{connectButton(t('reconnect'))}</div> : null}
          {connected ? (
            <label className="mt-5 flex min-h-11 items-start gap-3">
              <input
                type="checkbox"
                className="mt-1 size-5 accent-primary"
                checked={countBusy}
                disabled={!editable || switching.pending}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  setCountBusyShown(on);
                  switching.run(
                    async () => {
                      const result = await actions.setCountBusy(practitionerId, on);
                      if (result.status !== 'ok') setCountBusyShown(!on);
                      return result;
                    },
                    { ok: () => router.refresh() },
                  );
                }}
              />
              <span>
                <span className="block font-medium">{t('countBusy')}</span>
                <span className="block text-sm text-muted">{t('countBusyHint')}</span>
              </span>
            </label>
          ) : null}
          {errors.message(switching.state) ? (
            <p role="alert" className="mt-2 text-sm text-danger">
              {errors.message(switching.state)}
            </p>
          ) : null}
          {settings.refused_moves.length > 0 ? (
            <div className="mt-5">
              <h3 className="font-medium">{t('refusedMoves')}</h3>
              <ul className="mt-1 space-y-1 text-sm">
                {settings.refused_moves.map((m) => (
                  <li key={`${m.calendar_event_id}-${m.at}`}>{t('refusedMove', { at: when(m.at, ''), attempted: m.attempted, kept: m.kept })}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <p className="mt-5 text-sm text-muted">{t('titlesOverwritten')}</p>
          {editable ? (
            <Button variant="dangerText" className="mt-3" onClick={() => setConfirming(true)}>
              {t('disconnect')}
            </Button>
          ) : null}
        </>
      )}
      {confirming ? (
        <ResponsiveDialog
          title={t('disconnectConfirm')}
          description={t('disconnectBody')}
          onClose={() => setConfirming(false)}
          footer={
            <>
              <Button onClick={() => setConfirming(false)}>{t('cancelButton')}</Button>
              <Button
                variant="danger"
                disabled={disconnecting.pending}
                onClick={() =>
                  disconnecting.run(() => actions.disconnect(practitionerId), {
                    ok: () => {
                      setConfirming(false);
                      router.refresh();
                    },
                  })
                }
              >
                {t('disconnect')}
              </Button>
            </>
          }
        >
          {errors.message(disconnecting.state) ? (
            <p role="alert" className="text-sm text-danger">
              {errors.message(disconnecting.state)}
            </p>
          ) : null}
        </ResponsiveDialog>
      ) : null}
    </section>
  );
}
