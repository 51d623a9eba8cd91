'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { ActionState } from '@/lib/errors';
import { useSheetAction } from './use-sheet-action';
import { Sheet, SheetButton } from '../ui/sheet';

export type ClearExceptions = (practitionerId: number, range: { from: string; to: string }) => Promise<ActionState<{ deleted: number }>>;

interface Props {
  practitionerId: number;
  from: string;
  to: string;
  clearExceptions: ClearExceptions;
  onClose: () => void;
}

/** The design's bulk "clear exceptions": every unavailability of the practitioner in a date range. */
export function ClearExceptionsSheet({ practitionerId, from: initialFrom, to: initialTo, clearExceptions, onClose }: Props) {
  const t = useTranslations('calendar');
  const router = useRouter();
  const [from, setFrom] = useState(initialFrom);
  const [to, setTo] = useState(initialTo);
  const [cleared, setCleared] = useState<number | null>(null);
  const { run, pending, error, setError } = useSheetAction(t('errorNetwork'));

  function clear() {
    if (!from || !to) return setError(t('errorDates'));
    if (to < from) return setError(t('errorDateOrder'));
    run(() => clearExceptions(practitionerId, { from, to }), {
      ok: (data) => {
        setCleared(data.deleted);
        router.refresh();
      },
    });
  }

  return (
    <Sheet title={t('clearTitle')} onClose={onClose}
      footer={cleared === null ? <>
        <SheetButton onClick={onClose}>{t('cancel')}</SheetButton>
        <SheetButton primary disabled={pending} onClick={clear}>{pending ? t('clearing') : t('clear')}</SheetButton>
      </> : <SheetButton primary onClick={onClose}>{t('done')}</SheetButton>}>
      <p className="text-sm text-muted">{t('clearBody')}</p>
      <div className="mt-3 grid grid-cols-2 gap-3">
        <label className="flex min-w-0 flex-col text-sm">{t('from')}
          <input type="date" value={from} disabled={cleared !== null} onChange={(e) => setFrom(e.target.value)}
            className="h-11 min-w-0 rounded-lg border border-line bg-surface px-2 text-base" />
        </label>
        <label className="flex min-w-0 flex-col text-sm">{t('to')}
          <input type="date" value={to} disabled={cleared !== null} onChange={(e) => setTo(e.target.value)}
            className="h-11 min-w-0 rounded-lg border border-line bg-surface px-2 text-base" />
        </label>
      </div>
      {error ? <p role="alert" className="mt-3 text-sm text-danger">{error}</p> : null}
      <p role="status" className="mt-3 text-sm font-medium">{cleared === null ? '' : t('cleared', { count: cleared })}</p>
    </Sheet>
  );
}
