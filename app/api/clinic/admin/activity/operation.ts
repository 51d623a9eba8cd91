import { defineOperation } from '@/lib/api/operation';
import { activityQuerySchema } from '@/lib/schemas/activity';
import * as responses from '@/lib/schemas/responses';

/** GET /api/clinic/admin/activity: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  GET: defineOperation({
    method: 'GET',
    path: '/api/clinic/admin/activity',
    operationId: 'listActivity',
    summary: "The clinic's activity (audit log), newest first: who did what and when",
    description:
      'Clinic admins only. Filters: practitioner_id, patient_id, kind (appointments, availability, patients, members, types, settings, google, ' +
      'agent_keys, deliveries), from and to (clinic dates, both included). Pages of `limit` entries (default 50, at most 100); ' +
      "pass an answer's next_cursor as `cursor` for the next. A practitioner or patient of another clinic is 404.",
    allow: ['user'],
    query: activityQuerySchema,
    responses: [{ status: 200, schema: responses.activityPage, description: 'A page of entries' }],
  }),
};
