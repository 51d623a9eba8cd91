'use client';

import Link from 'next/link';
import { useEffect, useId, useRef, useTransition } from 'react';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '../ui/dropdown-menu';
import { initialOf, triggerClass } from './profile-menu-shared';

export interface ProfileMenuProps {
  name: string;
  roleLabel: string | null;
  menuLabel: string;
  links: Array<{ href: string; label: string }>;
  signOutLabel: string;
  signOutAction: () => Promise<void>;
  languageLabel: string;
  /** each language by its own name, whatever the interface's language */
  languages: Array<{ locale: string; name: string }>;
  locale: string;
  setLocaleAction: (formData: FormData) => Promise<void>;
}

interface Props extends ProfileMenuProps {
  /** how the menu was asked for before this code had loaded: opened by a pointer or a key, or focused */
  opened: 'pointer' | 'keyboard' | null;
  focused: boolean;
}

/**
 * The profile menu itself (profile-menu.tsx loads it when wanted): the pages as menu items, the
 * interface language as a radio group, sign out. Radix gives it the menu keyboard (arrows, Home/End,
 * typeahead, Escape) and returns focus to the button.
 */
export function ProfileMenuPopup({ opened, focused, ...props }: Props) {
  const languageId = useId();
  const [, startTransition] = useTransition();
  const trigger = useRef<HTMLButtonElement>(null);
  const openedBefore = useRef(opened);
  // This button replaces the one the page was drawn with: it takes over its focus.
  useEffect(() => {
    if (focused && !opened) trigger.current?.focus();
  }, [focused, opened]);

  function chooseLanguage(locale: string) {
    const form = new FormData();
    form.set('locale', locale);
    // Setting the cookie in a server action re-renders the page in the new language.
    startTransition(() => props.setLocaleAction(form));
  }

  return (
    <DropdownMenu defaultOpen={opened !== null}>
      <DropdownMenuTrigger ref={trigger} aria-label={props.menuLabel} className={triggerClass}>
        {initialOf(props.name)}
      </DropdownMenuTrigger>
      <DropdownMenuContent
        onFocus={(event) => {
          // Opened from the keyboard before Radix was listening to keys: start on the first item, as Radix
          // does. (Radix focuses the menu itself first, then leaves the focus where it is.)
          const byKeyboard = openedBefore.current === 'keyboard';
          openedBefore.current = null;
          if (byKeyboard && event.target === event.currentTarget) event.currentTarget.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
        }}
      >
        <DropdownMenuLabel className="text-base text-ink">
          <span className="block font-medium">{props.name}</span>
          {props.roleLabel ? <span className="block text-sm text-muted">{props.roleLabel}</span> : null}
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        {props.links.map((l) => (
          <DropdownMenuItem key={l.href} asChild>
            <Link href={l.href}>{l.label}</Link>
          </DropdownMenuItem>
        ))}
        <DropdownMenuSeparator />
        <DropdownMenuLabel id={languageId}>{props.languageLabel}</DropdownMenuLabel>
        <DropdownMenuRadioGroup aria-labelledby={languageId} value={props.locale} onValueChange={chooseLanguage}>
          {props.languages.map((l) => (
            <DropdownMenuRadioItem key={l.locale} value={l.locale} lang={l.locale}>
              {l.name}
            </DropdownMenuRadioItem>
          ))}
        </DropdownMenuRadioGroup>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => startTransition(() => props.signOutAction())}>{props.signOutLabel}</DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
