import { unstable_doesMiddlewareMatch } from 'next/experimental/testing/server';
import { describe, expect, it } from 'vitest';
import { GET } from '@/app/llms.txt/route';
import { MCP_TOOLS, toolInputJsonSchema } from '@/lib/api/mcp/tools';
import { buildOpenApiDocument } from '@/lib/openapi/document';
import { OPERATIONS } from '@/lib/openapi/operations';
import { config } from '@/proxy';

describe('/llms.txt', () => {
  it('is served as Markdown text to anyone, without the sign-in redirect', async () => {
    const res = GET();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/markdown; charset=utf-8/);
    expect((await res.text()).startsWith('# Clinic Bot Calendar')).toBe(true);
    expect(unstable_doesMiddlewareMatch({ config, url: '/llms.txt' })).toBe(false);
    // Pages still go through the proxy.
    expect(unstable_doesMiddlewareMatch({ config, url: '/calendar' })).toBe(true);
  });

  it('describes every agent route of the OpenAPI document, with its fields, and no staff-only route', async () => {
    const text = await GET().text();
    const doc = buildOpenApiDocument();
    const agentRoutes: string[] = [];
    const staffOnly: string[] = [];
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(item as Record<string, { security?: Array<Record<string, unknown>> }>)) {
        const heading = `### ${method.toUpperCase()} ${path}\n`;
        if (op.security?.some((s) => 'agentKey' in s)) agentRoutes.push(heading);
        else staffOnly.push(heading);
      }
    }
    // As many as the operations that allow the agent.
    expect(agentRoutes).toHaveLength(OPERATIONS.filter((op) => op.allow.includes('agent')).length);
    expect(agentRoutes.length).toBeGreaterThan(5);
    for (const heading of agentRoutes) expect(text).toContain(heading);
    for (const heading of staffOnly) expect(text).not.toContain(heading);
    for (const op of OPERATIONS.filter((o) => o.allow.includes('agent'))) {
      expect(text).toContain(op.summary);
      const body = op.body ? (Object.keys((op.body as unknown as { shape?: object }).shape ?? {}) as string[]) : [];
      const section = text.slice(text.indexOf(`### ${op.method} ${op.path}\n`)).split('\n### ')[0]!;
      for (const field of body) expect(section, `${op.method} ${op.path}`).toContain(`- \`${field}\` (`);
    }
  });

  it('names /api/mcp and every MCP tool with its arguments and the REST route it stands for', async () => {
    const text = await GET().text();
    expect(text).toContain('## MCP server: /api/mcp');
    for (const tool of MCP_TOOLS) {
      const start = text.indexOf(`### ${tool.name}\n`);
      expect(start, tool.name).toBeGreaterThan(0);
      const section = text.slice(start).split('\n### ')[0]!;
      expect(section).toContain(tool.description);
      for (const arg of Object.keys((toolInputJsonSchema(tool).properties ?? {}) as object)) expect(section).toContain(`- \`${arg}\` (`);
      for (const op of tool.rest) expect(section).toContain(`\`${op.method} ${op.path}\``);
    }
  });

  it('lists the error codes the agent can meet', async () => {
    const text = await GET().text();
    for (const code of ['validation_error', 'unauthorized', 'not_found', 'slot_unavailable', 'idempotency_conflict', 'rate_limited', 'busy']) {
      expect(text).toContain(code);
    }
  });
});
