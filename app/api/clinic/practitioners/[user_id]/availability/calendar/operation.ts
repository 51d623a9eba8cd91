import { defineOperation } from '@/lib/api/operation';
import { calendarQuerySchema } from '@/lib/schemas/calendar';
import * as responses from '@/lib/schemas/responses';

/** GET …/practitioners/{user_id}/availability/calendar: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  GET: defineOperation({
    method: 'GET',
    path: '/api/clinic/practitioners/{user_id}/availability/calendar',
    operationId: 'getCalendar',
    summary: 'Month counts (month, page, limit) or one day with its events (date)',
    allow: ['user'],
    query: calendarQuerySchema,
    responses: [
      { status: 200, schema: responses.monthView, description: 'Month' },
      { status: 200, schema: responses.dayView, description: 'Day' },
    ],
  }),
};
