'use client';

import { DropdownMenu as Menu } from 'radix-ui';
import { cn } from './cn';

/**
 * Radix's menu (roving focus, arrow keys, typeahead, Escape, focus back to the trigger), in our look.
 * Not modal: a menu closes on Tab and on any tap outside, so the page behind it needs no hiding —
 * and a modal menu would mark that page aria-hidden while it still holds focusable controls.
 */
export function DropdownMenu({ modal = false, ...props }: React.ComponentProps<typeof Menu.Root>) {
  return <Menu.Root modal={modal} {...props} />;
}
export const DropdownMenuTrigger = Menu.Trigger;
export const DropdownMenuGroup = Menu.Group;

export function DropdownMenuContent({ className, sideOffset = 8, align = 'end', ...props }: React.ComponentProps<typeof Menu.Content>) {
  return (
    <Menu.Portal>
      <Menu.Content
        sideOffset={sideOffset}
        align={align}
        collisionPadding={8}
        className={cn(
          'z-50 max-h-[var(--radix-dropdown-menu-content-available-height)] w-64 overflow-y-auto rounded-2xl border border-line bg-surface py-2 text-ink shadow-lg outline-none',
          className,
        )}
        {...props}
      />
    </Menu.Portal>
  );
}

const itemClass =
  'flex min-h-11 w-full cursor-pointer items-center gap-3 px-4 text-left outline-none select-none data-[highlighted]:bg-grayed data-[disabled]:opacity-50';

export function DropdownMenuItem({ className, ...props }: React.ComponentProps<typeof Menu.Item>) {
  return <Menu.Item className={cn(itemClass, className)} {...props} />;
}

export function DropdownMenuLabel({ className, ...props }: React.ComponentProps<typeof Menu.Label>) {
  return <Menu.Label className={cn('px-4 py-2 text-sm text-muted', className)} {...props} />;
}

export function DropdownMenuSeparator({ className, ...props }: React.ComponentProps<typeof Menu.Separator>) {
  return <Menu.Separator className={cn('my-1 h-px bg-line', className)} {...props} />;
}

export const DropdownMenuRadioGroup = Menu.RadioGroup;

export function DropdownMenuRadioItem({ className, children, ...props }: React.ComponentProps<typeof Menu.RadioItem>) {
  return (
    <Menu.RadioItem className={cn(itemClass, className)} {...props}>
      <span className="flex size-5 items-center justify-center" aria-hidden="true">
        <Menu.ItemIndicator>
          <span className="block size-2.5 rounded-full bg-primary" />
        </Menu.ItemIndicator>
      </span>
      {children}
    </Menu.RadioItem>
  );
}
