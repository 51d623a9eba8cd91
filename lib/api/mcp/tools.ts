import 'server-only';
import { z, type ZodType } from 'zod';
import { operations as appointmentTypesOp } from '@/app/api/clinic/appointment-types/operation';
import { operations as cancelOp } from '@/app/api/clinic/appointments/[calendar_event_id]/cancel/operation';
import { operations as rescheduleOp } from '@/app/api/clinic/appointments/[calendar_event_id]/reschedule/operation';
import { operations as appointmentsOp } from '@/app/api/clinic/appointments/operation';
import { operations as clinicSlotsOp } from '@/app/api/clinic/availability/slots/operation';
import { operations as holdOp } from '@/app/api/clinic/holds/[hold_id]/operation';
import { operations as holdsOp } from '@/app/api/clinic/holds/operation';
import { operations as patientAppointmentsOp } from '@/app/api/clinic/patients/[patient_id]/appointments/operation';
import { operations as patientsOp } from '@/app/api/clinic/patients/operation';
import { operations as practitionerSlotsOp } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/operation';
import { operations as practitionersOp } from '@/app/api/clinic/practitioners/operation';
import type { Caller } from '../../auth/caller';
import { getDb, type DbOrTx } from '../../db/client';
import { AppError, validationError } from '../../errors';
import { findPatientsByLineUserId, listPatientAppointments } from '../../queries/patients';
import { appointmentTypeIn, clinicSnapshot, practitionerIn } from '../../queries/clinic-cache';
import { slotsByPractitioner } from '../../queries/slots';
import {
  bookAppointmentSchema,
  clinicSlotsQuery,
  createPatientSchema,
  practitionerSlotsQuery,
  rescheduleAppointmentSchema,
} from '../../schemas/agent';
import { bodyId, calendarDate } from '../../schemas/common';
import { cancelAppointmentByPatient } from '../../services/appointment-cancellation';
import { bookAppointment } from '../../services/booking';
import { holdSlot, releaseHold } from '../../services/holds';
import { findOrCreatePatient } from '../../services/patients';
import { rescheduleAppointment } from '../../services/reschedule';
import type { Clock } from '../../time/clock';
import { idempotent } from '../idempotency';
import type { Operation } from '../operation';

// The MCP server's tools (served at /api/mcp by ./server.ts, described in /llms.txt): each one is a
// door to the same services and queries as the REST route it names, with arguments that are that
// route's body fields (ids as JSON integers), validated by the same zod schemas. A tool's answer is
// the REST answer's JSON; a refusal is the REST error body ({error, message, details}).

export interface ToolContext {
  caller: Caller;
  /** tests only: the services' clock */
  clock?: Clock;
}

export interface McpTool {
  name: string;
  title: string;
  /** written for the LLM that calls it: when, what each error means and what to do next, an example */
  description: string;
  /** the arguments (an object schema; its JSON Schema is what tools/list shows) */
  input: z.ZodObject;
  /** the REST operations this tool does the work of (named in /llms.txt) */
  rest: readonly Operation[];
  /** changes data (outbox delivery follows the response) */
  mutates: boolean;
  run(ctx: ToolContext, args: Record<string, unknown>): Promise<unknown>;
}

/** What every refusal looks like and what to do about it, appended to each tool's description. */
const ERRORS_COMMON =
  'Errors come back as a tool result with isError: true whose text is JSON {error, message, details}: ' +
  'validation_error (details.issues name the bad arguments: fix them and call again), ' +
  "not_found (an id that is not this clinic's: list again, never guess ids), " +
  'rate_limited (details.retry_after_seconds: wait that long), busy (try again in a second).';

const idempotencyKey = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'Printable characters only')
  .describe(
    'Optional. Any unique text (e.g. a UUID) for this one request: calling again with the same key and arguments within 24 hours returns the first answer and does nothing twice (use it when a call timed out and you retry).',
  );

const id = (what: string) => bodyId.describe(what);
const date = (what: string) => calendarDate.describe(`${what} (YYYY-MM-DD, the clinic's own calendar)`);

