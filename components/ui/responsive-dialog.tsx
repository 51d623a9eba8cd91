'use client';

import { Dialog } from 'radix-ui';
import { useState } from 'react';
import { Drawer } from 'vaul';
import { cn } from './cn';
import { useMediaQuery } from './use-media-query';

interface Props {
  title: string;
  /** one sentence under the title, read out with it (aria-describedby) */
  description?: string;
  onClose: () => void;
  children?: React.ReactNode;
  /** the action buttons, last one primary */
  footer?: React.ReactNode;
}

/** Tailwind's `sm`: from here on a centered dialog, below it a bottom sheet. */
const DESKTOP = '(min-width: 40rem)';

/**
 * The "responsive dialog": a bottom sheet (vaul) on phones that swipes down to close, a centered
 * dialog (Radix) on wider screens. Both are Radix dialogs underneath: focus moves in and is trapped,
 * the page behind is hidden from assistive technology and cannot scroll or be clicked, Escape and a
 * tap outside close it, and focus goes back to the control that opened it.
 *
 * Callers render it while it is open and drop it in `onClose` (it is always `open`). The branch is
 * picked with a media query rather than by rendering both with CSS, so there is one dialog in the
 * accessibility tree; the server snapshot cannot mismatch because a dialog only ever opens after
 * hydration, on a tap.
 */
export function ResponsiveDialog({ title, description, onClose, children, footer }: Props) {
  const desktop = useMediaQuery(DESKTOP);
  // The element that had focus when the dialog mounted: the opener. Radix returns focus to its own
  // Dialog.Trigger only, and our dialogs open from buttons, calendar events and time slots alike.
  const [opener] = useState(() => (typeof document === 'undefined' ? null : (document.activeElement as HTMLElement | null)));
  const onOpenChange = (open: boolean) => {
    if (!open) onClose();
  };
  const returnFocus = (e: Event) => {
    if (opener && opener !== document.body && opener.isConnected) {
      e.preventDefault();
      opener.focus();
    }
  };
  const a11y = description ? {} : { 'aria-describedby': undefined };

  if (desktop) {
    return (
      <Dialog.Root open onOpenChange={onOpenChange}>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 z-50 bg-black/40" />
          <Dialog.Content
            {...a11y}
            onCloseAutoFocus={returnFocus}
            className="fixed top-1/2 left-1/2 z-50 max-h-[85dvh] w-[calc(100%-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-3xl bg-surface p-5 shadow-xl outline-none"
          >
            <Dialog.Title className="text-lg font-medium">{title}</Dialog.Title>
            {description ? <Dialog.Description className="mt-1 text-sm text-muted">{description}</Dialog.Description> : null}
            <Body footer={footer}>{children}</Body>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    );
  }

  return (
    <Drawer.Root open onOpenChange={onOpenChange} autoFocus>
      <Drawer.Portal>
        <Drawer.Overlay className="fixed inset-0 z-50 bg-black/40" />
        <Drawer.Content
          {...a11y}
          onCloseAutoFocus={returnFocus}
          className="fixed inset-x-0 bottom-0 z-50 flex max-h-[85dvh] flex-col rounded-t-3xl bg-surface shadow-xl outline-none"
        >
          {/* vaul's handle: the visible grip for the swipe-down gesture (the whole sheet drags too). */}
          <Drawer.Handle className="mt-3 mb-2 shrink-0" />
          <div className="overflow-y-auto px-5 pb-[max(1.25rem,env(safe-area-inset-bottom))]">
            <Drawer.Title className="text-lg font-medium">{title}</Drawer.Title>
            {description ? <Drawer.Description className="mt-1 text-sm text-muted">{description}</Drawer.Description> : null}
            <Body footer={footer}>{children}</Body>
          </div>
        </Drawer.Content>
      </Drawer.Portal>
    </Drawer.Root>
  );
}

function Body({ children, footer }: { children?: React.ReactNode; footer?: React.ReactNode }) {
  return (
    <>
      {children ? <div className="mt-3">{children}</div> : null}
      {footer ? <div className={cn('mt-5 flex flex-wrap justify-end gap-2')}>{footer}</div> : null}
    </>
  );
}
