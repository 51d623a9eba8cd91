import { z } from 'zod';

/** PUT …/appointments/{calendar_event_id}/attendance: `null` clears a mark made by mistake. */
export const markAttendanceSchema = z.object({ attendance: z.enum(['arrived', 'no_show']).nullable() }).strict();

export type MarkAttendanceInput = z.infer<typeof markAttendanceSchema>;
