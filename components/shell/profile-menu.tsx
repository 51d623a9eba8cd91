'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useId, useTransition } from 'react';
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

/** Each language by its own name, whatever the interface's language. */
const LANGUAGES = [
  { locale: 'en', key: 'languageEnglish' },
  { locale: 'zh-TW', key: 'languageChinese' },
] as const;

/**
 * The practitioner name/profile button (design: "Settings Access") and its menu: the pages as menu
 * items, the interface language as a radio group, sign out. Radix gives it the menu keyboard
 * (arrows, Home/End, typeahead, Escape) and returns focus to the button.
 */
export function ProfileMenu(props: Props) {
  const t = useTranslations('shell');
  const languageId = useId();
  const [, startTransition] = useTransition();

  function chooseLanguage(locale: string) {
    const form = new FormData();
    form.set('locale', locale);
    // Setting the cookie in a server action re-renders the page in the new language.
    startTransition(() => props.setLocaleAction(form));
  }

  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        aria-label={props.menuLabel}
        className="flex size-11 items-center justify-center rounded-full bg-primary text-base font-medium text-white outline-offset-2 focus-visible:outline-2 focus-visible:outline-primary"
      >
        {props.name
          .replace(/^Dr\.?\s*/i, '')
          .slice(0, 1)
          .toUpperCase()}
      </DropdownMenuTrigger>
      <DropdownMenuContent>
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
          {LANGUAGES.map((l) => (
            <DropdownMenuRadioItem key={l.locale} value={l.locale} lang={l.locale}>
              {t(l.key)}
            </DropdownMenuRadioItem>
          ))}
        </DropdownMenuRadioGroup>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => startTransition(() => props.signOutAction())}>{props.signOutLabel}</DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
