'use client';

import { useState } from 'react';
import type { ProfileMenuPopup as Popup, ProfileMenuProps } from './profile-menu-popup';
import { initialOf, triggerClass } from './profile-menu-shared';

const loadPopup = () => import('./profile-menu-popup').then((m) => m.ProfileMenuPopup);

/**
 * The practitioner name/profile button (design: "Settings Access"). The menu's code (Radix's menu,
 * positioning, focus handling: ~20 KB gzip) loads when the button is pointed at, focused or pressed,
 * not with the page; a press before it has arrived opens the menu as soon as it does.
 */
export function ProfileMenu(props: ProfileMenuProps) {
  const [Menu, setMenu] = useState<typeof Popup | null>(null);
  const [opened, setOpened] = useState<'pointer' | 'keyboard' | null>(null);
  const [focused, setFocused] = useState(false);

  if (Menu) return <Menu {...props} opened={opened} focused={focused} />;

  const load = () => void loadPopup().then((popup) => setMenu(() => popup));
  const open = (how: 'pointer' | 'keyboard') => {
    setOpened(how);
    load();
  };
  return (
    <button
      type="button"
      aria-label={props.menuLabel}
      aria-haspopup="menu"
      aria-expanded={false}
      className={triggerClass}
      onPointerEnter={load}
      onTouchStart={load}
      onFocus={() => {
        setFocused(true);
        load();
      }}
      onBlur={() => setFocused(false)}
      // Radix's trigger opens on press (pointer down), Enter, Space and ArrowDown: the same here.
      onPointerDown={(e) => {
        if (e.button === 0 && !e.ctrlKey) open('pointer');
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ' || e.key === 'ArrowDown') {
          e.preventDefault();
          open('keyboard');
        }
      }}
    >
      {initialOf(props.name)}
    </button>
  );
}
