import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as createPatient } from '@/app/api/clinic/patients/route';
import { GET as calendar } from '@/app/api/clinic/practitioners/[user_id]/availability/calendar/route';
import { GET as practitionerSlots } from '@/app/api/clinic/practitioners/[user_id]/availability/slots/route';
import { invitations, slotHolds } from '@/lib/db/schema';
import { AppError, ERROR_CODES, WARNING_CODES, type ErrorCode } from '@/lib/errors';
import { createAgentKey } from '@/lib/services/agent-keys';
import { useTestDatabase } from '../support/db';
import { dbFingerprint } from '../support/db-fingerprint';
import { contractRoutes, routeUrl, type ContractRoute, type RouteFixture } from '../support/contract-routes';
import { makeAppointment, makeClinicWithStaff, makeException, setWeek } from '../support/factories';
import { callRoute, staffCookies } from '../support/http';

// "A malformed body, unknown id, wrong type or out-of-range value is a 4xx with this shape, never
// a 500, and changes nothing." Checked for every route under app/api/clinic by replacing one path
// param, query parameter or body field at a time with arbitrary values, by arbitrary whole bodies
// and by unknown extra fields.

const DATE = '2031-03-05';
const ALL_WEEK = Object.fromEntries(
  [0, 1, 2, 3, 4, 5, 6].map((d) => [
    d,
    [
      ['09:00', '12:00'],
      ['14:00', '18:00'],
    ],
  ]),
) as Record<number, Array<[string, string]>>;
const WARNINGS: readonly string[] = WARNING_CODES;
const NUM_RUNS = Number(process.env.BAD_INPUT_RUNS ?? 40);
/** BAD_INPUT_SEED=<n> replays the seed a failure printed. */
const SEED = process.env.BAD_INPUT_SEED ? { seed: Number(process.env.BAD_INPUT_SEED) } : {};

// ---- arbitrary values ----------------------------------------------------------------------

/** Strings of any UTF-16 code unit: NUL, other controls, lone surrogates, astral halves. */
const utf16String = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 });
/** Text that looks almost right: numerals in other notations, impossible dates and times, keywords. */
const trickyText = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '王\u0000',
  '\u0007',
  '\t',
  '\n',
  '\r\n',
  '\u007f',
  '\ud800',
  'x\udc00',
  '\u2028',
  '\ufeff1',
  '😀',
  '0',
  '00',
  '01',
  '-1',
  '+1',
  ' 1',
  '1 ',
  '1.0',
  '1.5',
  '1e1',
  '1e3',
  '1E3',
  '0x10',
  '0X1f',
  '0b1',
  '0o7',
  '1_000',
  '١',
  '１',
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '2147483647',
  '2147483648',
  '9007199254740993',
  '99999999999999999999',
  'true',
  'false',
  'null',
  'undefined',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'toString',
  '2026-02-30',
  '2026-13-01',
  '2026-00-10',
  '2026-2-3',
  '0000-01-01',
  '0999-12-31',
  '1000-01-01',
  '9999-12-31',
  '+02026-01-01',
  '2026-01-01T00:00:00Z',
  '2026-01',
  '2026-1',
  '9999-12',
  '0000-00',
  '24:00',
  '23:60',
  '25:00',
  '9:00',
  '09:00:00',
  '-01:00',
  'garbage',
  "'; DROP TABLE patients; --",
  '%00',
  '%',
  '../../etc/passwd',
);
const numeral = fc.oneof(
  fc.integer().map(String),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.double().map(String),
  fc.integer({ min: 0, max: 4096 }).map((n) => `0x${n.toString(16)}`),
  fc.integer({ min: 0, max: 30 }).map((n) => `1e${n}`),
);
const hugeString = fc.constantFrom(70_000, 5_000, 201, 51).chain((n) => fc.constantFrom('x', '王', '1', '\u0000', '😀').map((c) => c.repeat(n)));

/** Any text a query parameter or path segment may carry. */
const textValue = fc.oneof(
  { weight: 3, arbitrary: trickyText },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: utf16String },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 2, arbitrary: numeral },
  { weight: 1, arbitrary: hugeString },
);

