import { defineOperation } from '@/lib/api/operation';
import { confirmQuery } from '@/lib/schemas/common';
import * as responses from '@/lib/schemas/responses';
import { copyWeeklyScheduleSchema } from '@/lib/schemas/schedule-copy';

/** POST …/practitioners/{user_id}/availability/default/copy: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  POST: defineOperation({
    method: 'POST',
    path: '/api/clinic/practitioners/{user_id}/availability/default/copy',
    operationId: 'copyWeeklySchedule',
    summary: "Copy a colleague's weekly hours onto this practitioner (replaces the whole week)",
    description:
      'The practitioner themself or a clinic admin. Warns like PUT …/availability/default when future confirmed appointments would fall outside the copied hours.',
    allow: ['user'],
    query: confirmQuery,
    body: copyWeeklyScheduleSchema,
    warns: true,
    idempotent: true,
    responses: [{ status: 200, schema: responses.weeklySchedule, description: "The practitioner's new week" }],
  }),
};
