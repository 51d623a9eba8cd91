/** The calendar's URLs of the week and team views (month and day: calendar-time.ts). */
export const weekHref = (practitionerId: number, date: string) => `/calendar?practitioner=${practitionerId}&week=${date}`;
export const teamHref = (date: string) => `/calendar/team?date=${date}`;

/** The cookie the root layout's script sets: `1` when the browser's window is at least WIDE_MIN_PX wide. */
export const WIDE_COOKIE = 'cbc_wide';
/** A desktop: the calendar opens on the week (Tailwind's `lg`). */
export const WIDE_MIN_PX = 1024;