const deepNest = fc.integer({ min: 1, max: 3000 }).chain((depth) =>
  fc.constantFrom('array', 'object').map((kind) => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
    return v;
  }),
);

/** Any JSON value a body field may carry. */
const jsonFieldValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: textValue },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, -0, 2 ** 31, 2 ** 31 - 1, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER + 2, 1e308, 5e-324) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.array(fc.constant({ start_time: '09:00', end_time: '10:00' }), { minLength: 25, maxLength: 3000 }) },
  { weight: 2, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }) },
  { weight: 1, arbitrary: deepNest },
);

/** Whole request bodies: arbitrary JSON, arbitrary non-JSON text, deep nesting, oversized. */
const wholeBody = fc.oneof(
  fc.jsonValue().map((v) => ({ kind: 'json' as const, text: JSON.stringify(v) })),
  fc.oneof(fc.string({ maxLength: 60 }), utf16String, trickyText).map((text) => ({ kind: 'text' as const, text })),
  fc.integer({ min: 1, max: 50_000 }).map((depth) => ({ kind: 'deep' as const, text: '['.repeat(depth) + ']'.repeat(depth) })),
  fc.integer({ min: 1, max: 50_000 }).map((depth) => ({ kind: 'deep' as const, text: '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) })),
  // Built when sent (see hugeBody), so a counterexample prints as its size.
  fc.integer({ min: 64 * 1024 + 1, max: 300_000 }).map((n) => ({ kind: 'huge' as const, text: String(n) })),
);

/** A valid example spoiled by one character (control, surrogate half, look-alike) at any position. */
const spoil = (valid: string) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: valid.length }),
      fc.constantFrom(
        '\u0000',
        '\u0001',
        '\u001b',
        '\u007f',
        '\n',
        '\t',
        '\r',
        '\ud800',
        '\udfff',
        ' ',
        '\u00a0',
        '\u3000',
        '\u2028',
        '０',
        '٣',
        'e',
        'x',
        '.',
        '-',
        '+',
      ),
    )
    .map(([at, c]) => valid.slice(0, at) + c + valid.slice(at));

/** A JSON body of at least `bytes` bytes. */
const hugeBody = (bytes: number) => JSON.stringify({ full_name: 'x'.repeat(bytes) });

// ---- what a request may be ---------------------------------------------------------------------

type Mutation =
  | { kind: 'param'; name: string; value: string }
  | { kind: 'query'; name: string; value: string | undefined }
  | { kind: 'field'; name: string; value: unknown }
  | { kind: 'body'; body: { kind: 'json' | 'text' | 'deep' | 'huge'; text: string } }
  | { kind: 'extra-query'; name: string; value: string }
  | { kind: 'extra-field'; name: string; value: unknown };

function mutations(route: ContractRoute): fc.Arbitrary<Mutation> {
  const options: Array<fc.Arbitrary<Mutation>> = [];
  const params = Object.keys(route.params);
  const query = Object.keys(route.query);
  const fields = Object.keys(route.body ?? {});
  const unknownName = (known: string[]) =>
    fc
      .oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'id', 'clinic_id', 'status', 'date', 'from'))
      .filter((n) => !known.includes(n));
  if (params.length) {
    options.push(
      fc.constantFrom(...params).chain((name) =>
        fc.record({
          kind: fc.constant('param' as const),
          name: fc.constant(name),
          value: fc.oneof(textValue, spoil(route.params[name]!)),
        }),
      ),
    );
  }
  if (query.length) {
    options.push(
      fc.constantFrom(...query).chain((name) =>
        fc.record({
          kind: fc.constant('query' as const),
          name: fc.constant(name),
          value: fc.option(fc.oneof(textValue, spoil(route.query[name]!)), { nil: undefined, freq: 8 }),
        }),
      ),
    );
  }
  options.push(fc.record({ kind: fc.constant('extra-query' as const), name: unknownName(query), value: textValue }));
  if (route.body) {
    if (fields.length) {
      options.push(
        fc.constantFrom(...fields).chain((name) => {
          const valid = route.body![name];
          return fc.record({
            kind: fc.constant('field' as const),
            name: fc.constant(name),
            value: typeof valid === 'string' ? fc.oneof(jsonFieldValue, spoil(valid)) : jsonFieldValue,
          });
        }),
      );
    }
    options.push(fc.record({ kind: fc.constant('body' as const), body: wholeBody }));
    options.push(fc.record({ kind: fc.constant('extra-field' as const), name: unknownName(fields), value: jsonFieldValue }));
  } else if (route.method !== 'GET') {
    // A route without a body must not be bothered by one (GET requests cannot carry one).
    options.push(fc.record({ kind: fc.constant('body' as const), body: wholeBody }));
  }
  return fc.oneof(...options);
}

