import { z } from 'zod';
import { calendarDate, decimalInt, queryId } from './common';

/** The kinds of activity the log can be narrowed to; each is a set of action prefixes (lib/queries/activity.ts). */
export const ACTIVITY_KINDS = [
  'appointments',
  'availability',
  'patients',
  'members',
  'types',
  'settings',
  'google',
  'agent_keys',
  'deliveries',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** Where a page of the log ends: the last entry's exact time (microseconds, UTC) and id. */
export interface ActivityCursor {
  at: string;
  id: number;
}

const CURSOR_TEXT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([1-9]\d{0,17})$/;

export function encodeActivityCursor(cursor: ActivityCursor): string {
  return btoa(`${cursor.at}|${cursor.id}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** null for anything that is not a cursor this server made (of any clinic: a cursor only says where to go on). */
export function decodeActivityCursor(text: string): ActivityCursor | null {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(text) || text.length % 4 === 1) return null;
  const m = CURSOR_TEXT.exec(atob(text.replace(/-/g, '+').replace(/_/g, '/')));
  if (!m || Number.isNaN(Date.parse(m[1]!)) || !Number.isSafeInteger(Number(m[2]))) return null;
  return { at: m[1]!, id: Number(m[2]) };
}

const activityCursor = z.string().transform((v, ctx) => {
  const cursor = decodeActivityCursor(v);
  if (!cursor) {
    ctx.addIssue({ code: 'custom', message: 'Use the next_cursor of a previous answer' });
    return z.NEVER;
  }
  return cursor;
});

/**
 * GET /api/clinic/admin/activity (and the activity page's filters): the clinic's audit log, newest
 * first. `from` and `to` are clinic dates, both included; `cursor` continues after a previous page.
 */
export const activityQuerySchema = z
  .object({
    practitioner_id: queryId.optional(),
    patient_id: queryId.optional(),
    kind: z.enum(ACTIVITY_KINDS).optional(),
    from: calendarDate.optional(),
    to: calendarDate.optional(),
    cursor: activityCursor.optional(),
    limit: decimalInt(1, 100).default(50),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '`from` must not be after `to`', path: ['to'] });
export type ActivityQuery = z.output<typeof activityQuerySchema>;
