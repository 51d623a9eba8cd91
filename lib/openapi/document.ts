import { z, type ZodType } from 'zod';
import { bookAppointmentSchema, clinicSlotsQuery, createPatientSchema, practitionerSlotsQuery } from '../schemas/agent';
import { calendarQuerySchema } from '../schemas/calendar';
import { confirmQuery } from '../schemas/common';
import { createExceptionSchema, updateExceptionSchema } from '../schemas/exceptions';
import * as responses from '../schemas/responses';
import { weeklyScheduleSchema } from '../schemas/weekly-schedule';

type Who = 'agent' | 'user' | 'both';
interface Endpoint {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  who: Who;
  query?: ZodType;
  body?: ZodType;
  ok: { status: number; schema: ZodType; description: string } | Array<{ status: number; schema: ZodType; description: string }>;
  warns?: boolean;
}

const jsonSchema = (schema: ZodType) => {
  const { $schema: _omit, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  void _omit;
  return rest;
};
const ref = (schema: ZodType) => {
  const id = z.globalRegistry.get(schema)?.id;
  return id ? { $ref: `#/components/schemas/${id}` } : jsonSchema(schema);
};

/** Query parameters from a zod object (or the union of several: required only where all require it). */
function queryParameters(schema: ZodType) {
  const unwrap = (s: ZodType): ZodType => (s instanceof z.ZodPipe ? unwrap(s.in as ZodType) : s);
  const root = unwrap(schema);
  const objects = (root instanceof z.ZodUnion ? root.options : [root]).map((o) => unwrap(o as ZodType)) as Array<z.ZodObject>;
  const names = [...new Set(objects.flatMap((o) => Object.keys(o.shape)))];
  return names.map((name) => {
    const fields = objects.map((o) => o.shape[name] as ZodType | undefined);
    const first = fields.find(Boolean)!;
    const required = fields.every((f) => f && !f.safeParse(undefined).success);
    return { name, in: 'query', required, schema: jsonSchema(first) };
  });
}

const id = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'integer', minimum: 1 } });

const ENDPOINTS: Endpoint[] = [
  { method: 'get', path: '/api/clinic/practitioners', operationId: 'listPractitioners', who: 'both', summary: "The clinic's practitioners", ok: { status: 200, schema: responses.practitionerList, description: 'Practitioners' } },
  { method: 'get', path: '/api/clinic/appointment-types', operationId: 'listAppointmentTypes', who: 'both', summary: 'Appointment types with their duration and buffers', ok: { status: 200, schema: responses.appointmentTypeList, description: 'Appointment types' } },
  {
    method: 'get', path: '/api/clinic/practitioners/{user_id}/availability/slots', operationId: 'getPractitionerSlots', who: 'both',
    summary: "A practitioner's free slots for one date, or for a range of dates (at most 62)",
    description: 'With `date`: `{available_slots}`. With `from` and `to` (inclusive): `{days: [{date, available_slots}]}`. Only truly free, bookable starts are listed.',
    query: practitionerSlotsQuery,
    ok: [{ status: 200, schema: responses.daySlots, description: 'Slots of one date' }, { status: 200, schema: responses.rangeSlots, description: 'Slots per date of the range' }],
  },
  { method: 'get', path: '/api/clinic/availability/slots', operationId: 'getClinicSlots', who: 'both', summary: 'Every practitioner\'s free slots on one date ("is anyone free?")', query: clinicSlotsQuery, ok: { status: 200, schema: responses.clinicSlots, description: 'Slots per practitioner' } },
  {
    method: 'post', path: '/api/clinic/patients', operationId: 'findOrCreatePatient', who: 'both',
    summary: 'Create a patient, or get the existing one with this LINE user id', body: createPatientSchema,
    ok: [{ status: 201, schema: responses.patient, description: 'Created' }, { status: 200, schema: responses.patient, description: 'Existing patient with this line_user_id' }],
  },
  {
    method: 'post', path: '/api/clinic/appointments', operationId: 'bookAppointment', who: 'both',
    summary: 'Book a slot (start_time must be one the slots endpoint offers right now)',
    description: '409 slot_unavailable when the time was taken meanwhile: fetch slots again and offer another time.',
    body: bookAppointmentSchema, ok: { status: 201, schema: responses.appointment, description: 'Booked, confirmed' },
  },
  {
    method: 'post', path: '/api/clinic/appointments/{calendar_event_id}/cancel', operationId: 'cancelAppointment', who: 'agent',
    summary: "Cancel an appointment on the patient's behalf (canceled_by_patient)", ok: { status: 200, schema: responses.appointment, description: 'Canceled' },
  },
  { method: 'get', path: '/api/clinic/practitioners/{user_id}/availability/default', operationId: 'getWeeklySchedule', who: 'user', summary: 'Default weekly working hours, all seven days', ok: { status: 200, schema: responses.weeklySchedule, description: 'The week' } },
  {
    method: 'put', path: '/api/clinic/practitioners/{user_id}/availability/default', operationId: 'replaceWeeklySchedule', who: 'user',
    summary: 'Replace the whole week (a day left out has no hours)', query: confirmQuery, body: weeklyScheduleSchema, warns: true,
    ok: { status: 200, schema: responses.weeklySchedule, description: 'Saved' },
  },
  {
    method: 'get', path: '/api/clinic/practitioners/{user_id}/availability/calendar', operationId: 'getCalendar', who: 'user',
    summary: 'Month counts (month, page, limit) or one day with its events (date)', query: calendarQuerySchema,
    ok: [{ status: 200, schema: responses.monthView, description: 'Month' }, { status: 200, schema: responses.dayView, description: 'Day' }],
  },
  {
    method: 'post', path: '/api/clinic/practitioners/{user_id}/availability/exceptions', operationId: 'createException', who: 'user',
    summary: 'Block out time (no times = all day)', query: confirmQuery, body: createExceptionSchema, warns: true,
    ok: { status: 201, schema: responses.exception, description: 'Created' },
  },
  {
    method: 'put', path: '/api/clinic/practitioners/{user_id}/availability/exceptions/{exception_id}', operationId: 'updateException', who: 'user',
    summary: 'Change an exception (fields left out keep their values)', query: confirmQuery, body: updateExceptionSchema, warns: true,
    ok: { status: 200, schema: responses.exception, description: 'Updated' },
  },
  { method: 'delete', path: '/api/clinic/practitioners/{user_id}/availability/exceptions/{exception_id}', operationId: 'deleteException', who: 'user', summary: 'Delete an exception', ok: { status: 200, schema: responses.message, description: 'Deleted' } },
  {
    method: 'delete', path: '/api/clinic/practitioners/{user_id}/appointments/{calendar_event_id}', operationId: 'deleteAppointment', who: 'user',
    summary: 'Cancel by the clinic (canceled_by_clinic); the patient is told on LINE', ok: { status: 200, schema: responses.deletedAppointment, description: 'Canceled' },
  },
];

