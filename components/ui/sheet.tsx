'use client';

import { useEffect, useId, useRef } from 'react';

interface Props {
  title: string;
  onClose: () => void;
  children: React.ReactNode;
  /** the action buttons, last one primary */
  footer?: React.ReactNode;
}

/**
 * A modal bottom sheet on phones, a centered dialog on wider screens (Google Calendar's pattern).
 * Escape and the backdrop close it; focus moves into it when it opens.
 */
export function Sheet({ title, onClose, children, footer }: Props) {
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  // The latest onClose without re-running the effect: a parent's inline callback must not move focus
  // back to the first field on every render.
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    ref.current?.querySelector<HTMLElement>('input, select, button:not([data-close])')?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close.current();
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      previous?.focus?.();
    };
  }, []);

  return (
    <div className="fixed inset-0 z-50 flex items-end justify-center sm:items-center">
      <div className="absolute inset-0 bg-black/40" aria-hidden="true" onClick={onClose} />
      <div ref={ref} role="dialog" aria-modal="true" aria-labelledby={titleId}
        className="relative max-h-[85dvh] w-full overflow-y-auto rounded-t-3xl bg-surface p-5 shadow-xl sm:max-w-md sm:rounded-3xl">
        <div className="mx-auto mb-3 h-1 w-10 rounded-full bg-line sm:hidden" aria-hidden="true" />
        <h2 id={titleId} className="text-lg font-medium">{title}</h2>
        <div className="mt-3">{children}</div>
        {footer ? <div className="mt-5 flex justify-end gap-2">{footer}</div> : null}
      </div>
    </div>
  );
}

export function SheetButton({ primary, ...props }: React.ButtonHTMLAttributes<HTMLButtonElement> & { primary?: boolean }) {
  return (
    <button type="button" {...props}
      className={`h-11 rounded-full px-5 font-medium ${primary ? 'bg-primary text-white' : 'text-primary hover:bg-primary-soft'} disabled:opacity-50`} />
  );
}
