'use client';

import Link from 'next/link';
import { useEffect, useId, useRef, useState } from 'react';

interface Props {
  name: string;
  roleLabel: string | null;
  menuLabel: string;
  links: Array<{ href: string; label: string }>;
  signOutLabel: string;
  signOutAction: () => Promise<void>;
  languageLabel: string;
  locale: string;
  setLocaleAction: (formData: FormData) => Promise<void>;
}

/** The practitioner name/profile button (design: "Settings Access") and its menu. */
export function ProfileMenu(props: Props) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  return (
    <div ref={ref} className="relative">
      <button
        type="button"
        aria-label={props.menuLabel}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((o) => !o)}
        className="flex size-11 items-center justify-center rounded-full bg-primary text-base font-medium text-white"
      >
        {props.name.replace(/^Dr\.?\s*/i, '').slice(0, 1).toUpperCase()}
      </button>
      {open ? (
        <div id={menuId} role="menu" aria-label={props.menuLabel}
          className="absolute right-0 mt-2 w-64 overflow-hidden rounded-2xl border border-line bg-surface py-2 shadow-lg">
          <div className="px-4 py-2">
            <p className="font-medium">{props.name}</p>
            {props.roleLabel ? <p className="text-sm text-muted">{props.roleLabel}</p> : null}
          </div>
          {props.links.map((l) => (
            <Link key={l.href} role="menuitem" href={l.href} onClick={() => setOpen(false)}
              className="flex h-11 items-center px-4 hover:bg-grayed">{l.label}</Link>
          ))}
          <form action={props.setLocaleAction} className="flex h-11 items-center gap-2 px-4">
            <label htmlFor={`${menuId}-lang`} className="text-sm text-muted">{props.languageLabel}</label>
            <select id={`${menuId}-lang`} name="locale" defaultValue={props.locale}
              onChange={(e) => e.currentTarget.form?.requestSubmit()} className="h-9 rounded-lg border border-line px-2 text-sm">
              <option value="en">English</option>
              <option value="zh-TW">繁體中文</option>
            </select>
          </form>
          <form action={props.signOutAction}>
            <button type="submit" role="menuitem" className="flex h-11 w-full items-center px-4 text-left hover:bg-grayed">{props.signOutLabel}</button>
          </form>
        </div>
      ) : null}
    </div>
  );
}
