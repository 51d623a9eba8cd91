'use client';

import { Suspense, useCallback, useState } from 'react';
import type { ClearExceptions } from './clear-exceptions-sheet';
import { lazySheet, type SheetMessages } from './lazy-sheet';

const loadSheet = () => import('./clear-exceptions-sheet');
const ClearExceptionsSheet = lazySheet(() => loadSheet().then((m) => m.ClearExceptionsSheet));

interface Props {
  practitionerId: number;
  /** the month's first and last dates: the sheet's initial range */
  from: string;
  to: string;
  clearExceptions: ClearExceptions;
  label: string;
  intl: SheetMessages;
  /** the button's classes, from the server (ui/button's variants) */
  className: string;
}

/** "Clear unavailability…": opens the bulk-clear sheet for the month on screen (loaded when first pointed at or opened). */
export function ClearExceptionsButton({ practitionerId, from, to, clearExceptions, label, intl, className }: Props) {
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  return (
    <>
      <button type="button" className={className} onClick={() => setOpen(true)} onPointerEnter={loadSheet} onFocus={loadSheet}>
        {label}
      </button>
      {open ? (
        <Suspense>
          <ClearExceptionsSheet intl={intl} practitionerId={practitionerId} from={from} to={to} clearExceptions={clearExceptions} onClose={close} />
        </Suspense>
      ) : null}
    </>
  );
}