const PATH_PARAMS: Record<string, ReturnType<typeof id>> = {
  user_id: id('user_id', "The practitioner's id"),
  exception_id: id('exception_id', "The exception's id"),
  calendar_event_id: id('calendar_event_id', "The appointment's calendar event id"),
};

const SECURITY: Record<Who, Array<Record<string, string[]>>> = {
  agent: [{ agentKey: [] }],
  user: [{ session: [] }],
  both: [{ agentKey: [] }, { session: [] }],
};

/** OpenAPI 3.1 of the contract, generated from the zod schemas that validate the requests. */
export function buildOpenApiDocument() {
  const errorRef = { content: { 'application/json': { schema: ref(responses.errorResponse) } } };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of ENDPOINTS) {
    const oks = Array.isArray(e.ok) ? e.ok : [e.ok];
    const byStatus = new Map<number, typeof oks>();
    for (const ok of oks) byStatus.set(ok.status, [...(byStatus.get(ok.status) ?? []), ok]);
    const okResponses = Object.fromEntries([...byStatus].map(([status, list]) => [String(status), {
      description: list.map((l) => l.description).join(' / '),
      content: { 'application/json': { schema: list.length === 1 ? ref(list[0]!.schema) : { oneOf: list.map((l) => ref(l.schema)) } } },
    }]));
    const pathParams = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => PATH_PARAMS[m[1]!]!);
    (paths[e.path] ??= {})[e.method] = {
      operationId: e.operationId,
      summary: e.summary,
      ...(e.description ? { description: e.description } : {}),
      security: SECURITY[e.who],
      parameters: [...pathParams, ...(e.query ? queryParameters(e.query) : []),
        ...(e.method === 'post' ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 }, description: 'Repeat a creating request safely: the same key and body within 24 hours returns the first answer.' }] : [])],
      ...(e.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(e.body) } } } } : {}),
      responses: {
        ...okResponses,
        '400': { description: 'Invalid request (validation_error, overlapping_intervals, invalid_time_range)', ...errorRef },
        '401': { description: 'No valid session or agent key', ...errorRef },
        '403': { description: 'Not allowed for this caller', ...errorRef },
        '404': { description: "Unknown id, or another clinic's", ...errorRef },
        '409': {
          description: e.warns ? 'A warning (nothing saved; repeat with ?confirm=true), or a conflict' : 'Conflict (slot_unavailable, idempotency_conflict)',
          content: { 'application/json': { schema: e.warns ? { oneOf: [ref(responses.warningResponse), ref(responses.errorResponse)] } : ref(responses.errorResponse) } },
        },
        '429': { description: 'Rate limited (agent keys); see Retry-After', ...errorRef },
      },
    };
  }
  const registry = z.toJSONSchema(z.globalRegistry, { io: 'output', unrepresentable: 'any', uri: (name) => `#/components/schemas/${name}` }) as { schemas: Record<string, Record<string, unknown>> };
  const schemas = Object.fromEntries(Object.entries(registry.schemas).map(([name, s]) => {
    const { $schema: _a, $id: _b, ...rest } = s;
    void _a; void _b;
    return [name, rest];
  }));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Clinic Bot Calendar API',
      version: '1.0.0',
      description: 'Practitioner availability and booking for a clinic. An AI agent (Authorization: Bearer <agent key>) lists practitioners and appointment types, reads truly free slots, finds or creates patients, books and cancels. Dates and times are the clinic\'s wall-clock time (YYYY-MM-DD, HH:MM).',
    },
    components: {
      securitySchemes: {
        agentKey: { type: 'http', scheme: 'bearer', description: 'An AI-agent key of one clinic (npm run agent-key).' },
        session: { type: 'apiKey', in: 'cookie', name: 'authjs.session-token', description: 'A signed-in clinic member (Auth.js session).' },
      },
      schemas,
    },
    paths,
  };
}

export const OPENAPI_ENDPOINTS = ENDPOINTS.map((e) => ({ method: e.method, path: e.path }));