// ---- inputs that are certainly invalid ---------------------------------------------------------

const isRealDate = (v: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m || Number(m[1]) < 1000) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
};
const isTime = (v: string) => /^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(v) || v === '24:00';
const hasBadText = (v: string) => /[\u0000-\u001f\u007f]/.test(v) || /\p{Cs}/u.test(v);

/**
 * An independent (and deliberately partial) judgement: true when the contract leaves no doubt the
 * value is invalid, judged by the kind of the valid example it replaces. Such a request must be a 4xx.
 */
function certainlyInvalid(route: ContractRoute, m: Mutation): boolean {
  const like = (example: unknown, value: unknown): boolean => {
    if (typeof example === 'number') return !(typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 2_147_483_647);
    if (typeof example !== 'string') return false;
    if (typeof value !== 'string') return true;
    if (/^[0-9]+$/.test(example)) return !/^[0-9]+$/.test(value);
    if (/^\d{4}-\d{2}-\d{2}$/.test(example)) return !isRealDate(value);
    if (/^\d{4}-\d{2}$/.test(example)) return !/^\d{4}-(0[1-9]|1[0-2])$/.test(value);
    if (isTime(example)) return !isTime(value);
    if (example === 'true' || example === 'false') return value !== 'true' && value !== 'false';
    return hasBadText(value) || value.trim() === '' || value.length > 1000;
  };
  switch (m.kind) {
    case 'param':
      return like(route.params[m.name], m.value);
    case 'query':
      return m.value !== undefined && like(route.query[m.name], m.value);
    case 'field':
      // A weekday (0 = Sunday … 6) is no id: 0 is one of them.
      if (m.name.endsWith('_weekday')) return !(typeof m.value === 'number' && Number.isInteger(m.value) && m.value >= 0 && m.value <= 6);
      // Minutes of buffer or notice may be 0 (their upper bounds are the schema's, not judged here).
      if (m.value === 0 && route.mayBeZero?.includes(m.name)) return false;
      return !(m.value === null && route.optional?.includes(m.name)) && like(route.body![m.name], m.value);
    case 'extra-field':
      return true;
    case 'extra-query':
      return false;
    case 'body':
      return route.body !== undefined && m.body.kind !== 'json';
  }
}

// ---- the contract's answer shapes --------------------------------------------------------------

function expectContractRefusal(status: number, body: unknown, label: string) {
  expect(body, label).toBeTypeOf('object');
  expect(body, label).not.toBeNull();
  const b = body as Record<string, unknown>;
  if (status === 409 && 'warning' in b) {
    expect(Object.keys(b).sort(), label).toEqual(['details', 'message', 'warning']);
    expect(WARNINGS, label).toContain(b.warning);
    expect(typeof b.message, label).toBe('string');
    expect(b.details, label).toBeTypeOf('object');
    return;
  }
  expect(
    Object.keys(b).every((k) => ['error', 'message', 'details'].includes(k)),
    `${label}: keys ${Object.keys(b)}`,
  ).toBe(true);
  expect(ERROR_CODES, label).toContain(b.error);
  expect(typeof b.message, label).toBe('string');
  expect(new AppError(b.error as ErrorCode, '').status, `${label}: status of ${String(b.error)}`).toBe(status);
  if (b.error === 'validation_error' && b.details !== undefined) {
    expect((b.details as { issues?: unknown }).issues, label).toBeInstanceOf(Array);
  }
}

