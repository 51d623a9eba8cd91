import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET } from '@/app/api/openapi.json/route';
import type { CallerKind, Operation } from '@/lib/api/operation';
import { NOT_ALLOWED_MESSAGE } from '@/lib/api/route';
import { OPERATION_MODULES, OPERATIONS } from '@/lib/openapi/operations';
import { createAgentKey } from '@/lib/services/agent-keys';
import { useTestDatabase } from '../support/db';
import { makeClinicWithStaff } from '../support/factories';
import { callRoute, sessionCookie } from '../support/http';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const;

/** Every route folder under app/api/clinic: its OpenAPI path, route.ts and (if any) operation.ts. */
function routeFolders(dir = 'app/api/clinic'): Array<{ dir: string; apiPath: string; hasRoute: boolean; hasOperation: boolean }> {
  const out: Array<{ dir: string; apiPath: string; hasRoute: boolean; hasOperation: boolean }> = [];
  const names = readdirSync(dir);
  if (names.includes('route.ts') || names.includes('operation.ts')) {
    out.push({
      dir,
      apiPath: '/' + dir.replace(/^app\//, '').replace(/\[(\w+)\]/g, '{$1}'),
      hasRoute: names.includes('route.ts'),
      hasOperation: names.includes('operation.ts'),
    });
  }
  for (const name of names) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...routeFolders(full));
  }
  return out;
}

/** Every route file under app/api/clinic with the HTTP methods it exports, as OpenAPI paths. */
function contractRoutes(): Array<{ method: string; path: string }> {
  return routeFolders()
    .filter((f) => f.hasRoute)
    .flatMap((f) => {
      const source = readFileSync(path.join(f.dir, 'route.ts'), 'utf8');
      return [...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => ({ method: m[1]!.toLowerCase(), path: f.apiPath }));
    });
}

type Handler = Parameters<typeof callRoute>[0];
const importModule = (file: string) => import(/* @vite-ignore */ path.resolve(file)) as Promise<Record<string, unknown>>;

