import { defineOperation } from '@/lib/api/operation';
import { lineChannelTestSchema } from '@/lib/schemas/clinic-settings';
import * as responses from '@/lib/schemas/responses';

/** POST /api/clinic/admin/settings/line-channel/test: declared once; route.ts and the OpenAPI document use it. */
export const operations = {
  POST: defineOperation({
    method: 'POST',
    path: '/api/clinic/admin/settings/line-channel/test',
    operationId: 'adminTestLineChannel',
    summary: "Check the clinic's own LINE channel with LINE, and push a test message to line_user_id when given (admins)",
    description:
      "LINE's verdict is the answer: ok true with the bot's name, or ok false with the reason. No channel of its own is 409 conflict; one this server cannot decrypt is 503 not_configured.",
    allow: ['user'],
    body: lineChannelTestSchema,
    responses: [{ status: 200, schema: responses.lineChannelTestResult, description: "LINE's verdict" }],
  }),
};