describe('bad input never makes a 500 and never changes the database', () => {
  const t = useTestDatabase();
  let fixture: RouteFixture;
  let cookie: string;
  let agentKey: string;
  let routes: ContractRoute[];

  beforeAll(async () => {
    process.env.AGENT_RATE_LIMIT_PER_MINUTE = '100000000';
    const cast = await makeClinicWithStaff(t.db());
    await setWeek(t.db(), cast.practitioner.id, ALL_WEEK);
    const { exception } = await makeException(t.db(), { userId: cast.practitioner.id, date: DATE, startTime: '11:00', endTime: '12:00' });
    const appointment = await makeAppointment(t.db(), {
      userId: cast.practitioner.id,
      patientId: cast.patient.id,
      appointmentTypeId: cast.type.id,
      date: DATE,
      startTime: '09:00',
      endTime: '10:00',
    });
    const agentAppointment = await makeAppointment(t.db(), {
      userId: cast.practitioner.id,
      patientId: cast.patient.id,
      appointmentTypeId: cast.type.id,
      date: DATE,
      startTime: '10:00',
      endTime: '11:00',
    });
    const [invitation] = await t
      .db()
      .insert(invitations)
      .values({ clinicId: cast.clinic.id, email: 'pending@clinic.test', name: 'Pending', invitedByUserId: cast.admin.id })
      .returning({ id: invitations.id });
    const [hold] = await t
      .db()
      .insert(slotHolds)
      .values({
        clinicId: cast.clinic.id,
        userId: cast.practitioner.id,
        appointmentTypeId: cast.type.id,
        date: DATE,
        startTime: '17:00',
        endTime: '18:00',
        expiresAt: new Date('2100-01-01T00:00:00Z'),
        createdByUserId: cast.practitioner.id,
      })
      .returning({ id: slotHolds.id });
    agentKey = (await createAgentKey(t.db(), { clinicSlug: cast.clinic.slug, name: 'property test' })).key;
    cookie = (await staffCookies(cast)).admin;
    fixture = {
      practitionerId: cast.practitioner.id,
      typeId: cast.type.id,
      patientId: cast.patient.id,
      exceptionId: exception.id,
      appointmentId: appointment.id,
      agentAppointmentId: agentAppointment.id,
      date: DATE,
      memberId: cast.colleague.id,
      invitationId: invitation!.id,
      holdId: hold!.id,
    };
    routes = contractRoutes(fixture);
  });
  afterAll(async () => {
    delete process.env.AGENT_RATE_LIMIT_PER_MINUTE;
  });

  async function send(route: ContractRoute, m: Mutation) {
    const params = { ...route.params };
    const query: Record<string, string> = { ...route.query };
    let body: unknown = route.body;
    let rawBody: string | undefined;
    switch (m.kind) {
      case 'param':
        params[m.name] = m.value;
        break;
      case 'query':
        if (m.value === undefined) delete query[m.name];
        else query[m.name] = m.value;
        break;
      case 'extra-query':
        query[m.name] = m.value;
        break;
      case 'field':
        body = { ...route.body, [m.name]: m.value };
        break;
      case 'extra-field':
        body = { ...route.body };
        Object.defineProperty(body, m.name, { value: m.value, enumerable: true });
        break;
      case 'body':
        body = undefined;
        rawBody = m.body.kind === 'huge' ? hugeBody(Number(m.body.text)) : m.body.text;
        break;
    }
    const auth = route.auth === 'admin' ? { cookie } : { agentKey };
    const headers = rawBody !== undefined ? { 'content-type': 'application/json' } : undefined;
    return callRoute(route.handler, {
      method: route.method,
      path: routeUrl(route, params, query),
      params,
      ...auth,
      headers,
      ...(rawBody !== undefined ? { rawBody } : body !== undefined ? { body } : {}),
    });
  }

  it('every route has a valid example that succeeds (the baseline the mutations start from)', async () => {
    // Read-only and repeatable routes only; the mutating ones are checked by their shapes below.
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const ok = await callRoute(route.handler, {
        method: route.method,
        path: routeUrl(route, route.params, route.query),
        params: route.params,
        ...(route.auth === 'admin' ? { cookie } : { agentKey }),
      });
      expect(ok.status, route.name).toBe(200);
      expect(route.ok.safeParse(ok.body).error ?? null, route.name).toBeNull();
    }
  });

  it.each([
    'GET practitioners',
    'GET appointment-types',
    'GET availability/default',
    'PUT availability/default',
    'POST availability/default/copy',
    'GET calendar (month)',
    'GET calendar (day)',
    'GET slots (day)',
    'GET slots (range)',
    'GET clinic-wide slots',
    'GET slots check',
    'POST holds',
    'DELETE hold',
    'POST exceptions',
    'PUT exception',
    'DELETE exception',
    'POST exceptions clear',
    'POST patients',
    'GET patients by LINE user id',
    'GET patients search (staff)',
    'GET patient',
    'PATCH patient',
    'GET patient appointments',
    'POST appointments',
    'POST appointment reschedule',
    'POST appointment cancel',
    'DELETE appointment',
    // The fixture's appointment lies ahead: a valid mark is 409 conflict (not started), changing nothing.
    'PUT appointment attendance',
    'GET admin/members',
    'PATCH admin/member',
    'POST admin/member deactivate',
    'POST admin/member reactivate',
    'POST admin/invitations',
    'DELETE admin/invitation',
    'GET admin/appointment-types',
    'POST admin/appointment-types',
    'PATCH admin/appointment-type',
    'POST admin/appointment-type archive',
    'POST admin/appointment-type restore',
    'GET admin/settings',
    'PATCH admin/settings',
    // Before a channel is saved (its check would call LINE): no channel of its own is 409.
    'POST admin/settings/line-channel/test',
    'PUT admin/settings/line-channel',
    'DELETE admin/settings/line-channel',
    'GET admin/calendar-days',
    'POST admin/calendar-days',
    // No day on the fixture's date: a valid change is 404, changing nothing.
    'PUT admin/calendar-day',
    'DELETE admin/calendar-day',
    'POST admin/calendar-days/import',
  ])('%s', async (name) => {
    const route = routes.find((r) => r.name === name);
    expect(route, name).toBeDefined();
    await fc.assert(
      fc.asyncProperty(mutations(route!), async (m) => {
        const label = `${name} ${JSON.stringify(m).slice(0, 300)}`;
        const before = await dbFingerprint(t.db());
        const res = await send(route!, m);
        expect(res.status, `${label}: ${JSON.stringify(res.body).slice(0, 300)}`).toBeLessThan(500);
        if (certainlyInvalid(route!, m)) expect(res.status, `${label}: an invalid input was accepted`).toBeGreaterThanOrEqual(400);
        if (m.kind === 'body' && m.body.kind === 'huge' && route!.body) expect(res.status, label).toBe(413);
        if (res.status >= 400) {
          expectContractRefusal(res.status, res.body, label);
          expect(await dbFingerprint(t.db()), label).toEqual(before);
        } else {
          // Only an input that happened to be valid may succeed, and then in the route's shape.
          expect(res.status, label).toBeGreaterThanOrEqual(200);
          expect(route!.ok.safeParse(res.body).error ?? null, label).toBeNull();
        }
      }),
      { numRuns: NUM_RUNS, ...SEED },
    );
  });

  describe('pinned cases', () => {
    const slotsAt = (query: string) =>
      callRoute(practitionerSlots, {
        path: `/api/clinic/practitioners/${fixture.practitionerId}/availability/slots?${query}`,
        params: { user_id: String(fixture.practitionerId) },
        cookie,
      });
    const validation = { error: 'validation_error', message: expect.any(String), details: { issues: expect.any(Array) } };

    it.each([
      ['an impossible from', (f: RouteFixture) => `from=2026-02-30&to=2026-03-02&appointment_type_id=${f.typeId}`],
      ['a garbage to', (f: RouteFixture) => `from=2026-03-01&to=garbage&appointment_type_id=${f.typeId}`],
      ['both malformed', (f: RouteFixture) => `from=2026-02-30&to=garbage&appointment_type_id=${f.typeId}`],
      ['an empty from', (f: RouteFixture) => `from=&to=2026-03-02&appointment_type_id=${f.typeId}`],
      ['a hex type id', () => `date=${DATE}&appointment_type_id=0x10`],
      ['an exponent type id', () => `date=${DATE}&appointment_type_id=1e1`],
      ['a type id with spaces', () => `date=${DATE}&appointment_type_id=%201`],
      ['a signed type id', () => `date=${DATE}&appointment_type_id=%2B1`],
      ['a fractional type id', () => `date=${DATE}&appointment_type_id=1.0`],
    ])('slots range/type with %s is a 400', async (_name, query) => {
      const before = await dbFingerprint(t.db());
      const res = await slotsAt(query(fixture));
      expect(res).toEqual({ status: 400, body: validation });
      expect(await dbFingerprint(t.db())).toEqual(before);
    });

    it.each(['limit=0x10', 'limit=1e1', 'page=0x1', 'page=1e0', 'limit=%2010', 'limit=10.0', 'limit=-1', 'limit='])(
      'calendar month with %s is a 400',
      async (paging) => {
        const res = await callRoute(calendar, {
          path: `/api/clinic/practitioners/${fixture.practitionerId}/availability/calendar?month=2031-03&${paging}`,
          params: { user_id: String(fixture.practitionerId) },
          cookie,
        });
        expect(res).toEqual({ status: 400, body: validation });
      },
    );

    it('calendar month with decimal page and limit (leading zeros too) is a 200', async () => {
      const res = await callRoute(calendar, {
        path: `/api/clinic/practitioners/${fixture.practitionerId}/availability/calendar?month=2031-03&page=02&limit=010`,
        params: { user_id: String(fixture.practitionerId) },
        cookie,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ month: '2031-03', page: 2, limit: 10 });
    });

    it.each([
      ['NUL in the name', { full_name: '王\u0000小明' }],
      ['only NUL', { full_name: '\u0000' }],
      ['a control character in the name', { full_name: 'Wang\u001bXiao' }],
      ['a newline in the name', { full_name: 'Wang\nXiao' }],
      ['a lone surrogate in the name', { full_name: 'Wang\ud800' }],
      ['NUL in the phone number', { full_name: 'Wang', phone_number: '0912\u0000345' }],
      ['a name over 200 characters', { full_name: '王'.repeat(201) }],
    ])('patient with %s is a 400 and creates nothing', async (_name, body) => {
      const before = await dbFingerprint(t.db());
      const res = await callRoute(createPatient, { method: 'POST', path: '/api/clinic/patients', body, agentKey });
      expect(res).toEqual({ status: 400, body: validation });
      expect(await dbFingerprint(t.db())).toEqual(before);
    });

    it('a body over 64 KiB is a 413 payload_too_large, with or without Content-Length', async () => {
      const before = await dbFingerprint(t.db());
      const text = JSON.stringify({ full_name: 'x'.repeat(70_000) });
      const res = await callRoute(createPatient, {
        method: 'POST',
        path: '/api/clinic/patients',
        rawBody: text,
        headers: { 'content-type': 'application/json' },
        agentKey,
      });
      expect(res).toMatchObject({ status: 413, body: { error: 'payload_too_large', message: expect.any(String) } });
      // A streamed body carries no Content-Length: the reader still stops at the limit.
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 100; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(4096)));
          controller.close();
        },
      });
      const req = new Request('http://localhost:3000/api/clinic/patients', {
        method: 'POST',
        body: stream,
        headers: { authorization: `Bearer ${agentKey}`, 'content-type': 'application/json' },
        duplex: 'half',
      } as RequestInit);
      const streamed = await createPatient(req as never, { params: Promise.resolve({}) });
      expect(streamed.status).toBe(413);
      expect(await streamed.json()).toMatchObject({ error: 'payload_too_large' });
      expect(await dbFingerprint(t.db())).toEqual(before);
    });

    it('deeply nested JSON is a 400, not a crash', async () => {
      const depth = 60_000;
      for (const text of ['['.repeat(depth / 2) + ']'.repeat(depth / 2), '{"full_name":' + '['.repeat(20_000) + ']'.repeat(20_000) + '}']) {
        const res = await callRoute(createPatient, {
          method: 'POST',
          path: '/api/clinic/patients',
          rawBody: text,
          headers: { 'content-type': 'application/json' },
          agentKey,
        });
        expect(res).toEqual({ status: 400, body: validation });
      }
    });
  });
});
