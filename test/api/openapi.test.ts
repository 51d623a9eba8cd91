import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GET } from '@/app/api/openapi.json/route';

/** Every route file under app/api/clinic with the HTTP methods it exports, as OpenAPI paths. */
function contractRoutes(dir = 'app/api/clinic'): Array<{ method: string; path: string }> {
  const out: Array<{ method: string; path: string }> = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...contractRoutes(full));
    else if (name === 'route.ts') {
      const source = readFileSync(full, 'utf8');
      const apiPath = '/' + path.dirname(full).replace(/^app\//, '').replace(/\[(\w+)\]/g, '{$1}');
      for (const m of source.matchAll(/export const (GET|POST|PUT|DELETE)\b/g)) out.push({ method: m[1]!.toLowerCase(), path: apiPath });
    }
  }
  return out;
}

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document describing every contract route, with request schemas from zod', async () => {
    const doc = await GET().json();
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)).sort();
    expect(documented).toEqual(contractRoutes().map((r) => `${r.method} ${r.path}`).sort());

    const bookOp = doc.paths['/api/clinic/appointments'].post;
    expect(bookOp.operationId).toBe('bookAppointment');
    const body = bookOp.requestBody.content['application/json'].schema;
    expect(body.required.sort()).toEqual(['appointment_type_id', 'date', 'patient_id', 'practitioner_id', 'start_time']);
    expect(body.additionalProperties).toBe(false);
    expect(bookOp.parameters.map((p: { name: string }) => p.name)).toContain('Idempotency-Key');
    expect(bookOp.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Appointment' });

    const slots = doc.paths['/api/clinic/practitioners/{user_id}/availability/slots'].get;
    const params = Object.fromEntries(slots.parameters.map((p: { name: string; required: boolean; in: string }) => [p.name, [p.in, p.required]]));
    expect(params).toEqual({ user_id: ['path', true], date: ['query', false], from: ['query', false], to: ['query', false], appointment_type_id: ['query', true] });

    // Every $ref points at a component that exists.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    for (const r of refs) expect(Object.keys(doc.components.schemas)).toContain(r);
    expect(doc.components.securitySchemes.agentKey).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});
