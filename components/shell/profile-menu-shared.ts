/** The profile button's look, the same before (profile-menu.tsx) and after the menu's code has loaded. */
export const triggerClass =
  'flex size-11 items-center justify-center rounded-full bg-primary text-base font-medium text-white outline-offset-2 focus-visible:outline-2 focus-visible:outline-primary';

/** The button shows the name's initial: "Dr. Chen" → "C". */
export const initialOf = (name: string) =>
  name
    .replace(/^Dr\.?\s*/i, '')
    .slice(0, 1)
    .toUpperCase();