describe('GET /api/openapi.json', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let doc: any;
  beforeAll(async () => {
    doc = await GET().json();
  });

  it('is an OpenAPI 3.1 document describing every contract route, with request schemas from zod', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`))
      .sort();
    expect(documented).toEqual(
      contractRoutes()
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    );

    const bookOp = doc.paths['/api/clinic/appointments'].post;
    expect(bookOp.operationId).toBe('bookAppointment');
    const body = bookOp.requestBody.content['application/json'].schema;
    expect(body.required.sort()).toEqual(['appointment_type_id', 'date', 'patient_id', 'practitioner_id', 'start_time']);
    expect(body.additionalProperties).toBe(false);
    expect(bookOp.parameters.map((p: { name: string }) => p.name)).toContain('Idempotency-Key');
    expect(bookOp.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Appointment' });

    const slots = doc.paths['/api/clinic/practitioners/{user_id}/availability/slots'].get;
    const params = Object.fromEntries(slots.parameters.map((p: { name: string; required: boolean; in: string }) => [p.name, [p.in, p.required]]));
    expect(params).toEqual({
      user_id: ['path', true],
      date: ['query', false],
      from: ['query', false],
      to: ['query', false],
      appointment_type_id: ['query', true],
    });

    // Every $ref points at a component that exists.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    for (const r of refs) expect(Object.keys(doc.components.schemas)).toContain(r);
    expect(doc.components.securitySchemes.agentKey).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('shows each operation as declared: security from allow, Idempotency-Key where idempotent, warnings where it warns', () => {
    for (const op of OPERATIONS) {
      const documented = doc.paths[op.path][op.method.toLowerCase()];
      expect(documented.operationId, op.operationId).toBe(op.operationId);
      const security = (documented.security as Array<Record<string, string[]>>).flatMap((s) => Object.keys(s)).sort();
      expect(security, op.operationId).toEqual(op.allow.map((k) => ({ agent: 'agentKey', user: 'session' })[k]).sort());
      const headers = ((documented.parameters ?? []) as Array<{ name: string; in: string }>).filter((p) => p.in === 'header').map((p) => p.name);
      expect(headers, op.operationId).toEqual(op.idempotent ? ['Idempotency-Key'] : []);
      const conflict = documented.responses['409'].content['application/json'].schema;
      expect(conflict, op.operationId).toEqual(
        op.warns
          ? { oneOf: [{ $ref: '#/components/schemas/Warning' }, { $ref: '#/components/schemas/Error' }] }
          : { $ref: '#/components/schemas/Error' },
      );
      for (const status of ['400', '401', '403', '404', '429', '503', ...(op.body ? ['413'] : [])]) {
        expect(documented.responses[status]?.content['application/json'].schema, `${op.operationId} ${status}`).toEqual({
          $ref: '#/components/schemas/Error',
        });
      }
    }
  });

  it('is structurally valid OpenAPI 3.1: unique operationIds, path parameters match the templates, every $ref resolves', () => {
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    const ids: string[] = [];
    const schemes = Object.keys(doc.components.securitySchemes);
    for (const [p, item] of Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>)) {
      expect(p).toMatch(/^\/[\w\-/{}.]+$/);
      const templateParams = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const [method, op] of Object.entries(item)) {
        expect(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']).toContain(method);
        ids.push(op.operationId as string);
        const parameters = (op.parameters ?? []) as Array<{ name: string; in: string; required?: boolean; schema?: unknown }>;
        for (const param of parameters) {
          expect(['query', 'header', 'path', 'cookie']).toContain(param.in);
          expect(param.schema, `${method} ${p} ${param.name}`).toBeDefined();
        }
        expect(new Set(parameters.map((x) => `${x.in} ${x.name}`)).size, `${method} ${p}: parameters unique`).toBe(parameters.length);
        const pathParams = parameters.filter((x) => x.in === 'path');
        expect(pathParams.map((x) => x.name).sort(), `${method} ${p}`).toEqual(templateParams);
        for (const x of pathParams) expect(x.required).toBe(true);
        const responses = op.responses as Record<string, { description?: unknown }>;
        expect(Object.keys(responses).length).toBeGreaterThan(0);
        for (const [status, r] of Object.entries(responses)) {
          expect(status).toMatch(/^[1-5]\d\d$/);
          expect(typeof r.description, `${method} ${p} ${status}`).toBe('string');
        }
        for (const requirement of op.security as Array<Record<string, unknown>>) {
          for (const name of Object.keys(requirement)) expect(schemes).toContain(name);
        }
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);

    // Every $ref of any kind is a JSON pointer into this document that resolves.
    const resolve = (ref: string) =>
      ref
        .slice(2)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\//);
      expect(resolve(ref), ref).toBeDefined();
    }
  });
});

describe('operation declarations', () => {
  it('every route module under app/api/clinic has a declaration for each method it exports, and no other', async () => {
    const folders = routeFolders();
    expect(folders.length).toBeGreaterThan(0);
    const listed = new Set<unknown>(OPERATION_MODULES);
    for (const folder of folders) {
      expect(folder.hasRoute && folder.hasOperation, `${folder.dir}: route.ts and operation.ts`).toBe(true);
      const routeModule = await importModule(path.join(folder.dir, 'route.ts'));
      const { operations } = (await importModule(path.join(folder.dir, 'operation.ts'))) as { operations: Record<string, Operation> };
      const exported = METHODS.filter((m) => typeof routeModule[m] === 'function');
      expect(Object.keys(operations).sort(), folder.dir).toEqual([...exported].sort());
      for (const [method, op] of Object.entries(operations)) {
        expect(op.method, `${folder.dir} ${method}`).toBe(method);
        expect(op.path, `${folder.dir} ${method}`).toBe(folder.apiPath);
      }
      // The document is built from this very module.
      expect(listed.has(operations), `${folder.dir}/operation.ts is in lib/openapi/operations.ts`).toBe(true);
    }
    expect(OPERATION_MODULES.length).toBe(folders.length);
  });

  it('declares Idempotency-Key exactly where the handler runs in idempotent()', () => {
    for (const folder of routeFolders()) {
      const source = readFileSync(path.join(folder.dir, 'route.ts'), 'utf8');
      const declared = OPERATIONS.filter((op) => op.path === folder.apiPath && op.idempotent).length > 0;
      expect(/\bidempotent\(/.test(source), folder.dir).toBe(declared);
    }
  });

  describe("each operation's allow is what its handler enforces", () => {
    const t = useTestDatabase();
    const credentials = {} as Record<CallerKind, { agentKey?: string; cookie?: string }>;
    const UNKNOWN = '2000000000';

    beforeAll(async () => {
      const cast = await makeClinicWithStaff(t.db());
      const key = await createAgentKey(t.db(), { clinicSlug: cast.clinic.slug, name: 'openapi test' });
      credentials.agent = { agentKey: key.key };
      credentials.user = { cookie: await sessionCookie({ id: cast.admin.id, clinicId: cast.clinic.id, role: 'admin' }) };
    });

    const cases = OPERATIONS.flatMap((op) =>
      (['agent', 'user'] as const).map((kind) => [op.operationId, kind, op.allow.includes(kind), op] as const),
    );

    it.each(cases)('%s as %s: allowed %s', async (_id, kind, allowed, op) => {
      const dir = 'app' + op.path.replace(/\{(\w+)\}/g, '[$1]');
      const handler = (await importModule(path.join(dir, 'route.ts')))[op.method] as Handler;
      // Unknown ids and no body: an allowed caller gets 4xx from the handler, and nothing changes.
      const params = Object.fromEntries([...op.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1]!, UNKNOWN]));
      const res = await callRoute(handler, { method: op.method, path: op.path.replace(/\{\w+\}/g, UNKNOWN), params, ...credentials[kind] });
      const refusedByRoute = res.status === 403 && res.body?.error === 'forbidden' && res.body?.message === NOT_ALLOWED_MESSAGE;
      expect(refusedByRoute, JSON.stringify(res.body)).toBe(!allowed);
      expect(res.status).not.toBe(401);
      expect(res.status).toBeLessThan(500);
    });
  });
});
