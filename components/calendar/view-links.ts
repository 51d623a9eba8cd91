/** The calendar's URLs of the week and team views (month and day: calendar-time.ts). */
export const weekHref = (practitionerId: number, date: string) => `/calendar?practitioner=${practitionerId}&week=${date}`;
export const teamHref = (date: string) => `/calendar/team?date=${date}`;

/** The cookie the root layout's script sets: `1` when the browser's window is at least WIDE_MIN_PX wide. */
export const WIDE_COOKIE = 'cbc_wide';
/** A desktop: the calendar opens on the week (Tailwind's `lg`). */
export const WIDE_MIN_PX = 1024;

/** Days a phone's week view shows at once, and moves by with a swipe (Google Calendar's 3-day view). */
export const PHONE_DAYS = 3;

/** Height of a minute in the team grid: 44 px a half hour, the day grid's tap target. */
export const TEAM_PX_PER_MINUTE = 44 / 30;
