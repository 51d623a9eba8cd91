import { defineOperation } from '@/lib/api/operation';
import { confirmQuery } from '@/lib/schemas/common';
import * as responses from '@/lib/schemas/responses';
import { weeklyScheduleSchema } from '@/lib/schemas/weekly-schedule';

const path = '/api/clinic/practitioners/{user_id}/availability/default';

/** GET and PUT …/practitioners/{user_id}/availability/default: declared once; route.ts and the OpenAPI document use them. */
export const operations = {
  GET: defineOperation({
    method: 'GET',
    path,
    operationId: 'getWeeklySchedule',
    summary: 'Default weekly working hours, all seven days',
    allow: ['user'],
    responses: [{ status: 200, schema: responses.weeklySchedule, description: 'The week' }],
  }),
  PUT: defineOperation({
    method: 'PUT',
    path,
    operationId: 'replaceWeeklySchedule',
    summary: 'Replace the whole week (a day left out has no hours)',
    allow: ['user'],
    query: confirmQuery,
    body: weeklyScheduleSchema,
    warns: true,
    responses: [{ status: 200, schema: responses.weeklySchedule, description: 'Saved' }],
  }),
};