/** A REST path with its `{name}`s filled in (idempotency keys the request by its path). */
function restPath(op: Operation, params: Record<string, number> = {}): string {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name]));
}

/**
 * Runs a creating call through the same Idempotency-Key store as its REST route: the same key with
 * the same request, by either door, answers the first answer.
 */
async function asIdempotent(
  ctx: ToolContext,
  op: Operation,
  path: string,
  key: string | undefined,
  body: unknown,
  run: (tx: DbOrTx) => Promise<{ status: number; body: unknown }>,
): Promise<unknown> {
  const req = new Request(new URL(path, 'http://mcp.invalid'), { method: op.method, headers: key === undefined ? {} : { 'idempotency-key': key } });
  return (await idempotent(req, ctx.caller, body, run)).body;
}

/** Parses with a shared schema; a failure is the contract's validation_error. */
function parseWith<T>(schema: ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

const listPractitioners: McpTool = {
  name: 'list_practitioners',
  title: "The clinic's practitioners",
  description: [
    "Lists the clinic's practitioners as [{id, name}]. Call it once at the start of a conversation that is about booking, to learn their ids (practitioner_id in find_slots, hold_slot and book_appointment) and to match a name the patient says.",
    '例：病人說「我想掛陳醫師的號」→ call list_practitioners and find the id whose name is Dr. Chen / 陳醫師.',
    ERRORS_COMMON,
  ].join('\n'),
  input: z.object({}).strict(),
  rest: [practitionersOp.GET],
  mutates: false,
  async run({ caller }) {
    return (await clinicSnapshot(await getDb(), caller)).practitioners;
  },
};

const listAppointmentTypes: McpTool = {
  name: 'list_appointment_types',
  title: "The clinic's appointment types",
  description: [
    'Lists the appointment types as [{id, name, duration_minutes, buffer_before_minutes, buffer_after_minutes}]. Every slot question and booking needs an appointment_type_id: call this first and pick the type matching what the patient asks for (ask them if unsure).',
    '例：「我要回診」→ the type whose name is like 一般複診 / follow-up; 「第一次來」→ the first-visit type.',
    ERRORS_COMMON,
  ].join('\n'),
  input: z.object({}).strict(),
  rest: [appointmentTypesOp.GET],
  mutates: false,
  async run({ caller }) {
    return (await clinicSnapshot(await getDb(), caller)).appointmentTypes;
  },
};

const findSlotsInput = z
  .object({
    appointment_type_id: id('The appointment type (from list_appointment_types); a slot is as long as its duration'),
    practitioner_id: id('One practitioner (from list_practitioners). Leave it out to ask every practitioner for one date').optional(),
    date: date('One day').optional(),
    from: date('First day of a range (with to; one practitioner only)').optional(),
    to: date('Last day of a range, inclusive, at most 62 days after from').optional(),
  })
  .strict();

const findSlots: McpTool = {
  name: 'find_slots',
  title: 'Free start times',
  description: [
    'Finds the start times that are free right now for an appointment type. Three forms:',
    '- practitioner_id + date → {practitioner_id, date, available_slots: [{start_time, end_time, recommended?}]}',
    '- practitioner_id + from + to (at most 62 days) → {practitioner_id, days: [{date, available_slots}]} (every date listed, empty when closed or full)',
    '- date alone (no practitioner_id) → {date, practitioners: [{id, name, available_slots}]}: "is anyone free that day?"',
    "Times are HH:MM on the clinic's clock. Offer starts marked recommended: true first (they keep the day compact). Offer two or three starts, never promise one: another patient may take it until you hold_slot or book_appointment it.",
    '例：病人說「下週三下午陳醫師有空嗎？」→ find_slots {practitioner_id, date: next Wednesday, appointment_type_id} and offer starts from 12:00 on; 「這週哪天都可以」→ the from/to form over this week.',
    ERRORS_COMMON,
  ].join('\n'),
  input: findSlotsInput,
  rest: [practitionerSlotsOp.GET, clinicSlotsOp.GET],
  mutates: false,
  async run({ caller, clock }, args) {
    const a = args as z.infer<typeof findSlotsInput>;
    // The REST query schemas, fed the arguments as a query would be.
    const query = Object.fromEntries(
      Object.entries({ date: a.date, from: a.from, to: a.to, appointment_type_id: String(a.appointment_type_id) }).filter(([, v]) => v !== undefined),
    );
    const db = await getDb();
    const clinic = await clinicSnapshot(db, caller);
    if (a.practitioner_id === undefined) {
      const q = parseWith(clinicSlotsQuery, query);
      const type = appointmentTypeIn(clinic, q.appointment_type_id);
      const slots = await slotsByPractitioner(db, {
        clinic: clinic.settings,
        practitionerIds: clinic.practitioners.map((p) => p.id),
        type,
        from: q.date,
        to: q.date,
        clock,
        recommend: { types: [...clinic.types.values()] },
      });
      return {
        date: q.date,
        practitioners: clinic.practitioners.map((p) => ({ id: p.id, name: p.name, available_slots: slots.get(p.id)![0]!.available_slots })),
      };
    }
    const q = parseWith(practitionerSlotsQuery, query);
    const practitioner = practitionerIn(clinic, a.practitioner_id);
    const type = appointmentTypeIn(clinic, q.appointment_type_id);
    const from = 'date' in q ? q.date : q.from;
    const to = 'date' in q ? q.date : q.to;
    const days = (
      await slotsByPractitioner(db, {
        clinic: clinic.settings,
        practitionerIds: [practitioner.id],
        type,
        from,
        to,
        clock,
        recommend: { types: [...clinic.types.values()] },
      })
    ).get(practitioner.id)!;
    return 'date' in q
      ? { practitioner_id: practitioner.id, date: q.date, available_slots: days[0]!.available_slots }
      : { practitioner_id: practitioner.id, days };
  },
};

const findOrCreateInput = createPatientSchema.extend({
  line_user_id: createPatientSchema.shape.line_user_id.describe(
    'The LINE user id of the chat (U + 32 hex digits). With it alone, finds the patient; with full_name too, creates them if they are new.',
  ),
  full_name: createPatientSchema.shape.full_name.optional().describe("The patient's full name; needed only to create a patient"),
  phone_number: createPatientSchema.shape.phone_number.describe('Optional phone number (digits, spaces, + - ( ))'),
});

const findOrCreatePatientTool: McpTool = {
  name: 'find_or_create_patient',
  title: 'The patient of this LINE chat',
  description: [
    "Finds the patient you are chatting with by their LINE user id, or creates them. Call it first in every conversation, with the chat's line_user_id:",
    '- line_user_id alone → {found: true, created: false, patient: {id, full_name, phone_number, line_user_id}}, or {found: false, created: false, patient: null} for someone new: then ask for their full name (and phone) and call again with full_name.',
    '- line_user_id + full_name (+ phone_number) → the existing patient with that LINE id (created: false; their stored name is kept), or a new patient (created: true).',
    '- full_name without line_user_id creates a patient every time: only for someone not on LINE.',
    'Use patient.id as patient_id in book_appointment and list_patient_appointments.',
    '例：新病人說「我叫王小明，電話0912-345-678」→ find_or_create_patient {line_user_id, full_name: "王小明", phone_number: "0912-345-678"}.',
    ERRORS_COMMON,
  ].join('\n'),
  input: findOrCreateInput,
  rest: [patientsOp.GET, patientsOp.POST],
  mutates: true,
  async run({ caller }, args) {
    const a = args as z.infer<typeof findOrCreateInput>;
    if (a.full_name === undefined) {
      if (!a.line_user_id) {
        throw new AppError('validation_error', 'The request is not valid', {
          issues: [{ path: ['line_user_id'], code: 'invalid_type', message: 'Give line_user_id to find a patient, or full_name to create one' }],
        });
      }
      const [patient] = await findPatientsByLineUserId(await getDb(), caller, { lineUserId: a.line_user_id });
      return { found: patient !== undefined, created: false, patient: patient ?? null };
    }
    const body = parseWith(createPatientSchema, a);
    const { created, patient } = await findOrCreatePatient(await getDb(), caller, body);
    return { found: !created, created, patient };
  },
};

const patientAppointmentsInput = z.object({ patient_id: id('The patient (from find_or_create_patient)') }).strict();

const listPatientAppointmentsTool: McpTool = {
  name: 'list_patient_appointments',
  title: "A patient's appointments",
  description: [
    "Lists the patient's appointments: {appointments: [{calendar_event_id, practitioner_id, practitioner_name, appointment_type_id, appointment_type_name, date, start_time, end_time, status}]}, upcoming confirmed ones first (soonest first), then past and canceled ones, newest first (at most 50).",
    'Call it when the patient asks about, wants to move or wants to cancel an appointment: its calendar_event_id is what reschedule_appointment and cancel_appointment take. Only status "confirmed" ones can be moved or canceled.',
    '例：「我下次約診是什麼時候？」→ list_patient_appointments {patient_id} and read them the first confirmed one.',
    ERRORS_COMMON,
  ].join('\n'),
  input: patientAppointmentsInput,
  rest: [patientAppointmentsOp.GET],
  mutates: false,
  async run({ caller, clock }, args) {
    const a = args as z.infer<typeof patientAppointmentsInput>;
    return listPatientAppointments(await getDb(), caller, { patientId: a.patient_id, clock });
  },
};

const SLOT_UNAVAILABLE_HOLD =
  'slot_unavailable (409): that start is not free now (details.reason: booked, held by someone else, outside_hours, exception, too_soon, past, not_on_grid, beyond_booking_window, day_full, …); details.alternatives lists up to 5 free starts [{practitioner_id, date, start_time, end_time}], nearest first: offer those instead.';

const SLOT_UNAVAILABLE =
  'slot_unavailable (409): that start is not free now. details.reason says why (booked, held, outside_hours, exception, too_soon, past, not_on_grid, beyond_booking_window, day_full, …) and details.alternatives lists up to 5 free starts [{practitioner_id, date, start_time, end_time}], nearest first: offer those (or call find_slots again), never retry the same time.';

const holdInput = holdsOp.POST.body.extend({
  practitioner_id: id('The practitioner (from list_practitioners)'),
  appointment_type_id: id('The appointment type (from list_appointment_types)'),
  date: date('The day'),
  start_time: holdsOp.POST.body.shape.start_time.describe('A start_time find_slots offered, HH:MM'),
  idempotency_key: idempotencyKey.optional(),
});

const holdSlotTool: McpTool = {
  name: 'hold_slot',
  title: 'Hold a start for 5 minutes',
  description: [
    'Holds a start for 5 minutes while the patient makes up their mind: → {hold_id, practitioner_id, appointment_type_id, date, start_time, end_time, expires_at}. Meanwhile nobody else is offered it (other agents, the front desk); book it with book_appointment and this hold_id, or give it back with release_hold if the patient picks another time. An unused hold simply expires.',
    'Call it as soon as the patient says which of the offered starts they like, before asking for any last confirmation.',
    SLOT_UNAVAILABLE_HOLD,
    '例：病人說「週三下午兩點可以，我確認一下行程」→ hold_slot {practitioner_id, appointment_type_id, date, start_time: "14:00"}, then「已為您保留五分鐘」.',
    ERRORS_COMMON,
  ].join('\n'),
  input: holdInput,
  rest: [holdsOp.POST],
  mutates: true,
  async run(ctx, args) {
    const { idempotency_key, ...rest } = args as z.infer<typeof holdInput>;
    const body = parseWith(holdsOp.POST.body, rest);
    const clinic = await clinicSnapshot(await getDb(), ctx.caller);
    return asIdempotent(ctx, holdsOp.POST, restPath(holdsOp.POST), idempotency_key, body, async (tx) => ({
      status: 201,
      body: await holdSlot(tx, ctx.caller, { ...body, clinic, clock: ctx.clock }),
    }));
  },
};

const releaseInput = z.object({ hold_id: id('The hold (from hold_slot)') }).strict();

const releaseHoldTool: McpTool = {
  name: 'release_hold',
  title: 'Give a held start back',
  description: [
    'Releases a hold you no longer need (the patient chose another time or left): → {message, hold_id}; the start is offered to everyone again at once. You need not call it after book_appointment with the hold_id (the booking uses the hold up) nor after it expired.',
    'not_found: the hold expired, was used by a booking or released already; nothing to do.',
    '例：病人說「算了，我改天再約」→ release_hold {hold_id}.',
    ERRORS_COMMON,
  ].join('\n'),
  input: releaseInput,
  rest: [holdOp.DELETE],
  mutates: true,
  async run({ caller, clock }, args) {
    const a = args as z.infer<typeof releaseInput>;
    return releaseHold(await getDb(), caller, { holdId: a.hold_id, clock });
  },
};

const bookInput = bookAppointmentSchema.extend({
  practitioner_id: id('The practitioner (from list_practitioners)'),
  patient_id: id('The patient (from find_or_create_patient)'),
  appointment_type_id: id('The appointment type (from list_appointment_types)'),
  date: date('The day'),
  start_time: bookAppointmentSchema.shape.start_time.describe('A start_time find_slots offered, HH:MM'),
  hold_id: bookAppointmentSchema.shape.hold_id.describe(
    'The hold_id from hold_slot for exactly this practitioner, type, date and start: the booking uses the hold up',
  ),
  idempotency_key: idempotencyKey.optional(),
});

const bookAppointmentTool: McpTool = {
  name: 'book_appointment',
  title: 'Book an appointment',
  description: [
    'Books a confirmed appointment once the patient has agreed to a time: → {calendar_event_id, practitioner_id, patient_id, appointment_type_id, date, start_time, end_time, status: "confirmed"}. start_time must be one find_slots offers (or the one you hold with hold_slot: pass its hold_id). Tell the patient the date, time and practitioner back.',
    SLOT_UNAVAILABLE,
    'patient_limit_reached (409, where the clinic sets a maximum): the patient already has as many upcoming appointments as the clinic allows; offer to move or cancel one, or ask the patient to call the clinic.',
    'With hold_id: not_found means the hold expired or was used (book without hold_id if find_slots still offers the time); conflict means the hold is for another practitioner, type, date or start.',
    '例：病人說「好，就週三下午兩點」→ book_appointment {practitioner_id, patient_id, appointment_type_id, date, start_time: "14:00"}.',
    ERRORS_COMMON,
  ].join('\n'),
  input: bookInput,
  rest: [appointmentsOp.POST],
  mutates: true,
  async run(ctx, args) {
    const { idempotency_key, ...rest } = args as z.infer<typeof bookInput>;
    const body = parseWith(appointmentsOp.POST.body, rest);
    // As the route does: the clinic read before the transaction (no second connection meanwhile).
    const clinic = await clinicSnapshot(await getDb(), ctx.caller);
    return asIdempotent(ctx, appointmentsOp.POST, restPath(appointmentsOp.POST), idempotency_key, body, async (tx) => ({
      status: 201,
      body: await bookAppointment(tx, ctx.caller, { ...body, clinic, clock: ctx.clock }),
    }));
  },
};

const rescheduleInput = rescheduleAppointmentSchema.extend({
  calendar_event_id: id('The appointment (from list_patient_appointments or book_appointment)'),
  date: date('The new day'),
  start_time: rescheduleAppointmentSchema.shape.start_time.describe('A new start find_slots offered, HH:MM'),
  practitioner_id: rescheduleAppointmentSchema.shape.practitioner_id.describe('Another practitioner to move it to; leave out to keep the same one'),
  idempotency_key: idempotencyKey.optional(),
});

const rescheduleAppointmentTool: McpTool = {
  name: 'reschedule_appointment',
  title: 'Move an appointment',
  description: [
    "Moves a confirmed appointment to a new start (optionally to another practitioner) in one step: → the appointment with its new date and times. Look for the new time with find_slots first (the appointment's own old time is free to move into). The patient gets one LINE change notice.",
    SLOT_UNAVAILABLE + ' The appointment keeps its old time.',
    "not_found: the calendar_event_id is not one of this clinic's appointments: call list_patient_appointments.",
    '例：「可以把週三的約改到週五早上十點嗎？」→ find_slots for Friday, then reschedule_appointment {calendar_event_id, date: Friday, start_time: "10:00"}.',
    ERRORS_COMMON,
  ].join('\n'),
  input: rescheduleInput,
  rest: [rescheduleOp.POST],
  mutates: true,
  async run(ctx, args) {
    const { idempotency_key, calendar_event_id, ...rest } = args as z.infer<typeof rescheduleInput>;
    const body = parseWith(rescheduleOp.POST.body, rest);
    const clinic = await clinicSnapshot(await getDb(), ctx.caller);
    return asIdempotent(ctx, rescheduleOp.POST, restPath(rescheduleOp.POST, { calendar_event_id }), idempotency_key, body, async (tx) => ({
      status: 200,
      body: await rescheduleAppointment(tx, ctx.caller, { ...body, calendarEventId: calendar_event_id, clinic, clock: ctx.clock }),
    }));
  },
};

const cancelInput = z.object({ calendar_event_id: id('The appointment (from list_patient_appointments)') }).strict();

const cancelAppointmentTool: McpTool = {
  name: 'cancel_appointment',
  title: 'Cancel an appointment for the patient',
  description: [
    'Cancels a confirmed appointment because the patient asked to: → the appointment with status "canceled_by_patient" (already_canceled: true when it was canceled before; calling twice changes nothing). Confirm with the patient which appointment first (list_patient_appointments), then tell them it is canceled.',
    "not_found: not one of this clinic's appointments. cancellation_window_passed (409, where the clinic sets a deadline): too late to cancel here; ask the patient to call the clinic.",
    "例：「我週五不能去了，幫我取消」→ cancel_appointment {calendar_event_id of Friday's appointment}.",
    ERRORS_COMMON,
  ].join('\n'),
  input: cancelInput,
  rest: [cancelOp.POST],
  mutates: true,
  async run({ caller }, args) {
    const a = args as z.infer<typeof cancelInput>;
    return cancelAppointmentByPatient(await getDb(), caller, { calendarEventId: a.calendar_event_id });
  },
};

/** Every tool of /api/mcp, in the order tools/list shows them. */
export const MCP_TOOLS: readonly McpTool[] = [
  listPractitioners,
  listAppointmentTypes,
  findSlots,
  findOrCreatePatientTool,
  listPatientAppointmentsTool,
  holdSlotTool,
  releaseHoldTool,
  bookAppointmentTool,
  rescheduleAppointmentTool,
  cancelAppointmentTool,
];

/** A tool's arguments as JSON Schema (what tools/list shows and /llms.txt describes). */
export function toolInputJsonSchema(tool: McpTool): Record<string, unknown> {
  const schema = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete schema.$schema;
  return schema;
}

/** What the server tells the LLM when it connects: the order of a booking conversation. */
export const MCP_INSTRUCTIONS = [
  "Clinic Bot Calendar's scheduling tools for one clinic (the agent key's). Times are HH:MM and dates YYYY-MM-DD on the clinic's own clock.",
  'A booking conversation: find_or_create_patient with the LINE user id → list_appointment_types (and list_practitioners) → find_slots → offer two or three starts (recommended ones first) → hold_slot the one the patient likes while they confirm, if offered → book_appointment.',
  'To move or cancel: list_patient_appointments → reschedule_appointment or cancel_appointment.',
  'A refused call is a tool result with isError: true and JSON {error, message, details}; read details and carry on (on slot_unavailable offer details.alternatives). Never invent ids.',
].join('\n');
